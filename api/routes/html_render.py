"""The HTML view of a graph: a page a researcher can read, not a dump of triples.

Names are compacted with readable prefixes (``trial:``, ``arm:``, ``tg:`` ...) instead of
rdflib's generated ``ns1:``, links show the target's label when the description carries it,
and a resource page adds what the RDF formats leave out on purpose (they stay a CBD): the
resources that point to it ("Referenced by") and, for a trial, its results as one table.
Every piece of store text goes through :func:`html.escape`.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.term import Node
from trialgraph.api.negotiation import FORMATS
from trialgraph.api.routes.rdf_render import GRAPH_OFFERS, jsonld_context

from trialgraph.vocab import DCTERMS, OA, SKOS, TG, TG_NS

__all__ = ["RESOURCE_KINDS", "Incoming", "html_prefixes", "render_html"]

#: the kinds of resource the store mints under ``{base}id/``, each shown as a prefix
RESOURCE_KINDS = (
    "trial",
    "arm",
    "drug",
    "result",
    "evidence",
    "population",
    "article",
    "endpoint",
    "subgroup",
    "run",
)
_NAME_PREDICATES = (RDFS.label, SKOS.prefLabel, SKOS.notation, DCTERMS.title)
_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:72em;margin:1.5em auto;padding:0 1em;"
    "color:#222;line-height:1.4}h1{margin-bottom:.1em}h2{margin-top:1.6em;border-bottom:1px "
    "solid #ccc}.meta{color:#555;margin-top:0}.iri,.dt{color:#777;font-size:.85em}"
    "code{font-size:.9em}table{border-collapse:collapse;width:100%}th,td{text-align:left;"
    "vertical-align:top;padding:.25em .6em;border-bottom:1px solid #eee}th{background:#f4f4f4}"
    "td.num{white-space:nowrap}blockquote{margin:0;font-style:italic}a{color:#0550ae;"
    "text-decoration:none}a:hover{text-decoration:underline}ul{margin:.2em 0}"
)


@dataclass
class Incoming:
    """Subjects linking to the resource through a property or a chain of them (a first
    page). ``total`` counts the linking subjects up to a cap; ``capped`` says it stopped.
    """

    path: tuple[URIRef, ...]
    subjects: list[tuple[URIRef, str | None]]
    total: int
    capped: bool = False


@dataclass
class _Names:
    """How terms are shown: prefixes, labels and where links point."""

    base_iri: str
    prefixes: list[tuple[str, str]]
    labels: dict[Node, str] = field(default_factory=dict)

    def compact(self, node: Node) -> str:
        text = str(node)
        for prefix, ns in self.prefixes:
            if text.startswith(ns) and len(text) > len(ns):
                return f"{prefix}:{text[len(ns) :]}"
        return text

    def href(self, node: Node) -> str:
        """Our resources link to this server's ``/id/...`` pages, our terms to ``/ontology``."""
        text = str(node)
        if text.startswith(f"{self.base_iri}id/"):
            return "/" + text[len(self.base_iri) :]
        if text.startswith(TG_NS):
            return "/ontology#" + text[len(TG_NS) :]
        return text

    def link(self, node: Node, *, label: bool = True, brief: bool = False) -> str:
        """The label (when known and wanted) then the compact name, or with ``brief`` the
        label alone with the compact name as its tooltip (table cells stay narrow)."""
        shown = self.labels.get(node) if label else None
        compact = html.escape(self.compact(node), quote=True)
        href = html.escape(self.href(node), quote=True)
        if shown is None:
            return f'<a href="{href}">{compact}</a>'
        if brief:
            return f'<a href="{href}" title="{compact}">{html.escape(shown)}</a>'
        return f'<a href="{href}">{html.escape(shown)}</a> <span class="iri">{compact}</span>'

    def value(self, node: Node) -> str:
        if isinstance(node, URIRef):
            return self.link(node)
        if isinstance(node, Literal):
            text = html.escape(str(node))
            if node.language:
                return f'{text} <span class="dt">@{html.escape(node.language)}</span>'
            if node.datatype is not None and node.datatype != XSD.string:
                return f'{text} <span class="dt">{html.escape(self.compact(node.datatype))}</span>'
            return text
        return html.escape(str(node))


