"""Dereferenceable resources: ``/id/{kind}/{key}`` and the ontology at ``/ontology``.

The request path ``/id/...`` names ``{base}id/...`` whatever host serves it, so the
configured base IRI (``https://w3id.org/trialgraph/`` by default) redirects here unchanged.
A resource is described CBD-like: its own triples, the names of what it links to, and for
an evidence annotation its target and selectors (IRIs of their own, so not reached by a
plain CBD). Each branch is one or two index lookups on the bound subject.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from rdflib import RDFS, Graph, URIRef
from trialgraph.api.routes.context import ContextDep
from trialgraph.api.routes.rdf_render import negotiate_graph, render_graph, render_html
from trialgraph.api.routes.rest_sparql import linked_names, neighbourhood

from trialgraph.errors import InputError
from trialgraph.vocab import SKOS

__all__ = ["DESCRIBE_BRANCHES", "describe", "router"]

router = APIRouter(tags=["linked data"])

_KIND = re.compile(r"^[a-z][a-z-]{0,39}$")
_KEY = re.compile(r"^[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+){0,3}$")

DESCRIBE_BRANCHES = (
    "?this ?p ?o . BIND(?this AS ?s)",
    *(
        linked_names("?this ?link", name)
        for name in ("rdfs:label", "skos:prefLabel", "skos:notation", "dcterms:title")
    ),
    "?this oa:hasTarget ?s . ?s ?p ?o",
    "?this oa:hasTarget ?t . ?t oa:hasSelector ?s . ?s ?p ?o",
)


def describe(ctx: ContextDep, iri: URIRef) -> Graph:
    """The description served for ``iri`` (empty when the store does not know it)."""
    n = neighbourhood(
        ctx.store, DESCRIBE_BRANCHES, var="this", bindings={"this": iri}, timeout=ctx.timeout
    )
    return n.graph


@router.get(
    "/id/{kind}/{key:path}",
    summary="A resource, as HTML, Turtle, N-Triples, JSON-LD or RDF/XML by Accept",
    responses={
        200: {
            "content": {
                "text/turtle": {},
                "text/html": {},
                "application/n-triples": {},
                "application/ld+json": {},
                "application/rdf+xml": {},
            }
        }
    },
)
def resource(
    request: Request,
    ctx: ContextDep,
    kind: Annotated[str, Path(description="trial, drug, arm, result, evidence, article ...")],
    key: Annotated[str, Path(description="the resource key")],
) -> Response:
    fmt = negotiate_graph(request)
    iri = URIRef(f"{ctx.settings.base_iri}id/{kind}/{key}")
    graph = Graph()
    if _KIND.match(kind) and _KEY.match(key):
        graph = describe(ctx, iri)
    if (iri, None, None) not in graph:
        return _not_found(request, ctx, iri, fmt.key)
    label = graph.value(iri, RDFS.label) or graph.value(iri, SKOS.notation) or f"{kind}/{key}"
    return render_graph(
        request,
        graph,
        fmt,
        base_iri=ctx.settings.base_iri,
        title=str(label),
        html_page=lambda: render_html(
            graph, title=str(label), base_iri=ctx.settings.base_iri, subject=iri
        ),
    )


def _not_found(request: Request, ctx: ContextDep, iri: URIRef, key: str) -> Response:
    """404 in the format asked for: an empty graph (with a comment where the syntax has one)."""
    message = f"no resource {iri}"
    if key == "html":
        from trialgraph.api.errors import error_response

        response = error_response(request, 404, message)
        response.headers["Vary"] = "Accept"
        return response
    fmt = negotiate_graph(request)
    response = render_graph(
        request, Graph(), fmt, base_iri=ctx.settings.base_iri, title=message, status=404
    )
    if key in ("turtle", "ntriples"):
        response.body = f"# 404 Not Found: {message}\n".encode() + response.body
        response.headers["content-length"] = str(len(response.body))
    return response


@cache
def _ontology_text() -> bytes:
    source = resources.files("trialgraph.ontology").joinpath("trialgraph.ttl")
    try:
        return source.read_bytes()
    except OSError as exc:
        raise InputError(f"the ontology file is missing from the package: {exc}") from exc


@router.get(
    "/ontology",
    summary="The trialgraph ontology: HTML documentation or RDF by Accept",
    responses={200: {"content": {"text/html": {}, "text/turtle": {}}}},
)
def ontology(request: Request, ctx: ContextDep) -> Response:
    fmt = negotiate_graph(request)
    graph = Graph()
    graph.parse(data=_ontology_text(), format="turtle")

    def page() -> str:
        from trialgraph.ontology.docs import render_ontology_html

        return str(render_ontology_html(graph))

    return render_graph(
        request,
        graph,
        fmt,
        base_iri=ctx.settings.base_iri,
        title="trialgraph ontology",
        html_page=page,
    )
