"""The ``trialgraph`` command: a thin typer group; each family of commands lives beside
the code it drives and registers itself here.

- store commands (load, query, export, stats): :mod:`trialgraph.store_commands`
- ingest, extract, conflicts: :mod:`trialgraph.ingest.commands`
- validate, reason: :mod:`trialgraph.ontology.commands`
- serve: :mod:`trialgraph.api.commands`

Every :class:`~trialgraph.errors.TrialgraphError` becomes one line on stderr and exit
code 1; no traceback reaches the user. Heavy imports happen inside command bodies.
"""

from __future__ import annotations

import importlib
import sys

import click
import typer

from trialgraph.errors import TrialgraphError

__all__ = ["build_app", "main"]

COMMAND_MODULES = (
    "trialgraph.store_commands",
    "trialgraph.ingest.commands",
    "trialgraph.ingest.extract.commands",
    "trialgraph.ontology.commands",
    "trialgraph.api.commands",
)


def build_app() -> typer.Typer:
    """A fresh app with every command family registered."""
    app = typer.Typer(
        name="trialgraph",
        help="Clinical-trial evidence knowledge graph: ingest articles, query with SPARQL, "
        "serve REST and linked data.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(app)
    return app


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, turning our errors into one readable line."""
    command = typer.main.get_command(build_app())
    try:
        code = command.main(args=argv, prog_name="trialgraph", standalone_mode=False)
    except TrialgraphError as exc:
        message = " ".join(str(exc).split())  # one line, whatever a library put in it
        typer.secho(f"error: {message}", err=True, fg="red")
        sys.exit(1)
    except click.exceptions.Abort:
        typer.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
