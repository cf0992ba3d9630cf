"""Ingest's fast path: triples made once as pyoxigraph terms, N-Triples into SHACL and the
store, ``Store.extend``-free batch loads for new graphs, and the cheap reference-graph
check. Each must give what the slower, older path gave."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from helpers_pipeline import ARTICLE_A, ARTICLE_B
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from trialgraph.ingest.pipeline import Pipeline, _fingerprint
from trialgraph.ingest.sources.document import Document
from trialgraph.ontology.validate import validate_graph, validate_triples

from trialgraph.errors import InputError
from trialgraph.rdf import evidence_to_graph, evidence_triples
from trialgraph.store import get_store
from trialgraph.store._terms import ntriples_to_graph, to_ntriples, to_oxigraph
from trialgraph.store.base import Store
from trialgraph.store.oxigraph_store import OxigraphStore

EX = "http://example.org/"


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(get_store("oxigraph:"))


def _doc(name: str, text: str) -> Document:
    return Document(name=name, text=text, source=name)


def test_triples_ntriples_and_graph_are_the_same_triples(pipeline: Pipeline) -> None:
    doc = _doc("a.txt", ARTICLE_A)
    evidence = pipeline.extract(doc)
    kwargs = {
        "document_text": doc.text,
        "minter": pipeline.minter,
        "software_version": "t",
        "addon": pipeline.addon,
    }
    triples = evidence_triples(evidence, **kwargs)  # type: ignore[arg-type]
    graph = evidence_to_graph(evidence, **kwargs)  # type: ignore[arg-type]
    assert len(triples) == len(set(triples)) == len(graph) > 20
    assert isomorphic(ntriples_to_graph(to_ntriples(triples)), graph)


def test_validate_triples_agrees_with_validate_graph(pipeline: Pipeline) -> None:
    doc = _doc("b.txt", ARTICLE_B)
    _, graph = pipeline.build(doc)
    triples = [(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph]
    for text in (doc.text, "x" + doc.text):  # the second shifts every quote: violations
        fast = validate_triples(triples, article_text=text)  # type: ignore[arg-type]
        slow = validate_graph(graph, article_text=text)
        assert fast == slow
    assert validate_graph(graph, article_text=doc.text).conforms
    assert not validate_triples(triples, article_text="x" + doc.text).conforms  # type: ignore[arg-type]


def _nt(tag: str, n: int) -> str:
    return "".join(f'<{EX}{tag}/{i}> <{EX}p> "{tag} {i}" .\n' for i in range(n))


def test_new_graphs_load_in_one_batch_and_existing_ones_are_replaced() -> None:
    store = OxigraphStore()
    store.replace_graphs_ntriples({f"{EX}g/a": _nt("a", 3), f"{EX}g/b": _nt("b", 2)})
    assert (store.count(f"{EX}g/a"), store.count(f"{EX}g/b"), store.count()) == (3, 2, 5)
    # one existing graph in the batch: replaced, not merged
    store.replace_graphs_ntriples({f"{EX}g/a": _nt("new-a", 1), f"{EX}g/c": _nt("c", 4)})
    assert (store.count(f"{EX}g/a"), store.count(f"{EX}g/c"), store.count()) == (1, 4, 7)


@pytest.mark.parametrize("existing", [False, True])
def test_bad_ntriples_write_nothing_of_the_batch(existing: bool) -> None:
    store = OxigraphStore()
    if existing:
        store.replace_graphs_ntriples({f"{EX}g/ok": _nt("old", 2)})
    before = store.count()
    bad = f"<{EX}s> <{EX}p> <not an iri> .\n"
    with pytest.raises(InputError):
        store.replace_graphs_ntriples({f"{EX}g/ok": _nt("ok", 3), f"{EX}g/bad": bad})
    assert store.count() == before
    assert store.count(f"{EX}g/bad") == 0


def test_other_ntriples_layouts_land_in_the_named_graph() -> None:
    """A comment after a statement, no space before the dot, blank lines: not the
    one-triple-per-line layout, so parsed properly; nothing reaches the default graph."""
    store = OxigraphStore()
    text = (
        f'<{EX}s> <{EX}p> "x" . # a comment "y" .\n\n'
        f"<{EX}s> <{EX}p> <{EX}o>.\n"
        f'<{EX}s> <{EX}p> "multi\\nline"@en .\n'
    )
    store.replace_graphs_ntriples({f"{EX}g/odd": text})
    assert store.count(f"{EX}g/odd") == 3
    assert store.count() == 3


def _ox(graph: Graph) -> list:  # type: ignore[type-arg]
    return [(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph]


def _tree(label: str, leaf: str) -> Graph:
    g = Graph()
    a, b = BNode(f"{label}1"), BNode(f"{label}2")
    g.add((URIRef(f"{EX}c"), URIRef(f"{EX}r"), a))
    g.add((a, URIRef(f"{EX}on"), b))
    g.add((b, URIRef(f"{EX}v"), Literal(leaf)))
    g.add((URIRef(f"{EX}d"), URIRef(f"{EX}r"), BNode(f"{label}3")))
    g.add((BNode(f"{label}3"), URIRef(f"{EX}v"), Literal("other")))
    return g


def test_fingerprint_is_the_isomorphism_test_for_blank_node_trees() -> None:
    assert _fingerprint(_ox(_tree("x", "leaf"))) == _fingerprint(_ox(_tree("y", "leaf")))
    assert _fingerprint(_ox(_tree("x", "leaf"))) != _fingerprint(_ox(_tree("x", "changed")))
    shared = _tree("x", "leaf")
    shared.add((URIRef(f"{EX}e"), URIRef(f"{EX}r"), BNode("x2")))  # two parents
    assert _fingerprint(_ox(shared)) is None


def test_a_changed_ontology_graph_with_the_same_size_is_reloaded() -> None:
    store = get_store("oxigraph:")
    pipeline = Pipeline(store)
    assert pipeline.ensure_reference_graphs()  # first run loads both
    assert pipeline.ensure_reference_graphs() == []  # then nothing changed
    name = str(pipeline.minter.graph("ontology"))
    # rewrite one literal under a blank node: same triple count, not isomorphic
    rows = store.select(
        f"SELECT ?s ?p ?o WHERE {{ GRAPH <{name}> {{ ?s ?p ?o "
        "FILTER(isBlank(?s) && isLiteral(?o)) } } LIMIT 1"
    )
    if not rows:
        rows = store.select(
            f"SELECT ?s ?p ?o WHERE {{ GRAPH <{name}> {{ ?s ?p ?o FILTER(isBlank(?s)) }} }} LIMIT 1"
        )
    assert rows, "the ontology graph has blank nodes"
    row = rows[0]
    data = b"".join(store.dump(fmt="ntriples", graph=name)).decode("utf-8")
    graph = ntriples_to_graph(data)
    size = len(graph)
    graph.remove((row["s"], row["p"], row["o"]))
    graph.add((row["s"], row["p"], Literal("tampered")))
    store.replace_graph(name, graph)
    assert store.count(name) == size  # the count alone cannot tell
    assert name in pipeline.ensure_reference_graphs()
    assert pipeline.ensure_reference_graphs() == []


def test_ingest_twice_gives_the_same_store_through_the_fast_path(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path), "in")
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE_A)
    (folder / "b.txt").write_text(ARTICLE_B)
    store = OxigraphStore()
    pipeline = Pipeline(store)
    pipeline.run([folder])
    first = b"".join(store.dump(fmt="nquads"))
    pipeline.run([folder])  # every graph exists now: the SPARQL update path
    second = b"".join(store.dump(fmt="nquads"))
    assert (first and first == second) or _articles(first) == _articles(second)
    assert len(_articles(first)) > 40


def _articles(nquads: bytes) -> list[str]:
    """The article graphs' quads, sorted (they hold no blank nodes)."""
    quads = ox.parse(nquads, format=ox.RdfFormat.N_QUADS)
    return sorted(str(q) for q in quads if "/graph/article/" in str(q.graph_name))


def test_replace_graphs_ntriples_on_every_backend(store: Store) -> None:
    store.replace_graphs_ntriples({f"{EX}g/a": _nt("old", 5)})
    store.replace_graphs_ntriples({f"{EX}g/a": _nt("a", 2), f"{EX}g/b": _nt("b", 3)})
    assert (store.count(f"{EX}g/a"), store.count(f"{EX}g/b")) == (2, 3)
    with pytest.raises(InputError):
        store.replace_graphs_ntriples({f"{EX}g/c": _nt("c", 1), f"{EX}g/d": "<x> broken"})
    assert (store.count(f"{EX}g/c"), store.count(f"{EX}g/d")) == (0, 0)
