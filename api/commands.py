"""CLI commands of this package; registered by :func:`trialgraph.cli.build_app`.

``trialgraph serve`` runs uvicorn on ``create_app(settings)``: flags override the
``TRIALGRAPH_*`` environment, which overrides the defaults. uvicorn picks ``uvloop`` and
``httptools`` (dependencies) on its own when they are installed: the fast event loop and
HTTP parser.
"""

from __future__ import annotations

from typing import Annotated

import typer

__all__ = ["register", "serve"]


def serve(
    store: Annotated[str | None, typer.Option(help="store string, e.g. oxigraph:./data")] = None,
    host: Annotated[str | None, typer.Option(help="interface to bind")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port")] = None,
    update_token: Annotated[
        str | None,
        typer.Option(help="bearer token that enables SPARQL Update (off when empty)"),
    ] = None,
    query_timeout: Annotated[
        float | None, typer.Option(help="seconds before a query is stopped")
    ] = None,
    max_rows: Annotated[int | None, typer.Option(help="result-row cap per answer")] = None,
    log_level: Annotated[str, typer.Option(help="uvicorn log level")] = "info",
    access_log: Annotated[
        bool, typer.Option(help="log one line per request (off saves time per request)")
    ] = True,
) -> None:
    """Serve the SPARQL endpoint, REST API and linked data over one store."""
    import uvicorn
    from trialgraph.api.app import create_app

    from trialgraph.config import Settings

    settings = Settings.from_env(
        store=store,
        host=host,
        port=port,
        update_token=update_token,
        query_timeout=query_timeout,
        max_rows=max_rows,
    )
    app = create_app(settings)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=log_level,
        access_log=access_log,
        timeout_graceful_shutdown=5,
    )


def register(app: typer.Typer) -> None:
    """Add this package's commands to ``app``."""
    app.command("serve")(serve)
