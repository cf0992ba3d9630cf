"""The ingest pipeline on every backend: idempotence, replacement, identity, conflicts,
SHACL, and bad inputs that leave the store unchanged. Real extractor, shapes, catalogue.
"""

from __future__ import annotations

from pathlib import Path

from helpers_pipeline import (
    ARTICLE_A,
    ARTICLE_B,
    ARTICLE_C,
    graphs_of,
    same_content,
    write_articles,
)
from rdflib import URIRef
from trialgraph.ingest.commands import conflict_rows
from trialgraph.ingest.pipeline import Pipeline
from trialgraph.ingest.sources.readers import read_path
from trialgraph.ontology.validate import validate_graph

from trialgraph.ids import Minter
from trialgraph.store.base import Store
from trialgraph.vocab import TG

MINTER = Minter()
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def article_graphs(store: Store) -> list[str]:
    return [g for g in store.graphs() if "/graph/article/" in g]


def mentions(store: Store, trial: URIRef) -> set[str]:
    rows = store.select(f"SELECT ?a WHERE {{ ?a <{TG.mentionsTrial}> <{trial}> }}")
    return {str(r["a"]) for r in rows}


def test_ingest_twice_leaves_the_store_isomorphic(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder, {"a.txt": ARTICLE_A, "c.md": ARTICLE_C})
    first = Pipeline(store).run([folder])
    assert first.articles == 2 and first.errors == 0
    assert first.results >= 4
    before = graphs_of(store)
    assert len(article_graphs(store)) == 2
    again = Pipeline(store).run([folder])
    assert again.articles == 2
    assert same_content(before, graphs_of(store))


