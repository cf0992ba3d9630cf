"""Term conversion between rdflib and pyoxigraph, in one place.

This sits on the hot path of every REST call (each row of every SELECT goes through
:func:`to_rdflib`), so it does the least work that keeps terms exact: literals keep their
lexical form (``normalize=False``), so ``"01"^^xsd:integer`` round-trips unchanged, and
``xsd:string`` literals become plain rdflib literals (RDF 1.1 says they are the same term).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from trialgraph.errors import InputError, StoreError

__all__ = [
    "OX_RDF_FORMATS",
    "OxTriple",
    "graph_node",
    "ntriples_to_graph",
    "serialize_rdf",
    "to_ntriples",
    "to_oxigraph",
    "to_oxigraph_triples",
    "to_rdflib",
    "triple_to_rdflib",
    "triples_to_graph",
]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_OX_XSD_STRING = ox.NamedNode(_XSD_STRING)

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
#: a triple as a plain tuple of pyoxigraph terms (cheaper to make than ``ox.Triple``)
OxTriple = tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, OxTerm]

#: our RDF format names -> pyoxigraph formats
OX_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


#: converted terms, keyed by the pyoxigraph term: the same IRIs (predicates, classes,
#: drugs, endpoints) and short literals recur in almost every row, and rdflib's
#: constructors validate each one (1-4 µs a term; a dict hit is ~0.15 µs). rdflib terms
#: are immutable, so sharing them is safe. Bounded: emptied when full; long literals
#: (quotes, titles: rarely repeated) are not kept.
_MEMO: dict[object, Node] = {}
_MEMO_SIZE = 100_000
_MEMO_MAX_LITERAL = 200


def to_rdflib(term: object) -> Node:
    """Convert a pyoxigraph term to the equal rdflib term (memoised, see ``_MEMO``).

    :raises StoreError: for an RDF-star quoted triple, which rdflib cannot represent.
    """
    node = _MEMO.get(term)
    if node is None:
        node = _convert(term)
        if not isinstance(term, ox.Literal) or len(term.value) <= _MEMO_MAX_LITERAL:
            if len(_MEMO) >= _MEMO_SIZE:
                _MEMO.clear()
            _MEMO[term] = node
    return node


def _convert(term: object) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language is not None:
            return Literal(term.value, lang=term.language, normalize=False)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype), normalize=False)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise StoreError(f"cannot represent {term!r} as an rdflib term (RDF-star is not supported)")


def to_oxigraph(term: Node) -> OxTerm:
    """Convert an rdflib term to the equal pyoxigraph term.

    :raises InputError: when the term is not valid RDF (e.g. an IRI with a space), so a
        bad parameter value is reported as bad input rather than a store failure.
    """
    try:
        if isinstance(term, URIRef):
            return ox.NamedNode(str(term))
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is not None and str(term.datatype) != _RDF_LANGSTRING:
                return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            return ox.Literal(str(term))
        if isinstance(term, BNode):
            return ox.BlankNode(str(term))
    except ValueError as exc:
        raise InputError(f"not a valid RDF term: {term!r}: {exc}") from exc
    raise InputError(f"not an RDF term: {term!r}")


def graph_node(graph: str) -> ox.NamedNode:
    """A graph name as a pyoxigraph IRI. :raises InputError: if it is not a valid IRI."""
    try:
        return ox.NamedNode(graph)
    except ValueError as exc:
        raise InputError(f"not a valid graph IRI: {graph!r}: {exc}") from exc


def triple_to_rdflib(triple: ox.Triple) -> tuple[Node, Node, Node]:
    """Convert a pyoxigraph triple to an rdflib (s, p, o) tuple."""
    return (to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object))


def to_oxigraph_triples(graph: Graph) -> list[ox.Triple]:
    """Every triple of ``graph`` as pyoxigraph triples; validates every term on the way.

    :raises InputError: when any term is not valid RDF, before anything is written.
    """
    return [
        ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
        for s, p, o in graph
    ]


def serialize_rdf(rows: Iterable[tuple[Node, Node, Node, Node | None]], fmt: str) -> bytes:
    """Serialise rdflib (s, p, o, graph-or-None) rows with pyoxigraph's writers.

    One set of writers for every backend, so their output agrees; a triple format gets
    the triples (graph names dropped).
    """
    rdf_format = OX_RDF_FORMATS[fmt]
    items: list[Any]
    if rdf_format.supports_datasets:
        items = [
            ox.Quad(
                to_oxigraph(s),  # type: ignore[arg-type]
                to_oxigraph(p),  # type: ignore[arg-type]
                to_oxigraph(o),
                ox.DefaultGraph() if g is None else to_oxigraph(g),  # type: ignore[arg-type]
            )
            for s, p, o, g in rows
        ]
    else:
        items = [
            ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
            for s, p, o, _ in rows
        ]
    return ox.serialize(items, format=rdf_format) or b""


def to_ntriples(triples: Iterable[OxTriple]) -> str:
    """N-Triples text of pyoxigraph terms: ``str()`` of a term is its N-Triples form
    (escaped by pyoxigraph), so this is one f-string per triple, no serializer round."""
    return "".join([f"{s} {p} {o} .\n" for s, p, o in triples])


def triples_to_graph(triples: Iterable[OxTriple]) -> Graph:
    """An rdflib Graph of pyoxigraph-term triples (for callers whose API wants a Graph)."""
    graph = Graph()
    graph.addN((to_rdflib(s), to_rdflib(p), to_rdflib(o), graph) for s, p, o in triples)
    return graph


def ntriples_to_graph(text: str) -> Graph:
    """Parse N-Triples with pyoxigraph's parser into an rdflib Graph.

    :raises InputError: the text is not valid N-Triples.
    """
    try:
        parsed = ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
        return triples_to_graph((q.subject, q.predicate, q.object) for q in parsed)
    except (SyntaxError, ValueError) as exc:
        raise InputError(f"not valid N-Triples: {exc}") from exc
