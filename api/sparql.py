"""The SPARQL 1.1 Protocol endpoint at ``/sparql``.

Query: ``GET ?query=``, ``POST`` form (``query=``), ``POST application/sparql-query``, with
``default-graph-uri`` / ``named-graph-uri``. Update: ``POST`` form (``update=``) or
``POST application/sparql-update``, only when the server has an update token and the
request carries it as ``Authorization: Bearer <token>`` (401 without it, 403 when wrong or
when updates are off; nothing is written in either case).

Answers: SELECT/ASK as SPARQL JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle,
N-Triples, JSON-LD or RDF/XML; chosen by ``Accept`` (q-values) or ``?format=``; the bytes
come from the query runner untouched (except when the row cap cuts them). ``GET`` without
a query answers the SPARQL 1.1 Service Description, or the YASGUI editor for a browser.

Limits: ``settings.query_timeout`` (the work is stopped, 503) and ``settings.max_rows``
(see :mod:`trialgraph.api.row_cap`; 422 unless ``truncate=true``).
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import ImmutableMultiDict
from starlette.exceptions import HTTPException
from trialgraph.api.deps import QueryRunnerDep, SettingsDep
from trialgraph.api.negotiation import FORMATS, GRAPH_KEYS, RESULT_KEYS, MediaFormat, negotiate
from trialgraph.api.row_cap import TRUNCATED_HEADER, apply_row_cap
from trialgraph.api.sparql_pages import service_description, yasgui_page
from trialgraph.api.sparql_text import add_using_clauses

from trialgraph.config import Settings
from trialgraph.errors import NotAcceptable

__all__ = ["SparqlRequest", "router"]

router = APIRouter(tags=["sparql"])

_FORM = "application/x-www-form-urlencoded"
_QUERY = "application/sparql-query"
_UPDATE = "application/sparql-update"


@dataclass
class SparqlRequest:
    """One protocol operation, whichever way it arrived."""

    query: str | None = None
    update: str | None = None
    default_graph_uris: list[str] = field(default_factory=list)
    named_graph_uris: list[str] = field(default_factory=list)
    using_graph_uris: list[str] = field(default_factory=list)
    using_named_graph_uris: list[str] = field(default_factory=list)


def _one(values: Sequence[str], name: str) -> str | None:
    if len(values) > 1:
        raise HTTPException(400, f"exactly one '{name}' parameter is allowed, got {len(values)}")
    return values[0] if values else None


def _texts(params: ImmutableMultiDict[str, Any], name: str) -> list[str]:
    values = params.getlist(name)
    if not all(isinstance(v, str) for v in values):
        raise HTTPException(400, f"'{name}' must be text, not an uploaded file")
    return [str(v) for v in values]


def _from_params(params: ImmutableMultiDict[str, Any]) -> SparqlRequest:
    """Read the protocol parameters from a query string or a url-encoded form."""
    return SparqlRequest(
        query=_one(_texts(params, "query"), "query"),
        update=_one(_texts(params, "update"), "update"),
        default_graph_uris=_texts(params, "default-graph-uri"),
        named_graph_uris=_texts(params, "named-graph-uri"),
        using_graph_uris=_texts(params, "using-graph-uri"),
        using_named_graph_uris=_texts(params, "using-named-graph-uri"),
    )


def _utf8(body: bytes, content_type: str) -> str:
    """Decode a direct POST body; the protocol only allows UTF-8."""
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in {
            "utf-8",
            "utf8",
        }:
            raise HTTPException(400, f"the request body must be UTF-8, not {value.strip()}")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HTTPException(400, f"the request body is not valid UTF-8: {exc}") from exc


async def _read_post(request: Request) -> SparqlRequest:
    content_type = request.headers.get("content-type", "")
    media = content_type.split(";")[0].strip().lower()
    if media == _FORM:
        _utf8(b"", content_type)  # only checks the declared charset
        op = _from_params(await request.form())
    elif media in (_QUERY, _UPDATE):
        op = _from_params(request.query_params)
        if op.query is not None or op.update is not None:
            raise HTTPException(400, f"with {media} the operation goes in the body, not the URL")
        text = _utf8(await request.body(), content_type)
        if media == _QUERY:
            op.query = text
        else:
            op.update = text
    else:
        raise HTTPException(
            415,
            f"POST /sparql needs Content-Type {_FORM}, {_QUERY} or {_UPDATE}"
            + (f", not {media}" if media else ""),
        )
    return op


def _negotiated(request: Request, keys: Sequence[str]) -> MediaFormat | None:
    try:
        return negotiate(
            request.headers.get("accept"), keys, format_param=request.query_params.get("format")
        )
    except NotAcceptable:
        return None


def _wants_html(request: Request) -> bool:
    """A browser: HTML preferred over every format this endpoint produces."""
    if request.query_params.get("format"):
        return False
    try:
        fmt = negotiate(request.headers.get("accept"), ["turtle", *RESULT_KEYS, "html"])
    except NotAcceptable:
        return False
    accept = request.headers.get("accept") or ""
    return fmt.key == "html" and "html" in accept


async def _run_query(
    request: Request, op: SparqlRequest, runner: QueryRunnerDep, settings: Settings
) -> Response:
    assert op.query is not None
    result_fmt = _negotiated(request, RESULT_KEYS)
    graph_fmt = _negotiated(request, GRAPH_KEYS)
    if result_fmt is None and graph_fmt is None:
        negotiate(
            request.headers.get("accept"),
            [*RESULT_KEYS, *GRAPH_KEYS],
            format_param=request.query_params.get("format"),
        )  # raises with the list
    output = await run_in_threadpool(
        runner.query,
        op.query,
        result_format=(result_fmt or FORMATS["json"]).key,
        graph_format=(graph_fmt or FORMATS["turtle"]).key,
        default_graph_uris=op.default_graph_uris,
        named_graph_uris=op.named_graph_uris,
        base_iri=str(request.url_for("sparql")),
        timeout=settings.query_timeout,
    )
    chosen = graph_fmt if output.kind == "graph" else result_fmt
    if chosen is None:
        offered = GRAPH_KEYS if output.kind == "graph" else RESULT_KEYS
        negotiate(
            request.headers.get("accept"), offered, format_param=request.query_params.get("format")
        )
        raise AssertionError("negotiate must have raised")  # pragma: no cover
    truncate = request.query_params.get("truncate", "").lower() in {"1", "true", "yes"}
    output, cut = apply_row_cap(output, settings.max_rows, truncate=truncate)
    headers = {"Vary": "Accept"}
    if cut:
        headers[TRUNCATED_HEADER] = f"max_rows={settings.max_rows}"
    return Response(output.body, 200, headers=headers, media_type=chosen.content_type)


def _check_token(request: Request, settings: Settings) -> None:
    """Updates need the server's bearer token; compared in constant time."""
    if not settings.update_token:
        raise HTTPException(403, "SPARQL Update is switched off on this server")
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if not token or scheme.lower() != "bearer":
        raise HTTPException(
            401,
            "SPARQL Update needs 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": 'Bearer realm="trialgraph"'},
        )
    if not hmac.compare_digest(token.strip().encode(), settings.update_token.encode()):
        raise HTTPException(403, "the update token is not valid")


