"""THE one place where errors become HTTP responses.

Status codes for the exception tree of :mod:`trialgraph.errors`:

============================  ======  ==================================================
QuerySyntaxError              400     the parser's message, verbatim
InputError / UnsupportedFmt   400     what could not be read
NotAcceptable                 406     lists the media types that are available
ValidationFailed              422     with the SHACL report
ResultLimitExceeded           422     the result is larger than ``max_rows``
ReadOnlyStore                 403     writes are not possible on this store
NotFound                      404
BackendUnavailable            502     the remote SPARQL endpoint did not answer
QueryTimeout                  503     the query was stopped; nothing partial is returned
anything else                 500     a generic message; the traceback goes to the log only
============================  ======  ==================================================

503 rather than 504 for a timeout: this server is the origin, not a gateway, and 503 is what
Fuseki and Oxigraph answer for a query stopped by their time limit, so clients handle it.

The body is JSON (``{"status", "error", "type", "detail"}``) unless the client prefers
``text/plain`` or ``text/html`` in its Accept header (a browser gets a small HTML page).
"""

from __future__ import annotations

import html
import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from trialgraph.api.negotiation import negotiate

from trialgraph.errors import (
    BackendUnavailable,
    InputError,
    NotAcceptable,
    NotFound,
    QuerySyntaxError,
    QueryTimeout,
    ReadOnlyStore,
    ResultLimitExceeded,
    TrialgraphError,
    ValidationFailed,
)

__all__ = ["error_response", "install_error_handlers", "status_for"]

log = logging.getLogger(__name__)

#: most specific first: the first isinstance match decides
_STATUS: tuple[tuple[type[TrialgraphError], int], ...] = (
    (QuerySyntaxError, 400),
    (QueryTimeout, 503),
    (ResultLimitExceeded, 422),
    (ReadOnlyStore, 403),
    (BackendUnavailable, 502),
    (NotAcceptable, 406),
    (InputError, 400),
    (NotFound, 404),
    (ValidationFailed, 422),
)


def status_for(exc: TrialgraphError) -> int:
    """The HTTP status for one of our errors (500 for anything not listed)."""
    for cls, status in _STATUS:
        if isinstance(exc, cls):
            return status
    return 500


def error_response(
    request: Request,
    status: int,
    detail: str,
    *,
    kind: str = "",
    headers: dict[str, str] | None = None,
) -> Response:
    """An error body in the format the client prefers: JSON, plain text or HTML."""
    title = HTTPStatus(status).phrase
    try:
        fmt = negotiate(request.headers.get("accept"), ["page-json", "text", "html"]).key
    except NotAcceptable:
        fmt = "page-json"
    if fmt == "text":
        return PlainTextResponse(f"{status} {title}: {detail}\n", status, headers=headers)
    if fmt == "html":
        page = (
            f"<!doctype html><html><head><meta charset='utf-8'><title>{status} {title}</title>"
            f"</head><body><h1>{status} {html.escape(title)}</h1>"
            f"<pre>{html.escape(detail)}</pre></body></html>"
        )
        return HTMLResponse(page, status, headers=headers)
    body = {"status": status, "error": title, "type": kind or title, "detail": detail}
    return JSONResponse(body, status, headers=headers)


async def _trialgraph_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TrialgraphError)
    status = status_for(exc)
    detail = str(exc) if status != 500 else "internal error; see the server log"
    if isinstance(exc, ValidationFailed) and exc.report:
        detail = f"{detail}\n{exc.report}"
    if status == 500:
        log.error("unexpected %s on %s", type(exc).__name__, request.url.path, exc_info=exc)
    return error_response(request, status, detail, kind=type(exc).__name__)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    return error_response(
        request, exc.status_code, str(exc.detail), headers=dict(exc.headers or {})
    )


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = "; ".join(
        f"{'.'.join(str(p) for p in err.get('loc', ()))}: {err.get('msg', '')}"
        for err in exc.errors()
    )
    return error_response(request, 422, problems, kind="RequestValidationError")


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    """Last resort: log the traceback, tell the client nothing about internals."""
    log.error("unhandled %s on %s", type(exc).__name__, request.url.path, exc_info=exc)
    return error_response(request, 500, "internal error; see the server log")


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on ``app``; ``create_app`` calls this once."""
    app.add_exception_handler(TrialgraphError, _trialgraph_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected_error)
