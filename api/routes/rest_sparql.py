"""The SPARQL behind the REST resources: filter patterns, pages, counts, neighbourhoods.

Every REST answer is computed by SPARQL over the :class:`~trialgraph.store.base.Store`, so
it works the same on every backend. Query shapes follow ``design/PERF_NOTES.md``:
selective patterns first, materialised facts (``tg:addsDrug``, the drug class closure)
instead of set differences, one pattern per OPTIONAL (in fact none: details are fetched as
``?s ?p ?o`` rows of a bounded neighbourhood and assembled in Python), no ORDER BY (the
store's index order is stable), small pages.

Filter values are bound as RDF terms (``bindings``); bound variables are also projected
(pyoxigraph substitutes only projected variables) and counts group by them, which keeps
the answer right even where a backend binds them with a trailing VALUES block.
IRIs listed in ``VALUES`` are ones the store itself returned, never request text.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from trialgraph.store.base import Store

__all__ = [
    "PREFIXES",
    "CountCache",
    "Neighbourhood",
    "Selection",
    "count",
    "linked_names",
    "neighbourhood",
    "page",
    "properties",
    "values_block",
]

PREFIXES = """PREFIX tg: <https://w3id.org/trialgraph/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


def values_block(var: str, terms: Iterable[Node]) -> str:
    """``VALUES ?var { ... }`` for terms that came out of the store (never request text)."""
    return f"VALUES ?{var} {{ {' '.join(t.n3() for t in terms)} }}"


def properties(var: str, *predicates: str) -> list[str]:
    """Branches reading fixed predicates of ``?var`` (one pattern each, no ``VALUES ?p``:
    pyoxigraph joins a ``VALUES ?p`` block against every triple of the predicate)."""
    return [f"?{var} {p} ?o . BIND({p} AS ?p) BIND(?{var} AS ?s)" for p in predicates]


def linked_names(path: str, predicate: str) -> str:
    """A branch naming the resources ``?s`` reached by ``path``, read from the SAME graph.

    Every article graph repeats the names of the drugs and endpoints it uses, so over the
    union of graphs ``?drug rdfs:label ?o`` has one row per article mentioning the drug
    (tens of thousands for a common one); inside ``GRAPH ?g`` it has one per reporting
    article of this resource.
    """
    return f"GRAPH ?g {{ {path} ?s . ?s {predicate} ?o }} BIND({predicate} AS ?p)"


@dataclass
class Selection:
    """A set of resources ``?{var}`` described by triple patterns and bound terms.

    ``patterns`` are SPARQL group lines; ``bindings`` bind their variables to terms.
    ``fallback`` is the pattern used when no filter applies (``?trial a tg:Trial``).
    """

    var: str
    fallback: str
    patterns: list[str] = field(default_factory=list)
    bindings: dict[str, Node] = field(default_factory=dict)
    #: known to match nothing (e.g. a text search without hits): no query is sent
    empty: bool = False

    def where(self) -> str:
        lines = self.patterns or [self.fallback]
        return "\n  ".join(lines)

    def bound(self) -> str:
        return " ".join(f"?{v}" for v in self.bindings)


def page(
    store: Store, selection: Selection, *, limit: int, offset: int, timeout: float | None
) -> list[URIRef]:
    """The IRIs on one page, in the store's own (stable) order."""
    if selection.empty:
        return []
    query = (
        f"{PREFIXES}SELECT DISTINCT ?{selection.var} {selection.bound()} WHERE {{\n"
        f"  {selection.where()}\n}} LIMIT {int(limit)} OFFSET {int(offset)}"
    )
    rows = store.select(query, bindings=selection.bindings, timeout=timeout)
    out: list[URIRef] = []
    for row in rows:
        term = row.get(selection.var)
        if isinstance(term, URIRef):
            out.append(term)
    return out


class CountCache:
    """Recent totals, so paging through one filter does not recount every match each time.

    A total costs a scan of every match (about 1 ms per 1,000 matches on pyoxigraph), the
    page itself does not; a total is reused for ``max_age`` seconds, so after a write the
    ``total`` of a list may lag by that long while its items are always current.
    """

    def __init__(self, *, max_age: float = 30.0, size: int = 2048) -> None:
        self.max_age = max_age
        self.size = size
        self._entries: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> int | None:
        with self._lock:
            entry = self._entries.get(key)
        if entry is None or time.monotonic() - entry[0] > self.max_age:
            return None
        return entry[1]

    def put(self, key: str, total: int) -> None:
        with self._lock:
            if len(self._entries) >= self.size:
                self._entries.clear()
            self._entries[key] = (time.monotonic(), total)


