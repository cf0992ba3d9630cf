"""Human-readable ontology documentation as one self-contained HTML page.

Served by the API at the ontology IRI for browsers (RDF clients get the Turtle by content
negotiation). Everything is escaped with :func:`html.escape` and there is no external CSS,
script or font, so the page works offline and cannot be used for injection through a label.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from html import escape

from rdflib import OWL, RDF, RDFS, BNode, Graph, URIRef
from rdflib.term import Node

from trialgraph.vocab import DCTERMS, SKOS, TG_NS

__all__ = ["render_ontology_html"]

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;
color:#222;line-height:1.45}
h1{margin-bottom:.2rem} h2{border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{border:1px solid #ddd;padding:.35rem .5rem;vertical-align:top;text-align:left}
th{background:#f4f4f4} code{font-size:.88rem} .defined{color:#7a3e00;font-weight:600}
ul.tree{list-style:none;padding-left:1.1rem} ul.tree li::before{content:"└ ";color:#999}
.meta{color:#555}
"""
_ALIGN = (SKOS.exactMatch, SKOS.closeMatch, RDFS.subClassOf)


def _short(node: Node) -> str:
    text = str(node)
    for prefix, ns in (
        ("tg:", TG_NS),
        ("xsd:", "http://www.w3.org/2001/XMLSchema#"),
        ("prov:", "http://www.w3.org/ns/prov#"),
        ("oa:", "http://www.w3.org/ns/oa#"),
        ("obo:", "http://purl.obolibrary.org/obo/"),
    ):
        if text.startswith(ns):
            return prefix + text[len(ns) :]
    return text


def _ref(node: Node) -> str:
    """A link: in-page anchor for our terms, the IRI itself for external ones."""
    text = str(node)
    if isinstance(node, BNode):
        return "<em>(anonymous class)</em>"
    if text.startswith(TG_NS):
        local = escape(text[len(TG_NS) :])
        return f'<a href="#{local}"><code>tg:{local}</code></a>'
    return f'<a href="{escape(text)}"><code>{escape(_short(node))}</code></a>'


def _label(graph: Graph, node: Node) -> str:
    value = graph.value(node, RDFS.label)
    return escape(str(value)) if value is not None else escape(_short(node))


def _definition(graph: Graph, node: Node) -> str:
    value = graph.value(node, SKOS.definition)
    return escape(str(value)) if value is not None else "<em>no definition</em>"


def _ours(nodes: Iterable[Node]) -> list[URIRef]:
    """Our own terms only, sorted (external declarations are not documented here)."""
    return sorted(n for n in nodes if isinstance(n, URIRef) and str(n).startswith(TG_NS))


def _classes_section(graph: Graph) -> list[str]:
    rows = []
    for cls in _ours(graph.subjects(RDF.type, OWL.Class)):
        supers = [_ref(s) for s in graph.objects(cls, RDFS.subClassOf) if isinstance(s, URIRef)]
        align = [_ref(o) for p in _ALIGN[:2] for o in graph.objects(cls, p)]
        defined = (cls, OWL.equivalentClass, None) in graph
        name = cls[len(TG_NS) :]
        flag = ' <span class="defined">defined</span>' if defined else ""
        rows.append(
            f'<tr id="{escape(name)}"><td><code>tg:{escape(name)}</code>{flag}<br>'
            f"{_label(graph, cls)}</td><td>{_definition(graph, cls)}</td>"
            f"<td>{', '.join(supers) or '—'}</td><td>{', '.join(align) or '—'}</td></tr>"
        )
    return [
        "<h2>Classes</h2>",
        "<table><tr><th>class</th><th>definition</th><th>superclasses</th><th>alignments</th></tr>",
        *rows,
        "</table>",
    ]


