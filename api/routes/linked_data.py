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
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.term import Node
from trialgraph.api.routes.context import ContextDep
from trialgraph.api.routes.html_render import Incoming, render_html
from trialgraph.api.routes.rdf_render import negotiate_graph, render_graph
from trialgraph.api.routes.rest_sparql import PREFIXES, linked_names, neighbourhood, values_block

from trialgraph.errors import InputError
from trialgraph.vocab import SKOS, TG

__all__ = [
    "DESCRIBE_BRANCHES",
    "RESULT_BRANCHES",
    "describe",
    "incoming",
    "router",
    "trial_results",
]

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


#: a trial's results for its HTML table: their triples, the names of what they link to
#: (arms, endpoint, subgroup; read from the result's own graph) and each evidence quote,
#: attached to the evidence as ``oa:exact`` so the table needs no walk through selectors
RESULT_BRANCHES = (
    "?s tg:ofTrial ?this . ?s ?p ?o",
    *(
        linked_names("?r tg:ofTrial ?this . ?r ?link", name)
        for name in ("rdfs:label", "skos:notation")
    ),
    "?r tg:ofTrial ?this . ?r tg:hasEvidence ?s . ?s oa:hasTarget ?t . ?t oa:hasSelector ?q ."
    " ?q oa:exact ?o BIND(oa:exact AS ?p)",
)
#: linking subjects listed per property, and how far they are counted
INCOMING_PAGE = 50
INCOMING_COUNT_CAP = 10_000


def describe(ctx: ContextDep, iri: URIRef) -> Graph:
    """The description served for ``iri`` (empty when the store does not know it)."""
    n = neighbourhood(
        ctx.store, DESCRIBE_BRANCHES, var="this", bindings={"this": iri}, timeout=ctx.timeout
    )
    return n.graph


def trial_results(ctx: ContextDep, trial: URIRef) -> Graph:
    """What the results table of a trial page shows (a trial has tens of results)."""
    return neighbourhood(
        ctx.store, RESULT_BRANCHES, var="this", bindings={"this": trial}, timeout=ctx.timeout
    ).graph


def incoming(ctx: ContextDep, iri: URIRef) -> list[Incoming]:
    """Who links to ``iri``, per property: a first page each, counted up to a cap.

    Only the HTML page shows these (the RDF formats stay a CBD). A drug may be used by
    thousands of arms, so each property reads a LIMITed page and a capped count, and the
    names come from one VALUES lookup of the listed subjects.
    """
    rows = ctx.store.select(
        f"{PREFIXES}SELECT DISTINCT ?this ?p WHERE {{ ?s ?p ?this }}",
        bindings={"this": iri},
        timeout=ctx.timeout,
    )
    paths: list[tuple[URIRef, ...]] = [
        (p,) for p in sorted({r["p"] for r in rows if isinstance(r.get("p"), URIRef)}, key=str)
    ]
    if (TG.hasIntervention,) in paths:  # a drug: the trials whose arms use it
        paths.append((TG.hasArm, TG.hasIntervention))
    groups = [_linking(ctx, path, iri) for path in paths]
    names = _names([s for g in groups for s, _ in g.subjects], ctx)
    for group in groups:
        group.subjects = [(s, names.get(s)) for s, _ in group.subjects]
    return groups


def _linking(ctx: ContextDep, path: tuple[URIRef, ...], iri: URIRef) -> Incoming:
    """A first page of the subjects ``?s path iri``, and their number up to a cap."""
    sparql_path = "/".join(p.n3() for p in path)
    page = ctx.store.select(
        f"SELECT DISTINCT ?this ?s WHERE {{ ?s {sparql_path} ?this }} LIMIT {INCOMING_PAGE + 1}",
        bindings={"this": iri},
        timeout=ctx.timeout,
    )
    subjects = [r["s"] for r in page if isinstance(r.get("s"), URIRef)]
    total, capped = len(subjects), False
    if total > INCOMING_PAGE:
        total, capped = _count_linking(ctx, sparql_path, iri)
    return Incoming(path, [(s, None) for s in subjects[:INCOMING_PAGE]], total, capped)


def _count_linking(ctx: ContextDep, sparql_path: str, iri: URIRef) -> tuple[int, bool]:
    """Distinct subjects ``?s path iri``, counted up to a cap. The IRI is written into the
    query (it was minted from a validated path): a bound variable would reach the LIMITed
    subquery only after it ran on backends that bind with a trailing VALUES block."""
    cap = INCOMING_COUNT_CAP
    rows = ctx.store.select(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s WHERE {{ ?s {sparql_path} "
        f"{iri.n3()} }} LIMIT {cap + 1} }}",
        timeout=ctx.timeout,
    )
    n = int(str(rows[0]["n"])) if rows and "n" in rows[0] else 0
    return min(n, cap), n > cap


def _names(subjects: list[URIRef], ctx: ContextDep) -> dict[Node, str]:
    if not subjects:
        return {}
    rows = ctx.store.select(
        f"{PREFIXES}SELECT DISTINCT ?s ?o WHERE {{ {values_block('s', subjects)} "
        "?s rdfs:label|dcterms:title ?o }",
        timeout=ctx.timeout,
    )
    return {r["s"]: str(r["o"]) for r in rows if "s" in r and "o" in r}


@cache
def _term_labels() -> dict[Node, str]:
    """Labels of the ontology's terms (measures, units, classes), from the packaged file."""
    graph = Graph().parse(data=_ontology_text(), format="turtle")
    return {s: str(o) for s, o in graph.subject_objects(RDFS.label) if isinstance(s, URIRef)}


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
        html_page=lambda: _page(ctx, graph, iri, str(label)),
    )


def _page(ctx: ContextDep, graph: Graph, iri: URIRef, title: str) -> str:
    is_trial = (iri, RDF.type, TG.Trial) in graph
    return render_html(
        graph,
        title=title,
        base_iri=ctx.settings.base_iri,
        subject=iri,
        incoming=[g for g in incoming(ctx, iri) if not (is_trial and g.path == (TG.ofTrial,))],
        results=trial_results(ctx, iri) if is_trial else None,
        term_labels=_term_labels(),
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