def count(
    store: Store, selection: Selection, *, timeout: float | None, cache: CountCache | None = None
) -> int:
    """How many distinct ``?var`` match, over all pages."""
    if selection.empty:
        return 0
    group = f" GROUP BY {selection.bound()}" if selection.bindings else ""
    query = (
        f"{PREFIXES}SELECT {selection.bound()} (COUNT(DISTINCT ?{selection.var}) AS ?total)"
        f" WHERE {{\n  {selection.where()}\n}}{group}"
    )
    key = query + "".join(f"\x1f{k}={v.n3()}" for k, v in sorted(selection.bindings.items()))
    cached = cache.get(key) if cache is not None else None
    if cached is not None:
        return cached
    rows = store.select(query, bindings=selection.bindings, timeout=timeout)
    total = 0
    for row in rows:
        value = row.get("total")
        if isinstance(value, Literal):
            total = int(value.toPython())
    if cache is not None:
        cache.put(key, total)
    return total


class Neighbourhood:
    """The triples around some resources, fetched in one query, read like a small graph.

    Plain dictionaries rather than an rdflib ``Graph``: adding a triple to a Graph costs
    about ten microseconds, which at a few hundred triples per trial page was most of the
    time the API spent outside the store.
    """

    def __init__(self, triples: Iterable[tuple[Node, Node, Node]] = ()) -> None:
        self._spo: dict[Node, dict[Node, set[Node]]] = {}
        self._pos: dict[tuple[Node, Node], set[Node]] = defaultdict(set)
        spo, pos = self._spo, self._pos
        for s, p, o in triples:
            po = spo.get(s)
            if po is None:
                po = spo[s] = {}
            objects = po.get(p)
            if objects is None:
                po[p] = {o}
            else:
                objects.add(o)
            pos[(p, o)].add(s)

    @property
    def graph(self) -> Graph:
        """The triples as an rdflib Graph (for serialisation)."""
        graph = Graph()
        for s, po in self._spo.items():
            for p, objects in po.items():
                for o in objects:
                    graph.add((s, p, o))
        return graph

    def objects(self, s: Node, p: Node) -> list[Node]:
        po = self._spo.get(s)
        values = po.get(p) if po else None
        if not values:
            return []
        if len(values) == 1:  # the usual case: no sort, no key calls
            return list(values)
        return sorted(values, key=str)

    def one(self, s: Node, p: Node) -> Node | None:
        values = self.objects(s, p)
        return values[0] if values else None

    def text(self, s: Node, p: Node) -> str | None:
        value = self.one(s, p)
        return None if value is None else str(value)

    def number(self, s: Node, p: Node) -> float | None:
        value = self.one(s, p)
        if isinstance(value, Literal):
            try:
                return float(value)
            except (TypeError, ValueError):
                return None
        return None

    def integer(self, s: Node, p: Node) -> int | None:
        value = self.number(s, p)
        return None if value is None else int(value)

    def boolean(self, s: Node, p: Node) -> bool | None:
        value = self.one(s, p)
        if isinstance(value, Literal):
            py = value.toPython()
            return py if isinstance(py, bool) else None
        return None

    def subjects(self, p: Node, o: Node) -> list[Node]:
        return sorted(self._pos.get((p, o), ()), key=str)

    def has(self, s: Node) -> bool:
        return s in self._spo


def neighbourhood(
    store: Store,
    branches: Sequence[str],
    *,
    var: str,
    bindings: Mapping[str, Node] | None = None,
    values: Sequence[Node] = (),
    timeout: float | None,
) -> Neighbourhood:
    """Run ``{ branch } UNION { branch } ...``, each binding ``?s ?p ?o``; build a graph.

    ``var`` is the anchor variable, bound either by ``bindings`` (one resource) or by
    ``values`` (a page of resources already read from the store).
    """
    head = values_block(var, values) + "\n  " if values else ""
    union = "\n  UNION ".join(f"{{ {b} }}" for b in branches)
    bound = " ".join(f"?{v}" for v in (bindings or {}))
    query = f"{PREFIXES}SELECT {bound} ?s ?p ?o WHERE {{\n  {head}{union}\n}}"
    rows = store.select(query, bindings=bindings, timeout=timeout)
    return Neighbourhood(
        (row["s"], row["p"], row["o"]) for row in rows if "s" in row and "p" in row and "o" in row
    )