def html_prefixes(base_iri: str) -> dict[str, str]:
    """Vocabulary prefixes plus one per resource kind (``arm:`` -> ``{base}id/arm/``)."""
    prefixes = {k: v for k, v in jsonld_context(base_iri).items() if k != "id"}
    prefixes.update({kind: f"{base_iri}id/{kind}/" for kind in RESOURCE_KINDS})
    return prefixes


def _names(graph: Graph, base_iri: str) -> _Names:
    by_length = sorted(html_prefixes(base_iri).items(), key=lambda kv: -len(kv[1]))
    names = _Names(base_iri, by_length)
    for predicate in reversed(_NAME_PREDICATES):  # rdfs:label wins over the others
        for s, o in graph.subject_objects(predicate):
            names.labels[s] = str(o)
    return names


def _page(title: str, body: Iterable[str]) -> str:
    formats = ", ".join(
        f'<a href="?format={k}">{html.escape(FORMATS[k].media_type)}</a>'
        for k in GRAPH_OFFERS
        if k != "html"
    )
    return "".join(
        [
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
            "<meta name='viewport' content='width=device-width,initial-scale=1'>",
            f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>",
            *body,
            f"<p class='meta'>This description as {formats}.</p></body></html>",
        ]
    )


def _properties(graph: Graph, names: _Names, s: Node, *, skip: set[tuple[Node, Node]]) -> str:
    grouped: dict[Node, list[Node]] = defaultdict(list)
    for p, o in graph.predicate_objects(s):
        if p != RDF.type and (p, o) not in skip:
            grouped[p].append(o)
    if not grouped:
        return ""
    rows = [
        f"<tr><td>{names.link(p, label=False)}</td><td>"
        + "<br>".join(names.value(o) for o in sorted(grouped[p], key=str))
        + "</td></tr>"
        for p in sorted(grouped, key=names.compact)
    ]
    return "<table><tr><th>property</th><th>value</th></tr>" + "".join(rows) + "</table>"


def _incoming(names: _Names, incoming: Sequence[Incoming]) -> list[str]:
    if not incoming:
        return []
    parts = ["<h2>Referenced by</h2>"]
    for group in incoming:
        count = f"{group.total}{'+' if group.capped else ''}"
        path = " / ".join(names.link(p, label=False) for p in group.path)
        parts.append(f"<h3>{path} ({count})</h3><ul>")
        for s, label in group.subjects:
            if label is not None:
                names.labels.setdefault(s, label)
            parts.append(f"<li>{names.link(s)}</li>")
        rest = group.total - len(group.subjects)
        if rest > 0:
            parts.append(f"<li>… and {rest}{'+' if group.capped else ''} more</li>")
        parts.append("</ul>")
    return parts


def _num(graph: Graph, s: Node, p: URIRef) -> str:
    value = graph.value(s, p)
    return "" if value is None else str(value)


