"""Answer with an RDF graph in the negotiated format: RDF serialisations or an HTML page.

Shared by the linked-data resources, the ontology and the VoID description so that all of
them negotiate the same formats, send the same ``Link`` and ``Vary`` headers and use the
same JSON-LD context (the one served at ``/context.jsonld``, embedded so that a client
never has to fetch it).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import Response
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.term import Node
from trialgraph.api.negotiation import FORMATS, MediaFormat, negotiate

from trialgraph.vocab import DCAT, DCTERMS, OA, PROV, SKOS, TG_NS, VOID

__all__ = [
    "GRAPH_OFFERS",
    "jsonld_context",
    "link_header",
    "negotiate_graph",
    "render_graph",
    "render_html",
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
    """Serialise ``graph`` as ``fmt``; HTML comes from ``html_page`` or :func:`render_html`."""
    headers = _headers(request)
    if fmt.key == "html":
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


def _local(node: Node, base_iri: str) -> str:
    """Resource IRIs under our base link to this server's ``/id/...`` pages."""
    text = str(node)
    if text.startswith(f"{base_iri}id/"):
        return "/" + text[len(base_iri) :]
    return text


def _cell(graph: Graph, node: Node, base_iri: str) -> str:
    if isinstance(node, URIRef):
        label = graph.value(node, RDFS.label) or graph.value(node, SKOS.notation)
        shown = f"{label} " if label is not None else ""
        return (
            f'{html.escape(str(shown))}<a href="{html.escape(_local(node, base_iri))}">'
            f"&lt;{html.escape(graph.qname(node) if _known(graph, node) else str(node))}"
            "&gt;</a>"
        )
    if isinstance(node, Literal):
        return f"<q>{html.escape(str(node))}</q>"
    return html.escape(str(node))


def _known(graph: Graph, node: URIRef) -> bool:
    return any(str(node).startswith(ns) for _, ns in graph.namespaces())


def render_html(graph: Graph, *, title: str, base_iri: str, subject: URIRef | None = None) -> str:
    """A readable page: label, types, and a table of properties per subject, with links."""
    for prefix, ns in jsonld_context(base_iri).items():
        graph.bind(prefix, ns, override=True)
    subjects = sorted(
        {s for s in graph.subjects() if isinstance(s, URIRef)}, key=lambda s: (s != subject, str(s))
    )
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title>",
        "<style>body{font-family:sans-serif;max-width:70em;margin:2em auto}"
        "td{vertical-align:top;padding:.2em .6em}th{text-align:left}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    for s in subjects:
        own = [(p, o) for p, o in graph.predicate_objects(s)]
        if subject is not None and s != subject and len(own) <= 1:
            continue  # a linked resource's label only: shown next to its link above
        types = ", ".join(_cell(graph, t, base_iri) for t in graph.objects(s, RDF.type))
        parts.append(f"<h2 id='{html.escape(str(s))}'>{_cell(graph, s, base_iri)}</h2>")
        if types:
            parts.append(f"<p>a {types}</p>")
        parts.append("<table><tr><th>property</th><th>value</th></tr>")
        for p, o in sorted(own, key=lambda po: (str(po[0]), str(po[1]))):
            if p == RDF.type:
                continue
            parts.append(
                f"<tr><td>{_cell(graph, p, base_iri)}</td><td>{_cell(graph, o, base_iri)}</td></tr>"
            )
        parts.append("</table>")
    parts.append(
        "<p>Other formats: "
        + ", ".join(
            f"<a href='?format={k}'>{html.escape(FORMATS[k].media_type)}</a>"
            for k in GRAPH_OFFERS
            if k != "html"
        )
        + "</p></body></html>"
    )
    return "".join(parts)
