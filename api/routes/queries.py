"""``/queries`` lists the named queries (``queries/*.rq``); ``/queries/{name}`` runs one.

Parameter values arrive as strings and are bound as typed RDF terms by the loader
(:meth:`NamedQuery.bind`); the query text is sent to the store untouched, so a value such
as ``x" } ; DROP ALL ; #`` is only ever data. Results come in any SPARQL result format by
``Accept`` or ``?format=`` (JSON by default), serialised by the store itself.
"""

from __future__ import annotations

import itertools
import threading
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from trialgraph.api.deps import SettingsDep, StoreDep
from trialgraph.api.negotiation import RESULT_KEYS, negotiate
from trialgraph.queries.loader import NamedQuery, QueryParam, load_named_queries

from trialgraph.errors import InputError

__all__ = ["NamedQueryOut", "ParamOut", "router"]

router = APIRouter(tags=["named queries"])

#: query-string names that are not query parameters
_RESERVED = frozenset({"format"})
_CACHE: dict[str, dict[str, NamedQuery]] = {}
_LOCK = threading.Lock()


class ParamOut(BaseModel):
    name: str
    type: str = Field(description="iri, string, integer, decimal or boolean")
    description: str = ""
    default: str | None = None
    required: bool = True


class NamedQueryOut(BaseModel):
    name: str
    title: str
    description: str
    params: list[ParamOut]
    url: str = Field(description="where to run it (add the parameters)")
    example: str = Field(description="a runnable URL with example values where known")


def _queries() -> dict[str, NamedQuery]:
    """The named queries, read once per process (the files ship with the package)."""
    with _LOCK:
        if "all" not in _CACHE:
            _CACHE["all"] = load_named_queries()
        return _CACHE["all"]


def _param(p: QueryParam) -> ParamOut:
    return ParamOut(
        name=p.name, type=p.type, description=p.description, default=p.default, required=p.required
    )


def _example_value(param: ParamOut) -> str:
    """The word after 'e.g.' in the parameter's description, else its default."""
    words = param.description.split()
    for before, word in itertools.pairwise(words):
        if before == "e.g." and (param.type != "iri" or "://" in word):
            return word.rstrip(".,;)")
    return param.default or ""


def _describe(request: Request, query: NamedQuery) -> NamedQueryOut:
    params = [_param(p) for p in query.params]
    url = str(request.url_for("run_named_query", name=query.name))
    example_args = {p.name: _example_value(p) for p in params}
    example = f"{url}?{urlencode(example_args)}" if params else url
    return NamedQueryOut(
        name=query.name,
        title=query.title,
        description=query.description,
        params=params,
        url=url,
        example=example,
    )


@router.get("/queries", response_model=list[NamedQueryOut], summary="The named queries")
def list_queries(request: Request) -> list[NamedQueryOut]:
    return [_describe(request, q) for _, q in sorted(_queries().items())]


@router.get(
    "/queries/{name}",
    name="run_named_query",
    summary="Run a named query (parameters as query-string values)",
    responses={
        200: {
            "content": {
                "application/sparql-results+json": {},
                "application/sparql-results+xml": {},
                "text/csv": {},
                "text/tab-separated-values": {},
            }
        }
    },
)
def run_query(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    name: Annotated[str, Path(description="query name, see /queries")],
) -> Response:
    queries = _queries()
    query = queries.get(name)
    if query is None:
        raise HTTPException(
            404, detail=f"no named query {name!r}; valid names: {', '.join(sorted(queries))}"
        )
    raw = {k: v for k, v in request.query_params.items() if k not in _RESERVED}
    try:
        bindings = query.bind(raw, base_iri=settings.base_iri)
    except InputError as exc:  # unknown, missing or ill-typed parameter
        detail = str(exc)
        if query.signature() not in detail:
            detail = f"{detail}; valid: {query.signature()}"
        raise HTTPException(422, detail=detail) from exc
    fmt = negotiate(
        request.headers.get("accept"), RESULT_KEYS, format_param=request.query_params.get("format")
    )
    output = store.query_bytes(
        query.text, result_format=fmt.key, bindings=bindings, timeout=settings.query_timeout
    )
    return Response(output.body, media_type=fmt.content_type, headers={"Vary": "Accept"})
