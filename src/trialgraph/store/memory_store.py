"""The ``memory:`` backend: an rdflib ``Dataset`` in memory, for tests and small data.

rdflib's SPARQL engine is far too slow past a few thousand trials (PERF_NOTES): use
``oxigraph:`` for anything real. Queries see the union of graphs (``default_union``);
bindings use rdflib's ``initBindings``. rdflib is not thread-safe, so every operation
holds one lock; a timed-out query keeps it until rdflib finishes (see
:mod:`trialgraph.store._deadline`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from xml.sax import SAXException

import pyoxigraph as ox
from pyparsing import ParseException
from rdflib import Dataset, Graph, URIRef
from rdflib.exceptions import ParserError as RdflibParserError
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.sparql import prepareQuery, prepareUpdate
from rdflib.query import Result
from rdflib.term import Node

from trialgraph.errors import InputError, QuerySyntaxError, StoreError
from trialgraph.store._common import (
    check_iri,
    check_rdf_format,
    check_result_format,
    chunked,
    is_quad_format,
    one_line,
)
from trialgraph.store._deadline import check, run_with_deadline
from trialgraph.store._terms import ntriples_to_graph, serialize_rdf, to_oxigraph_triples
from trialgraph.store.base import RDF_FORMATS, RESULT_FORMATS, QueryOutput

__all__ = ["MemoryStore"]

#: our format names -> rdflib plugin names
_RDFLIB = {
    "turtle": "turtle",
    "ntriples": "nt",
    "nquads": "nquads",
    "trig": "trig",
    "jsonld": "json-ld",
    "rdfxml": "xml",
}
_OX_RESULTS = {
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
#: what rdflib's RDF parsers raise on bad input (Turtle/TriG raise SyntaxError subclasses,
#: JSON-LD and decoding ValueError, RDF/XML SAXException, N-Triples/N-Quads ParseError)
_PARSE_ERRORS = (SyntaxError, ValueError, TypeError, SAXException, RdflibParserError)
#: pyparsing raises this family for SPARQL syntax errors in rdflib
_SYNTAX_ERRORS = (ParseException, SyntaxError)


class MemoryStore:
    """An rdflib ``Dataset`` implementing :class:`trialgraph.store.base.Store`."""

    writable = True
    persistent = False

    def __init__(self) -> None:
        self.location = "memory:"
        self._ds = Dataset(default_union=True)
        self._lock = threading.RLock()

    # ---------------------------------------------------------------- queries
    def _query(
        self,
        query: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> Result:
        try:
            prepared = prepareQuery(query)
        except _SYNTAX_ERRORS as exc:
            raise QuerySyntaxError(f"malformed SPARQL: {one_line(exc)}") from exc
        target: Graph = self._ds
        if default_graph_uris or named_graph_uris:
            target = self._protocol_dataset(default_graph_uris, named_graph_uris)
        try:
            return target.query(prepared, initBindings=dict(bindings or {}))  # type: ignore[arg-type]
        except (ValueError, TypeError, KeyError) as exc:
            raise StoreError(f"query failed: {exc}") from exc

    def _protocol_dataset(self, default: Sequence[str], named: Sequence[str]) -> Dataset:
        """A dataset of exactly the named graphs the SPARQL Protocol parameters list."""
        ds = Dataset(default_union=False)
        for iri in default:
            for triple in self._ds.graph(URIRef(check_iri(iri))):
                ds.default_graph.add(triple)
        for iri in named:
            target = ds.graph(URIRef(check_iri(iri)))
            for triple in self._ds.graph(URIRef(iri)):
                target.add(triple)
        return ds

    def select(
        self,
        query: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        timeout: float | None = None,
    ) -> list[dict[str, Node]]:
        def work(cancel: threading.Event) -> list[dict[str, Node]]:
            with self._lock:
                result = self._query(query, bindings=bindings)
                if result.type != "SELECT":
                    raise InputError("expected a SELECT query")
                rows: list[dict[str, Node]] = []
                for row in result.bindings:
                    check(cancel, timeout)
                    rows.append({str(k): v for k, v in row.items() if v is not None})
                return rows

        return run_with_deadline(work, timeout)

    def ask(self, query: str, *, timeout: float | None = None) -> bool:
        def work(cancel: threading.Event) -> bool:
            with self._lock:
                result = self._query(query)
                if result.type != "ASK":
                    raise InputError("expected an ASK query")
                return bool(result.askAnswer)

        return run_with_deadline(work, timeout)

    def construct(self, query: str, *, timeout: float | None = None) -> Graph:
        def work(cancel: threading.Event) -> Graph:
            with self._lock:
                result = self._query(query)
                if result.type not in ("CONSTRUCT", "DESCRIBE") or result.graph is None:
                    raise InputError("expected a CONSTRUCT or DESCRIBE query")
                graph = Graph()
                for triple in result.graph:
                    check(cancel, timeout)
                    graph.add(triple)
                return graph

        return run_with_deadline(work, timeout)

    def query_bytes(
        self,
        query: str,
        *,
        result_format: str = "json",
        graph_format: str = "turtle",
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        bindings: Mapping[str, Node] | None = None,
        timeout: float | None = None,
    ) -> QueryOutput:
        check_result_format(result_format)
        check_rdf_format(graph_format)

        def work(cancel: threading.Event) -> QueryOutput:
            with self._lock:
                result = self._query(
                    query,
                    bindings=bindings,
                    default_graph_uris=default_graph_uris,
                    named_graph_uris=named_graph_uris,
                )
                if result.type in ("CONSTRUCT", "DESCRIBE"):
                    assert result.graph is not None
                    rows = [(s, p, o, None) for s, p, o in result.graph]
                    body = serialize_rdf(rows, graph_format)
                    return QueryOutput(body, RDF_FORMATS[graph_format][0], "graph")
                kind = "ask" if result.type == "ASK" else "select"
                check(cancel, timeout)
                return QueryOutput(
                    _results_bytes(result, result_format), RESULT_FORMATS[result_format], kind
                )

        return run_with_deadline(work, timeout)

    # ---------------------------------------------------------------- writes
    def update(self, update: str) -> None:
        """Parsed fully before anything is touched, so a malformed update changes nothing."""
        try:
            prepared = prepareUpdate(update)
        except _SYNTAX_ERRORS as exc:
            raise QuerySyntaxError(f"malformed SPARQL update: {one_line(exc)}") from exc
        with self._lock:
            try:
                self._ds.update(prepared)
            except (ValueError, TypeError, KeyError) as exc:
                raise StoreError(f"update failed: {exc}") from exc

    def replace_graph(self, graph: str, data: Graph) -> None:
        """Under the store lock, so no reader sees the graph half-replaced."""
        name = URIRef(check_iri(graph))
        to_oxigraph_triples(data)  # validate every term before touching the dataset
        triples = list(data)
        with self._lock:
            self._ds.remove_graph(name)
            target = self._ds.graph(name)
            for triple in triples:
                target.add(triple)

    def replace_graphs(self, graphs: Mapping[str, Graph]) -> None:
        """Every term checked first, then all graphs replaced under the store lock."""
        checked = {}
        for graph, data in graphs.items():
            to_oxigraph_triples(data)
            checked[URIRef(check_iri(graph))] = list(data)
        with self._lock:
            for name, triples in checked.items():
                self._ds.remove_graph(name)
                target = self._ds.graph(name)
                for triple in triples:
                    target.add(triple)

    def replace_graphs_ntriples(self, graphs: Mapping[str, str]) -> None:
        """Parsed first (bad text writes nothing), then :meth:`replace_graphs`."""
        self.replace_graphs({graph: ntriples_to_graph(text) for graph, text in graphs.items()})

    def drop_graph(self, graph: str) -> None:
        with self._lock:
            self._ds.remove_graph(URIRef(check_iri(graph)))

    def load(
        self,
        data: bytes,
        *,
        fmt: str,
        graph: str | None = None,
        base_iri: str | None = None,
    ) -> int:
        """Parse into a scratch dataset first: bad input adds nothing."""
        quad = is_quad_format(fmt)
        if not quad and graph is None:
            raise InputError(f"{fmt} holds no graph names: give the graph to load into")
        target_name = URIRef(check_iri(graph)) if graph is not None else None
        scratch = Dataset()
        try:
            scratch.parse(data=data, format=_RDFLIB[fmt], publicID=base_iri)
        except _PARSE_ERRORS as exc:
            raise InputError(f"cannot parse {fmt} input: {one_line(exc)}") from exc
        quads: list[tuple[Any, Any, Any, Any]] = []
        for s, p, o, g in scratch.quads((None, None, None, None)):
            name = g.identifier if isinstance(g, Graph) else g
            if name in (None, DATASET_DEFAULT_GRAPH_ID):
                name = target_name if target_name is not None else DATASET_DEFAULT_GRAPH_ID
            quads.append((s, p, o, name))
        with self._lock:
            for s, p, o, name in quads:
                self._ds.graph(name).add((s, p, o))
        return len(quads)

    # ---------------------------------------------------------------- reads
    def dump(self, *, fmt: str, graph: str | None = None) -> Iterator[bytes]:
        """Serialised whole by pyoxigraph (rdflib's JSON-LD writer drops some blank-node
        cycles), then yielded in chunks. Same graph semantics as the other backends."""
        quad = is_quad_format(fmt)
        with self._lock:
            if graph is not None:
                name = URIRef(check_iri(graph))
                label: Node | None = name if quad else None
                rows = [(s, p, o, label) for s, p, o in self._ds.graph(name)]
            elif quad:
                rows = [
                    (s, p, o, None if g in (None, DATASET_DEFAULT_GRAPH_ID) else g)
                    for s, p, o, g in self._ds.quads((None, None, None, None))
                ]
            else:
                rows = [(s, p, o, None) for s, p, o in set(self._ds.triples((None, None, None)))]
        return chunked(serialize_rdf(rows, fmt))

    def graphs(self) -> list[str]:
        with self._lock:
            return sorted(
                str(g.identifier)
                for g in self._ds.graphs()
                if g.identifier != DATASET_DEFAULT_GRAPH_ID
                and isinstance(g.identifier, URIRef)
                and len(g) > 0
            )

    def count(self, graph: str | None = None) -> int:
        with self._lock:
            if graph is not None:
                return len(self._ds.graph(URIRef(check_iri(graph))))
            return sum(len(g) for g in self._ds.graphs())

    def close(self) -> None:
        """Nothing to release: the data lives in this object."""


def _results_bytes(result: Result, fmt: str) -> bytes:
    """SELECT/ASK results in ``fmt``: rdflib writes SPARQL JSON, pyoxigraph converts it.

    rdflib has no TSV writer and no CSV for ASK; going through pyoxigraph's serialisers
    also makes every backend's bytes alike.
    """
    json_bytes = result.serialize(format="json", encoding="utf-8")
    assert json_bytes is not None
    if fmt == "json":
        return json_bytes
    parsed = ox.parse_query_results(json_bytes, format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=_OX_RESULTS[fmt]) or b""
