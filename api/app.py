"""The FastAPI application factory: one call builds a complete, independent app.

Nothing happens at import time. ``create_app()`` reads settings from the environment, opens
the configured store and wires the routes; the lifespan closes what the app opened (the
store, when it was not handed in, and the query worker process). Tests build as many apps
as they like: ``TestClient(create_app(store=memory_store))``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from trialgraph.api.errors import install_error_handlers
from trialgraph.api.query_runner import build_runner
from trialgraph.api.routes import ROUTERS
from trialgraph.api.sparql import router as sparql_router

from trialgraph import __version__
from trialgraph.config import Settings
from trialgraph.errors import BackendUnavailable
from trialgraph.store.base import Store

__all__ = ["BodySizeLimit", "create_app"]

log = logging.getLogger(__name__)


class BodySizeLimit:
    """Reject request bodies over ``max_bytes`` with 413, before anything buffers them.

    A declared Content-Length over the limit is refused up front; a chunked body is counted
    as it streams and the read fails with 413 once it passes the limit, so a client cannot
    make the server hold more than ``max_bytes`` by lying about (or omitting) the length.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", ())).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise HTTPException(413, self._message())
            return message

        await self.app(scope, counting_receive, send)

    def _message(self) -> str:
        return f"request body larger than the limit of {self.max_bytes} bytes"

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        from trialgraph.api.errors import error_response

        response = error_response(Request(scope, receive), 413, self._message())
        response.headers["connection"] = "close"
        await response(scope, receive, send)


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """Build the API on ``store`` (or on the store named by ``settings.store``).

    :param settings: defaults to :meth:`Settings.from_env` (read now, not at import).
    :param store: an open store; the caller keeps ownership and closes it. When omitted the
        app opens ``settings.store`` and closes it on shutdown.
    """
    settings = settings if settings is not None else Settings.from_env()
    owns_store = store is None
    if store is None:
        from trialgraph.store import get_store

        store = get_store(settings.store)
    runner = build_runner(settings, store)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            runner.close()
            if owns_store:
                app.state.store.close()

    app = FastAPI(
        title="trialgraph",
        version=__version__,
        description="Clinical-trial evidence knowledge graph: SPARQL 1.1 endpoint, named "
        "queries, REST resources and linked data over one store.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.runner = runner
    install_error_handlers(app)

    @app.get("/health", tags=["service"])
    def health() -> JSONResponse:
        """Liveness and readiness for load balancers: the store answers a trivial query."""
        try:
            store.ask("ASK {}", timeout=5.0)
        except BackendUnavailable as exc:
            return JSONResponse({"status": "unavailable", "detail": str(exc)}, 503)
        return JSONResponse({"status": "ok", "version": __version__})

    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    app.include_router(sparql_router)
    for router in ROUTERS:
        app.include_router(router)

    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Accept", "Authorization", "Content-Type"],
            expose_headers=["X-Trialgraph-Truncated", "Link", "Vary"],
            max_age=600,
        )
    return app