def _results_table(graph: Graph, names: _Names, trial: URIRef) -> list[str]:
    """One row per result of ``trial``; ``graph`` holds the results' triples, the names of
    what they link to and ``(evidence, oa:exact, quote)`` for each evidence annotation."""
    rows: list[tuple[tuple[str, ...], str]] = []
    for r in set(graph.subjects(TG.ofTrial, trial)):

        def name(p: URIRef, r: Node = r) -> str:
            return ", ".join(
                names.link(o, brief=True) for o in sorted(graph.objects(r, p), key=str)
            )

        arms = name(TG.arm)
        if (r, TG.experimentalArm, None) in graph:
            arms = f"{name(TG.experimentalArm)} <i>vs</i> {name(TG.controlArm)}"
        if graph.value(r, TG.notReached) == Literal(True):
            value = "not reached"
        else:
            value = html.escape(_num(graph, r, TG.value))
        unit = graph.value(r, TG.unit)
        if unit is not None and value:
            value += " " + html.escape(names.labels.get(unit, names.compact(unit)))
        lower, upper = _num(graph, r, TG.ciLower), _num(graph, r, TG.ciUpper)
        ci = f"{lower}–{upper}" if lower or upper else ""
        p_value = _num(graph, r, TG.pValue)
        p = f"{_num(graph, r, TG.pOperator) or '='} {p_value}" if p_value else ""
        quotes = [
            f"<blockquote>“{html.escape(str(q))}”</blockquote> {names.link(e, label=False)}"
            for e in sorted(graph.objects(r, TG.hasEvidence), key=str)
            for q in graph.objects(e, OA.exact)
        ]
        cells = (
            name(TG.endpoint),
            name(TG.subgroup),
            html.escape(names.labels.get(graph.value(r, TG.measure) or r, "")),
            arms,
        )
        rows.append(
            (
                cells,
                "<tr>"
                + "".join(
                    f"<td>{c}</td>"
                    for c in (cells[0], cells[2], cells[3], value, html.escape(ci), p, cells[1])
                )
                + f"<td>{'<br>'.join(quotes)}</td><td>{names.link(r, label=False)}</td></tr>",
            )
        )
    if not rows:
        return []
    head = ("endpoint", "measure", "arm(s)", "value", "95% CI", "p", "subgroup", "quote", "result")
    return [
        f"<h2>Results ({len(rows)})</h2><table><tr>",
        *(f"<th>{h}</th>" for h in head),
        "</tr>",
        *(row for _, row in sorted(rows)),
        "</table>",
    ]


def render_html(
    graph: Graph,
    *,
    title: str,
    base_iri: str,
    subject: URIRef | None = None,
    incoming: Sequence[Incoming] = (),
    results: Graph | None = None,
    term_labels: dict[Node, str] | None = None,
) -> str:
    """A page for ``subject`` (heading, properties, results, incoming links), or for every
    subject of ``graph`` when there is none (the VoID description)."""
    names = _names(graph, base_iri)
    if term_labels:
        names.labels.update({k: v for k, v in term_labels.items() if k not in names.labels})
    if results is not None:
        for k, v in _names(results, base_iri).labels.items():
            names.labels.setdefault(k, v)
    body: list[str] = []
    others = sorted({s for s in graph.subjects() if isinstance(s, URIRef)}, key=str)
    if subject is not None:
        heading = names.labels.get(subject) or names.compact(subject)
        types = ", ".join(
            names.link(t, label=False) for t in sorted(graph.objects(subject, RDF.type), key=str)
        )
        body.append(f"<h1>{html.escape(heading)}</h1><p class='meta'>")
        body.append(f"{types}<br>" if types else "")
        body.append(f"<code>{html.escape(str(subject))}</code></p>")
        skip: set[tuple[Node, Node]] = {(RDFS.label, Literal(heading))}
        body.append(_properties(graph, names, subject, skip=skip))
        if results is not None:
            body.extend(_results_table(results, names, subject))
        # a linked resource's name alone is shown next to its link above
        others = [s for s in others if s != subject and len(set(graph.predicate_objects(s))) > 1]
    else:
        body.append(f"<h1>{html.escape(title)}</h1>")
    for s in others:
        types = ", ".join(
            names.link(t, label=False) for t in sorted(graph.objects(s, RDF.type), key=str)
        )
        body.append(f"<h2 id='{html.escape(str(s), quote=True)}'>{names.link(s)}</h2>")
        body.append(f"<p class='meta'>{types}</p>" if types else "")
        body.append(_properties(graph, names, s, skip=set()))
    body.extend(_incoming(names, incoming))
    return _page(title, body)
