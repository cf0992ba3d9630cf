"""Whole-dataset views: streamed dumps (``/export``), the VoID + DCAT description
(``/.well-known/void``) and the JSON-LD context (``/context.jsonld``).

A dump streams the store's own serialiser chunk by chunk (``Store.dump``), so serving a
store larger than memory costs one chunk of memory, not the dataset.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import XSD
from trialgraph.api.negotiation import FORMATS, negotiate
from trialgraph.api.routes.context import ContextDep
from trialgraph.api.routes.rdf_render import jsonld_context, negotiate_graph, render_graph
from trialgraph.api.routes.rest_sparql import PREFIXES

from trialgraph import __version__
from trialgraph.vocab import DCAT, DCTERMS, TG_NS, VOID

__all__ = ["DUMP_OFFERS", "LICENSE", "router"]

router = APIRouter(tags=["dumps and dataset description"])

#: quad formats first: a dump of the whole dataset keeps its named graphs by default
DUMP_OFFERS = ("nquads", "trig", "turtle", "ntriples", "jsonld", "rdfxml")
#: the project's licence (pyproject.toml); the data are released under the same terms
LICENSE = URIRef("https://www.apache.org/licenses/LICENSE-2.0")
_CLASSES = ("Article", "Trial", "Arm", "Result", "Evidence", "Drug", "Endpoint")
_EXAMPLES = PREFIXES + "SELECT ?trial WHERE { ?trial a tg:Trial } LIMIT 3"
_CLASS_VALUES = " ".join(f"tg:{c}" for c in _CLASSES)
_PARTITIONS = (
    PREFIXES
    + f"""SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  VALUES ?class {{ {_CLASS_VALUES} }}
  ?s a ?class .
}} GROUP BY ?class"""
)


@router.get(
    "/export",
    summary="The whole dataset as a streamed dump",
    responses={200: {"content": {FORMATS[k].media_type: {} for k in DUMP_OFFERS}}},
)
def export(request: Request, ctx: ContextDep) -> StreamingResponse:
    fmt = negotiate(
        request.headers.get("accept"), DUMP_OFFERS, format_param=request.query_params.get("format")
    )
    chunks = ctx.store.dump(fmt=fmt.key)
    return StreamingResponse(
        chunks,
        media_type=fmt.content_type,
        headers={
            "Vary": "Accept",
            "Content-Disposition": f'attachment; filename="trialgraph.{fmt.extension}"',
        },
    )


@router.get("/context.jsonld", summary="The JSON-LD context of the JSON-LD outputs")
def context(ctx: ContextDep) -> JSONResponse:
    return JSONResponse(
        {"@context": jsonld_context(ctx.settings.base_iri)}, media_type="application/ld+json"
    )


def void_graph(request: Request, ctx: ContextDep) -> Graph:
    """VoID + DCAT: size, class partitions, example resources, endpoint and dump links."""
    base = ctx.settings.base_iri
    server = str(request.base_url).rstrip("/")
    dataset = URIRef(f"{base}dataset")
    g = Graph()
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, DCTERMS.title, Literal("trialgraph")))
    g.add(
        (
            dataset,
            DCTERMS.description,
            Literal(
                "Arm-level clinical-trial results extracted from articles, with the quote, offsets "
                "and method of every value."
            ),
        )
    )
    g.add((dataset, DCTERMS.license, LICENSE))
    g.add((dataset, DCTERMS.hasVersion, Literal(__version__)))
    g.add((dataset, VOID.sparqlEndpoint, URIRef(f"{server}/sparql")))
    g.add((dataset, VOID.uriSpace, Literal(f"{base}id/")))
    g.add((dataset, VOID.vocabulary, URIRef(TG_NS)))
    g.add((dataset, VOID.triples, Literal(ctx.store.count(), datatype=XSD.integer)))
    g.add((dataset, VOID.rootResource, URIRef(f"{server}/trials")))
    for row in ctx.store.select(_EXAMPLES, timeout=ctx.timeout):
        trial = row.get("trial")
        if isinstance(trial, URIRef):
            g.add((dataset, VOID.exampleResource, trial))
    for row in ctx.store.select(_PARTITIONS, timeout=ctx.timeout):
        cls, n = row.get("class"), row.get("n")
        if isinstance(cls, URIRef) and isinstance(n, Literal):
            part = URIRef(f"{base}dataset/class/{cls.split('#')[-1]}")
            g.add((dataset, VOID.classPartition, part))
            g.add((part, VOID["class"], cls))
            g.add((part, VOID.entities, Literal(int(n.toPython()), datatype=XSD.integer)))
    for key in DUMP_OFFERS:
        fmt = FORMATS[key]
        url = URIRef(f"{server}/export?format={key}")
        dist = URIRef(f"{base}dataset/dump/{key}")
        g.add((dataset, VOID.dataDump, url))
        g.add((dataset, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCAT.mediaType, Literal(fmt.media_type)))
        g.add((dist, DCTERMS.license, LICENSE))
    return g


@router.get(
    "/.well-known/void",
    summary="VoID and DCAT description of the dataset",
    responses={200: {"content": {"text/turtle": {}, "text/html": {}, "application/ld+json": {}}}},
)
def void(request: Request, ctx: ContextDep) -> Response:
    fmt = negotiate_graph(request)
    return render_graph(
        request,
        void_graph(request, ctx),
        fmt,
        base_iri=ctx.settings.base_iri,
        title="trialgraph dataset",
    )
