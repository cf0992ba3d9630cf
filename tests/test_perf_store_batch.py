"""``Store.replace_graphs``: several whole graphs in one call (ingest's batch commit), on
every backend; a bad graph in the batch writes nothing of the batch."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from trialgraph.errors import InputError
from trialgraph.store.base import Store

EX = "http://example.org/"


def _graph(tag: str, n: int) -> Graph:
    g = Graph()
    for i in range(n):
        g.add((URIRef(f"{EX}{tag}/{i}"), URIRef(f"{EX}p"), Literal(f"{tag} {i}")))
    return g


def test_replace_graphs_replaces_each_whole_and_leaves_others(store: Store) -> None:
    store.replace_graph(f"{EX}g/a", _graph("old-a", 5))
    store.replace_graph(f"{EX}g/keep", _graph("keep", 2))
    store.replace_graphs({f"{EX}g/a": _graph("a", 3), f"{EX}g/b": _graph("b", 4)})
    assert store.count(f"{EX}g/a") == 3
    assert store.count(f"{EX}g/b") == 4
    assert store.count(f"{EX}g/keep") == 2
    rows = store.select(f"SELECT ?o WHERE {{ GRAPH <{EX}g/a> {{ ?s ?p ?o }} }}")
    assert all(str(r["o"]).startswith("a ") for r in rows)
    store.replace_graphs({})  # nothing to do is not an error
    assert store.count(f"{EX}g/b") == 4


def test_a_bad_graph_in_the_batch_writes_nothing(store: Store) -> None:
    bad = Graph()
    bad.add((URIRef("http://example.org/has space"), URIRef(f"{EX}p"), Literal("x")))
    with pytest.raises(InputError):
        store.replace_graphs({f"{EX}g/ok": _graph("ok", 3), f"{EX}g/bad": bad})
    assert store.count(f"{EX}g/ok") == 0
    assert store.count(f"{EX}g/bad") == 0
