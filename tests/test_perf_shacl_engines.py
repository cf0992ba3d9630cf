"""The compiled SHACL engine (``shacl``, used on the ingest path) against the reference
(pyshacl): the same violations on every broken and passing graph of the shapes suite and
on the graphs of the corpus articles. If they ever disagree, ingest would accept or reject
different articles than the shapes say, so this is what allows the fast engine."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers_ontology import standard_article
from rdflib import RDF, Graph
from test_ontology_shapes import CASES, PASSING, Mutation
from trialgraph.ingest.sources.document import Document
from trialgraph.ingest.sources.readers import read_path
from trialgraph.ontology.validate import Violation, validate_graph

from trialgraph.vocab import TG

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
ALL = [(f"broken {s}: {w}", m) for s, w, m in CASES] + [
    (f"passing {s}", m) for s, m in PASSING.items()
]


def _both(graph: Graph, text: str | None = None) -> tuple[list[Violation], list[Violation]]:
    fast = validate_graph(graph, article_text=text)
    reference = validate_graph(graph, article_text=text, engine="pyshacl")
    assert fast.conforms == reference.conforms
    assert fast.text == reference.text
    return fast.violations, reference.violations


@pytest.mark.parametrize(("why", "mutate"), ALL, ids=[w for w, _ in ALL])
def test_engines_agree_on_the_shapes_suite(why: str, mutate: Mutation) -> None:
    b, r = standard_article()
    mutate(b, r)
    fast, reference = _both(b.g)
    assert fast == reference, why
    if why.startswith("broken"):
        assert fast, "a broken graph must be rejected"


def test_engines_agree_on_the_standard_article_and_subclass_targets() -> None:
    b, r = standard_article()
    assert _both(b.g, b.text) == ([], [])
    b.g.remove((r["median1"], RDF.type, TG.Result))  # typed only tg:ArmResult
    b.g.remove((r["median1"], TG.endpoint, None))
    fast, reference = _both(b.g)
    assert fast == reference
    assert "ResultShape" in {v.shape for v in fast}


@pytest.mark.slow
def test_engines_agree_on_corpus_graphs() -> None:
    from trialgraph.ingest.pipeline import Pipeline

    from trialgraph.store import get_store

    store = get_store("memory:")
    pipeline = Pipeline(store)
    docs = [
        doc
        for part in ("seeds", "dev")
        for doc in read_path(SHARED / "corpus" / part / "articles")
        if isinstance(doc, Document)
    ]
    assert len(docs) >= 10
    for doc in docs:
        _, graph = pipeline.build(doc)
        fast, reference = _both(graph, doc.text)
        assert fast == reference, doc.name
        # and a corrupted copy: every result loses its evidence
        broken = Graph()
        for triple in graph:
            if triple[1] != TG.hasEvidence:
                broken.add(triple)
        fast, reference = _both(broken, doc.text)
        assert fast == reference, doc.name
    store.close()