def _properties_section(graph: Graph) -> list[str]:
    out: list[str] = []
    for kind, title in (
        (OWL.ObjectProperty, "Object properties"),
        (OWL.DatatypeProperty, "Datatype properties"),
    ):
        rows = []
        for prop in _ours(graph.subjects(RDF.type, kind)):
            name = prop[len(TG_NS) :]
            domain = ", ".join(_ref(d) for d in graph.objects(prop, RDFS.domain)) or "—"
            rng = ", ".join(_ref(r) for r in graph.objects(prop, RDFS.range)) or "—"
            align = ", ".join(_ref(o) for p in _ALIGN[:2] for o in graph.objects(prop, p))
            rows.append(
                f'<tr id="{escape(name)}"><td><code>tg:{escape(name)}</code><br>'
                f"{_label(graph, prop)}</td><td>{_definition(graph, prop)}</td>"
                f"<td>{domain}</td><td>{rng}</td><td>{align or '—'}</td></tr>"
            )
        out += [
            f"<h2>{title}</h2>",
            "<table><tr><th>property</th><th>definition</th><th>domain</th><th>range</th>"
            "<th>alignments</th></tr>",
            *rows,
            "</table>",
        ]
    return out


def _individuals_section(graph: Graph) -> list[str]:
    rows = []
    for ind in _ours(graph.subjects(RDF.type, OWL.NamedIndividual)):
        types = [_ref(t) for t in graph.objects(ind, RDF.type) if t != OWL.NamedIndividual]
        align = [_ref(o) for p in _ALIGN[:2] for o in graph.objects(ind, p)]
        name = ind[len(TG_NS) :]
        rows.append(
            f'<tr id="{escape(name)}"><td><code>tg:{escape(name)}</code><br>'
            f"{_label(graph, ind)}</td><td>{', '.join(types)}</td>"
            f"<td>{_definition(graph, ind)}</td><td>{', '.join(align) or '—'}</td></tr>"
        )
    return [
        "<h2>Individuals (measures, units, facet values)</h2>",
        "<table><tr><th>individual</th><th>type</th><th>definition</th><th>alignments</th></tr>",
        *rows,
        "</table>",
    ]


def _tree_section(graph: Graph) -> list[str]:
    """The tg: class hierarchy as nested lists: the cheap diagram."""
    classes = set(_ours(graph.subjects(RDF.type, OWL.Class)))
    children: dict[Node, list[URIRef]] = defaultdict(list)
    roots = []
    for cls in sorted(classes):
        parents = [p for p in graph.objects(cls, RDFS.subClassOf) if p in classes]
        for parent in parents:
            children[parent].append(cls)
        if not parents:
            roots.append(cls)

    def render(node: URIRef, seen: frozenset[URIRef]) -> str:
        kids = "".join(render(k, seen | {node}) for k in children[node] if k not in seen)
        return f"<li>{_ref(node)}{f'<ul class=tree>{kids}</ul>' if kids else ''}</li>"

    return [
        "<h2>Class hierarchy</h2>",
        "<ul class=tree>",
        *(render(r, frozenset()) for r in roots),
        "</ul>",
    ]


def render_ontology_html(graph: Graph) -> str:
    """The documentation page for the ontology in ``graph`` (TBox, optionally + catalogue)."""
    onto = graph.value(predicate=RDF.type, object=OWL.Ontology)
    title = graph.value(onto, DCTERMS.title) if onto is not None else None
    version = graph.value(onto, OWL.versionIRI) if onto is not None else None
    licence = graph.value(onto, DCTERMS.license) if onto is not None else None
    head = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(str(title or 'trialgraph ontology'))}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{escape(str(title or 'trialgraph ontology'))}</h1>",
        f'<p class="meta">IRI <code>{escape(str(onto or ""))}</code>'
        f" · version <code>{escape(str(version or ''))}</code>"
        + (
            f' · licence <a href="{escape(str(licence))}">{escape(str(licence))}</a>'
            if licence
            else ""
        )
        + "</p>",
        f"<p>{_definition(graph, onto) if onto is not None else ''}</p>",
        "<p>Request this IRI with <code>Accept: text/turtle</code> for the Turtle source.</p>",
    ]
    body = (
        _tree_section(graph)
        + _classes_section(graph)
        + _properties_section(graph)
        + _individuals_section(graph)
    )
    return "\n".join([*head, *body, "</body></html>"]) + "\n"