def test_changed_text_replaces_the_old_version(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(ARTICLE_A)
    pipeline = Pipeline(store)
    pipeline.run([path])
    zephyr = MINTER.trial("zephyr-9")
    article = str(MINTER.article("report.txt"))
    assert mentions(store, zephyr) == {article}
    path.write_text(ARTICLE_C)
    pipeline.run([path])
    assert mentions(store, zephyr) == set()
    assert mentions(store, MINTER.trial("orchid-4")) == {article}
    assert article_graphs(store) == [str(MINTER.article_graph("report.txt"))]


def test_one_trial_iri_across_two_articles(store: Store, tmp_path: Path) -> None:
    paths = write_articles(tmp_path, {"first.txt": ARTICLE_A, "second.html": ARTICLE_B})
    Pipeline(store).run(paths)
    assert mentions(store, MINTER.trial("zephyr-9")) == {
        str(MINTER.article("first.txt")),
        str(MINTER.article("second.html")),
    }
    # results stay attributed to their own article
    rows = store.select(
        f"SELECT DISTINCT ?a WHERE {{ ?r <{TG.ofTrial}> <{MINTER.trial('zephyr-9')}> ; "
        "<http://www.w3.org/ns/prov#wasDerivedFrom> ?a }"
    )
    assert len(rows) == 2


def test_conflicting_values_are_both_kept_and_listed(store: Store, tmp_path: Path) -> None:
    paths = write_articles(tmp_path, {"a.txt": ARTICLE_A, "b.txt": ARTICLE_B})
    Pipeline(store).run(paths)
    rows = conflict_rows(store)
    pairs = {
        (
            r["endpoint"].rsplit("/", 1)[-1],
            r["measure"].rsplit("#", 1)[-1],
            frozenset(float(rep["value"]) for rep in r["reports"]),
        )
        for r in rows
    }
    assert ("pfs", "Median", frozenset({21.4, 20.9})) in pairs
    assert ("pfs", "HazardRatio", frozenset({0.61, 0.63})) in pairs
    # the control arm's 14.2 months is reported identically: no conflict
    assert all(14.2 not in values for _, _, values in pairs)
    for row in rows:
        articles = {rep["article"] for rep in row["reports"]}
        assert articles == {str(MINTER.article("a.txt")), str(MINTER.article("b.txt"))}
        assert all(rep["quote"] for rep in row["reports"])


def test_bad_inputs_are_reported_and_leave_the_store_unchanged(
    store: Store, tmp_path: Path
) -> None:
    good = tmp_path / "good"
    write_articles(good, {"a.txt": ARTICLE_A})
    Pipeline(store).run([good])
    reference = graphs_of(store)

    mixed = tmp_path / "mixed"
    write_articles(mixed, {"a.txt": ARTICLE_A})
    (mixed / "empty.txt").write_bytes(b"")
    (mixed / "binary.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00")
    (mixed / "latin1.txt").write_bytes("R\u00e9sultats: median PFS 9 mois".encode("latin-1"))
    (mixed / "cut.html").write_text(f"<html><body><p>{ARTICLE_C}</p><p clas")
    (mixed / "huge.txt").write_text(ARTICLE_C * 200)
    summary = Pipeline(store, max_bytes=20_000).run([mixed])
    assert summary.articles == 1
    errors = {Path(r.source).name: r.error for r in summary.reports if r.error}
    assert set(errors) == {"empty.txt", "binary.txt", "latin1.txt", "cut.html", "huge.txt"}
    assert all(e is not None and "\n" not in e for e in errors.values())
    assert same_content(reference, graphs_of(store))


def test_every_article_graph_passes_shacl(store: Store, tmp_path: Path) -> None:
    write_articles(tmp_path, {"a.txt": ARTICLE_A, "b.txt": ARTICLE_B, "c.txt": ARTICLE_C})
    summary = Pipeline(store).run([tmp_path])
    assert summary.errors == 0
    for name, graph in graphs_of(store).items():
        if "/graph/article/" in name:
            report = validate_graph(graph)
            assert report.conforms, report.text


def test_corpus_graphs_conform_and_map_back() -> None:
    """Every corpus article's graph passes SHACL and reads back to the same results."""
    from trialgraph.ingest.sources.document import Document

    from trialgraph.rdf import graph_to_evidence
    from trialgraph.store import get_store

    pipeline = Pipeline(get_store("oxigraph:"))
    docs = [d for d in read_path(SHARED / "corpus") if isinstance(d, Document)]
    assert len(docs) >= 10
    total = 0
    for doc in docs:
        evidence, graph = pipeline.build(doc)
        report = validate_graph(graph, article_text=doc.text)
        assert report.conforms, f"{doc.name}: {report.text}"
        back = graph_to_evidence(graph, MINTER.article(doc.name))
        values = sorted(
            (r.endpoint, r.measure, r.value or -1.0) for t in evidence.trials for r in t.results
        )
        back_values = sorted(
            (r.endpoint, r.measure, r.value or -1.0) for t in back.trials for r in t.results
        )
        assert sorted(set(values)) == sorted(set(back_values)), doc.name
        total += len(values)
    assert total > 0


def test_corpus_paperwork_is_not_ingested() -> None:
    from trialgraph.ingest.sources.document import Document

    names = {d.name for d in read_path(SHARED / "corpus") if isinstance(d, Document)}
    assert names and not names & {"SOURCES.md", "README.md", "CONVENTIONS.md"}


def test_addon_facts_answer_the_owners_question(store: Store, tmp_path: Path) -> None:
    """'Trials adding pertuzumab in HR+ disease' from the stored add-on facts."""
    from importlib import resources

    write_articles(tmp_path, {"a.txt": ARTICLE_A, "c.txt": ARTICLE_C})
    Pipeline(store).run([tmp_path])
    query = resources.files("trialgraph.queries").joinpath("trials_adding_drug.rq")
    rows = store.select(
        query.read_text("utf-8"),
        bindings={"drug": MINTER.drug("pertuzumab"), "hormoneReceptor": TG.HormoneReceptorPositive},
    )
    assert {str(r["trial"]) for r in rows} == {str(MINTER.trial("zephyr-9"))}
    exp = MINTER.arm("zephyr-9", ["pertuzumab", "trastuzumab", "letrozole"])
    assert store.ask(f"ASK {{ <{exp}> <{TG.addsDrug}> <{MINTER.drug('pertuzumab')}> }}")
    assert not store.ask(f"ASK {{ <{exp}> <{TG.addsDrug}> <{MINTER.drug('letrozole')}> }}")


def test_shacl_violation_rejects_the_article_and_keeps_the_store(
    store: Store, tmp_path: Path
) -> None:
    """A graph the shapes reject (here: a quote that is not at its offsets) is not written."""
    from trialgraph.ingest.sources.document import Document

    from trialgraph.model import Arm, Evidence, Provenance, Result, Trial

    def misquoting(doc: Document) -> Evidence:
        prov = Provenance(quote="not in the text", start=0, end=15, method="test", confidence=0.5)
        result = Result(
            endpoint="PFS", measure="median", arm=0, value=9.0, unit="months", provenance=prov
        )
        trial = Trial(
            name="QUILL-3", arms=[Arm(drugs=["letrozole"], role="single")], results=[result]
        )
        return Evidence(article=doc.name, trials=[trial])

    write_articles(tmp_path / "ok", {"a.txt": ARTICLE_A})
    Pipeline(store).run([tmp_path / "ok"])
    before = graphs_of(store)
    (tmp_path / "bad.txt").write_text(ARTICLE_C)
    summary = Pipeline(store, extract=misquoting).run([tmp_path / "bad.txt"])
    (report,) = summary.reports
    assert report.error is not None and "SHACL" in report.error and "\n" not in report.error
    assert summary.articles == 0
    assert same_content(before, graphs_of(store))