async def _run_update(
    request: Request, op: SparqlRequest, runner: QueryRunnerDep, settings: Settings
) -> Response:
    assert op.update is not None
    _check_token(request, settings)
    update = op.update
    if op.using_graph_uris or op.using_named_graph_uris:
        try:
            update = add_using_clauses(update, op.using_graph_uris, op.using_named_graph_uris)
        except ValueError as exc:
            raise HTTPException(400, str(exc)) from exc
    await run_in_threadpool(runner.update, update, base_iri=str(request.url_for("sparql")))
    return Response(status_code=204)


async def _dispatch(
    request: Request, op: SparqlRequest, runner: QueryRunnerDep, settings: Settings
) -> Response:
    if op.query is not None and op.update is not None:
        raise HTTPException(400, "send either 'query' or 'update', not both")
    if op.update is not None:
        return await _run_update(request, op, runner, settings)
    if op.query is None:
        raise HTTPException(400, "missing 'query' (or 'update') parameter")
    if not op.query.strip():
        raise HTTPException(400, "the query is empty")
    return await _run_query(request, op, runner, settings)


@router.get("/sparql", name="sparql", summary="SPARQL 1.1 query (or service description)")
async def sparql_get(request: Request, runner: QueryRunnerDep, settings: SettingsDep) -> Response:
    """Query by ``?query=``; without a query: service description, or YASGUI for browsers."""
    op = _from_params(request.query_params)
    if op.update is not None:
        raise HTTPException(405, "SPARQL Update must be sent with POST", headers={"Allow": "POST"})
    if _wants_html(request):
        return yasgui_page(request, settings, query=op.query)
    if op.query is None:
        return service_description(request, settings)
    return await _dispatch(request, op, runner, settings)


@router.post("/sparql", summary="SPARQL 1.1 query or update")
async def sparql_post(request: Request, runner: QueryRunnerDep, settings: SettingsDep) -> Response:
    """Form-encoded ``query=`` / ``update=``, or a direct query or update body."""
    op = await _read_post(request)
    if op.query is not None:
        extra = _from_params(request.query_params)
        op.default_graph_uris = op.default_graph_uris or extra.default_graph_uris
        op.named_graph_uris = op.named_graph_uris or extra.named_graph_uris
    return await _dispatch(request, op, runner, settings)
