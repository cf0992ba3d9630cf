"""What ``GET /sparql`` without a query answers: a Service Description, or YASGUI.

The Service Description (SPARQL 1.1 Service Description vocabulary) says what this
endpoint offers, in the RDF format the client negotiates. A browser gets the YASGUI query
editor instead, served from the files bundled in ``api/static/yasgui`` (no CDN), with one
tab per named query (``queries/*.rq``) so people start from working examples.
"""

from __future__ import annotations

import html
import json
import logging
import re
from typing import Any

from fastapi import Request, Response
from fastapi.responses import HTMLResponse
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from trialgraph.api.negotiation import GRAPH_KEYS, negotiate

from trialgraph.config import Settings

__all__ = ["example_tabs", "service_description", "yasgui_page"]

log = logging.getLogger(__name__)

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")
_RDFLIB_FORMAT = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}
_RESULT_FORMAT_IRIS = (
    "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
    "Turtle", "N-Triples", "JSON-LD", "RDF_XML",
)  # fmt: skip


def _endpoint_url(request: Request) -> str:
    return str(request.url_for("sparql"))


def service_description(request: Request, settings: Settings) -> Response:
    """The SPARQL 1.1 Service Description of this endpoint, in a negotiated RDF format."""
    fmt = negotiate(
        request.headers.get("accept"), GRAPH_KEYS, format_param=request.query_params.get("format")
    )
    endpoint = URIRef(_endpoint_url(request))
    g = Graph()
    g.bind("sd", SD)
    service = BNode()
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, endpoint))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if settings.update_token:
        g.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    for name in _RESULT_FORMAT_IRIS:
        g.add((service, SD.resultFormat, FORMATS_NS[name]))
    if settings.sparql_default_graph == "union":
        g.add((service, SD.feature, SD.UnionDefaultGraph))
    dataset = BNode()
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    default_graph = BNode()
    g.add((dataset, SD.defaultGraph, default_graph))
    g.add((default_graph, RDF.type, SD.Graph))
    g.add((service, URIRef("http://purl.org/dc/terms/description"), Literal(
        f"trialgraph SPARQL endpoint; query timeout {settings.query_timeout:g} s, "
        f"at most {settings.max_rows} result rows per answer"
    )))  # fmt: skip
    body = g.serialize(format=_RDFLIB_FORMAT[fmt.key], encoding="utf-8")
    return Response(body, headers={"Vary": "Accept"}, media_type=fmt.content_type)


def _query_text(named: Any) -> str:
    for attr in ("text", "sparql", "query", "source"):
        value = getattr(named, attr, None)
        if isinstance(value, str) and value.strip():
            return value
    return ""


def _example_iri(param: Any) -> str | None:
    """An IRI given as an example in the parameter's description ('e.g. https://...')."""
    description = str(getattr(param, "description", "") or "")
    match = re.search(r"https?://\S+", description)
    return match.group(0).rstrip(".,;)\"'") if match else None


def example_tabs() -> list[dict[str, str]]:
    """One tab per named query; parameters with an example IRI are bound by a VALUES row."""
    try:
        from trialgraph.queries.loader import load_named_queries
    except ImportError:  # the loader is optional for this page
        return []
    tabs: list[dict[str, str]] = []
    for name, named in sorted(load_named_queries().items()):
        text = _query_text(named).rstrip()
        if not text:
            continue
        bound = []
        for param in getattr(named, "params", ()):
            iri = _example_iri(param) if str(getattr(param, "type", "")) == "iri" else None
            if iri:
                bound.append(f"VALUES ?{str(param.name).lstrip('?')} {{ <{iri}> }}")
        if bound and text.lstrip().upper().find("SELECT") >= 0:
            text = text + "\n" + "\n".join(bound)
        tabs.append({"name": str(getattr(named, "title", "") or name), "query": text})
    return tabs


_DEFAULT_QUERY = """PREFIX tg: <https://w3id.org/trialgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?trial ?label WHERE {
  ?trial a tg:Trial ; rdfs:label ?label .
} LIMIT 20
"""

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>trialgraph SPARQL endpoint</title>
<link rel="stylesheet" href="{css}">
<style>body {{ margin: 0 1em; font-family: sans-serif; }} h1 {{ font-size: 1.2em; }}</style>
</head><body>
<h1>trialgraph SPARQL endpoint <small>{endpoint}</small></h1>
<div id="yasgui"></div>
<script src="{js}"></script>
<script>
const cfg = {config};
const yasgui = new Yasgui(document.getElementById("yasgui"), {{
  requestConfig: {{ endpoint: cfg.endpoint, method: "POST" }},
  copyEndpointOnNewTab: true,
  persistenceId: null,
  populateFromUrl: false
}});
const stale = [...yasgui.persistentConfig.getTabs()];
cfg.tabs.forEach((tab, i) => yasgui.addTab(i === 0, {{ name: tab.name,
  yasqe: {{ value: tab.query }}, requestConfig: {{ endpoint: cfg.endpoint, method: "POST" }} }}));
for (const id of stale) {{ yasgui.getTab(id).close(); }}
if (cfg.run) {{ yasgui.getTab().query(); }}
</script>
</body></html>
"""


def yasgui_page(request: Request, settings: Settings, *, query: str | None = None) -> Response:
    """The editor; with ``?query=`` that query is the first tab and runs at once."""
    endpoint = _endpoint_url(request)
    tabs = example_tabs()
    if query:
        tabs.insert(0, {"name": "query", "query": query})
    elif not tabs:
        tabs = [{"name": "example", "query": _DEFAULT_QUERY}]
    config = {"endpoint": endpoint, "tabs": tabs, "run": bool(query)}
    # "</" inside a script block would end it early; JSON allows the escaped form.
    config_js = json.dumps(config).replace("</", "<\\/")
    page = _PAGE.format(
        css=html.escape(str(request.url_for("static", path="yasgui/yasgui.min.css"))),
        js=html.escape(str(request.url_for("static", path="yasgui/yasgui.min.js"))),
        endpoint=html.escape(endpoint),
        config=config_js,
    )
    return HTMLResponse(page, headers={"Vary": "Accept"})
