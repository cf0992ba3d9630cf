"""The packaged ontology artefacts (TBox and SHACL shapes), read via importlib.resources.

Parsed graphs are cached per process: validation runs once per ingested article and must
not re-parse the Turtle each time. Callers must not mutate the returned graphs; they get a
copy (:func:`ontology_graph` ``copy=True``) when they need to add to it.
"""

from __future__ import annotations

import functools
from importlib import resources

from rdflib import Graph

__all__ = [
    "ONTOLOGY_FILE",
    "ONTOLOGY_IRI",
    "SHAPES_FILE",
    "ontology_graph",
    "ontology_turtle",
    "shapes_graph",
]

ONTOLOGY_IRI = "https://w3id.org/trialgraph/ontology"
ONTOLOGY_FILE = "trialgraph.ttl"
SHAPES_FILE = "shapes.ttl"


def _text(name: str) -> str:
    return resources.files("trialgraph.ontology").joinpath(name).read_text(encoding="utf-8")


@functools.cache
def ontology_turtle() -> str:
    """The ontology Turtle as shipped (served as-is at the ontology IRI)."""
    return _text(ONTOLOGY_FILE)


@functools.cache
def _ontology() -> Graph:
    return Graph().parse(data=ontology_turtle(), format="turtle")


def ontology_graph(*, copy: bool = False) -> Graph:
    """The TBox as an rdflib graph (shared and cached unless ``copy``)."""
    graph = _ontology()
    if not copy:
        return graph
    fresh = Graph()
    for prefix, ns in graph.namespaces():
        fresh.bind(prefix, ns)
    for triple in graph:
        fresh.add(triple)
    return fresh


@functools.cache
def shapes_graph() -> Graph:
    """The SHACL shapes graph (shared and cached)."""
    return Graph().parse(data=_text(SHAPES_FILE), format="turtle")
