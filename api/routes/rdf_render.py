"""Answer with an RDF graph in the negotiated format: RDF serialisations or an HTML page.

Shared by the linked-data resources, the ontology and the VoID description so that all of
them negotiate the same formats, send the same ``Link`` and ``Vary`` headers and use the
same JSON-LD context (the one served at ``/context.jsonld``, embedded so that a client
never has to fetch it).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import Response
from rdflib import RDF, RDFS, Graph
from trialgraph.api.negotiation import FORMATS, MediaFormat, negotiate

from trialgraph.vocab import DCAT, DCTERMS, OA, PROV, SKOS, TG_NS, VOID

__all__ = [
    "GRAPH_OFFERS",
    "jsonld_context",
    "link_header",
    "negotiate_graph",
    "render_graph",
]

#: formats a resource description is offered in; the first is the default for */*
GRAPH_OFFERS = ("turtle", "html", "ntriples", "jsonld", "rdfxml")
_RDFLIB_FORMAT = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}
_PREFIXES = {
    "tg": TG_NS,
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "oa": str(OA),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "dcat": str(DCAT),
    "void": str(VOID),
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
}


def jsonld_context(base_iri: str) -> dict[str, str]:
    """Prefixes only (no type coercion), so compaction never changes what a value means."""
    return {**_PREFIXES, "id": f"{base_iri}id/"}


def negotiate_graph(request: Request) -> MediaFormat:
    return negotiate(
        request.headers.get("accept"), GRAPH_OFFERS, format_param=request.query_params.get("format")
    )


def link_header(request: Request) -> str:
    """``Link`` to the same resource in every other format (``rel="alternate"``)."""
    links = []
    for key in GRAPH_OFFERS:
        fmt = FORMATS[key]
        url = f"{request.url.path}?{urlencode({'format': key})}"
        links.append(f'<{url}>; rel="alternate"; type="{fmt.media_type}"')
    return ", ".join(links)


def _headers(request: Request) -> dict[str, str]:
    return {"Vary": "Accept", "Link": link_header(request)}


def render_graph(
    request: Request,
    graph: Graph,
    fmt: MediaFormat,
    *,
    base_iri: str,
    title: str,
    status: int = 200,
    html_page: Callable[[], str] | None = None,
) -> Response:
    """Serialise ``graph`` as ``fmt``; HTML comes from ``html_page`` or the generic page of
    :mod:`~trialgraph.api.routes.html_render` (imported here: it builds on this module)."""
    headers = _headers(request)
    if fmt.key == "html":
        from trialgraph.api.routes.html_render import render_html

        page = (
            html_page()
            if html_page is not None
            else render_html(graph, title=title, base_iri=base_iri)
        )
        return Response(page, status, media_type=fmt.content_type, headers=headers)
    for prefix, ns in jsonld_context(base_iri).items():
        graph.bind(prefix, ns, override=True)
    if fmt.key == "jsonld":
        body = graph.serialize(format="json-ld", context=jsonld_context(base_iri))
    else:
        body = graph.serialize(format=_RDFLIB_FORMAT[fmt.key])
    return Response(body.encode("utf-8"), status, media_type=fmt.content_type, headers=headers)
