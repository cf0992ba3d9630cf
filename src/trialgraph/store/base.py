"""The Store protocol: what every backend (embedded Oxigraph, rdflib memory, remote SPARQL
1.1 endpoint) offers, and the format tables they share.

Capabilities are attributes (``writable``, ``persistent``), checked by callers before they
write, so a read-only remote endpoint is refused up front with :class:`ReadOnlyStore`
rather than failing deep inside an update.

Results come in two shapes: rows of rdflib terms (``select``) for Python callers such as
the REST layer, and raw bytes in a requested media type (``query_bytes``) that the SPARQL
endpoint passes through untouched; each backend serialises its own results.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from rdflib import Graph
from rdflib.term import Node

__all__ = [
    "RDF_FORMATS",
    "RESULT_FORMATS",
    "QueryOutput",
    "Row",
    "Store",
]

Row = Mapping[str, Node]

#: RDF serialisations: short name -> (media type, file extension). Quad formats hold graphs.
RDF_FORMATS: dict[str, tuple[str, str]] = {
    "turtle": ("text/turtle", "ttl"),
    "ntriples": ("application/n-triples", "nt"),
    "nquads": ("application/n-quads", "nq"),
    "trig": ("application/trig", "trig"),
    "jsonld": ("application/ld+json", "jsonld"),
    "rdfxml": ("application/rdf+xml", "rdf"),
}
QUAD_FORMATS = frozenset({"nquads", "trig"})

#: SPARQL SELECT/ASK result formats: short name -> media type.
RESULT_FORMATS: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


@dataclass(frozen=True)
class QueryOutput:
    """Serialised query output: bytes plus the media type they are in.

    ``kind`` is 'select', 'ask' or 'graph' (CONSTRUCT/DESCRIBE).
    """

    body: bytes
    media_type: str
    kind: str


@runtime_checkable
class Store(Protocol):
    """One RDF dataset with named graphs; queries see the union of all graphs."""

    #: can be written to (load, update, replace_graph, drop_graph)
    writable: bool
    #: survives the process (on disk or remote)
    persistent: bool
    #: the store string it was opened from, e.g. 'oxigraph:./data'
    location: str

    def select(
        self,
        query: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        timeout: float | None = None,
    ) -> list[dict[str, Node]]:
        """Run a SELECT; rows map variable names (no '?') to rdflib terms; unbound are absent.

        ``bindings`` pre-binds variables to RDF terms (pyoxigraph ``substitutions``, rdflib
        ``initBindings``, a VALUES block for remote endpoints): parameter values are terms,
        never text pasted into the query.

        :raises QuerySyntaxError: malformed SPARQL. :raises QueryTimeout: over ``timeout`` s.
        """
        ...

    def ask(self, query: str, *, timeout: float | None = None) -> bool:
        """Run an ASK query."""
        ...

    def construct(self, query: str, *, timeout: float | None = None) -> Graph:
        """Run a CONSTRUCT or DESCRIBE query; returns an rdflib Graph."""
        ...

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
        """Run any query form and serialise its output in the requested format.

        ``result_format`` (a RESULT_FORMATS key) applies to SELECT/ASK, ``graph_format``
        (an RDF_FORMATS key) to CONSTRUCT/DESCRIBE. ``default_graph_uris`` and
        ``named_graph_uris`` are the SPARQL Protocol's dataset parameters.
        """
        ...

    def update(self, update: str) -> None:
        """Run a SPARQL 1.1 Update. :raises ReadOnlyStore: when not writable."""
        ...

    def replace_graph(self, graph: str, data: Graph) -> None:
        """Atomically replace the named graph's content with ``data`` (one transaction)."""
        ...

    def replace_graphs(self, graphs: Mapping[str, Graph]) -> None:
        """Replace several named graphs at once, each whole: one transaction where the
        backend allows (ingest commits a batch of articles per call; per-graph
        transactions cost ~10 ms each on disk)."""
        ...

    def replace_graphs_ntriples(self, graphs: Mapping[str, str]) -> None:
        """:meth:`replace_graphs` with each graph's content given as N-Triples text, the
        form ingest already has (no rdflib Graph built just to be serialised again).
        Invalid N-Triples raises :class:`~trialgraph.errors.InputError` and writes nothing."""
        ...

    def drop_graph(self, graph: str) -> None:
        """Remove a named graph and its triples (no error if absent)."""
        ...

    def load(
        self, data: bytes, *, fmt: str, graph: str | None = None, base_iri: str | None = None
    ) -> int:
        """Bulk-load serialised RDF (an RDF_FORMATS key) into ``graph``; returns triples added.

        Triple formats go into ``graph`` (required for them); quad formats keep their graphs.
        """
        ...

    def dump(self, *, fmt: str, graph: str | None = None) -> Iterator[bytes]:
        """Serialise the whole dataset (quad formats) or one graph, in chunks (streamed)."""
        ...

    def graphs(self) -> list[str]:
        """The named graphs, as IRI strings, sorted."""
        ...

    def count(self, graph: str | None = None) -> int:
        """Number of triples in one graph, or quads in the whole store."""
        ...

    def close(self) -> None:
        """Release files, connections or server handles."""
        ...
