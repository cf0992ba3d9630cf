"""`trialgraph validate` and `trialgraph reason` on files and on a real embedded store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers_ontology import MINTER, standard_article
from rdflib import RDF, Graph, Literal
from typer.testing import CliRunner

from trialgraph.cli import build_app
from trialgraph.store import get_store
from trialgraph.vocab import TG

runner = CliRunner()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(build_app(), list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def _store_with(tmp_path: Path, graphs: dict[str, Graph]) -> str:
    location = f"oxigraph:{tmp_path / 'store'}"
    store = get_store(location)
    try:
        for name, graph in graphs.items():
            store.replace_graph(str(MINTER.article_graph(name)), graph)
    finally:
        store.close()
    return location


def test_validate_file_ok_and_broken(tmp_path: Path) -> None:
    b, r = standard_article()
    good = tmp_path / "good.ttl"
    b.g.serialize(good, format="turtle")
    code, out = _run("validate", str(good))
    assert code == 0 and "conforms" in out
    b.g.set((r["trial"], TG.nctId, Literal("NCT123")))
    bad = tmp_path / "bad.nt"
    b.g.serialize(bad, format="nt", encoding="utf-8")
    code, out = _run("validate", str(bad))
    assert code == 1
    assert "[NctIdShape]" in out


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.ttl", b"", "empty"),
        ("junk.ttl", b"\x00\xff\xfe binary", "not valid"),
        ("broken.ttl", b"<a> <b> .", "not valid"),
        ("data.xyz", b"<a> <b> <c> .", "format"),
    ],
)
def test_validate_bad_files_give_clear_errors(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    from trialgraph.ontology.commands import read_rdf_file

    from trialgraph.errors import InputError

    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_rdf_file(path)
    with pytest.raises(InputError, match="no such file"):
        read_rdf_file(tmp_path / "missing.ttl")


def test_validate_store_reports_only_broken_articles(tmp_path: Path) -> None:
    good, _ = standard_article()
    bad, r = standard_article()
    bad.g.remove((r["hr"], TG.controlArm, None))
    location = _store_with(tmp_path, {"good": good.g, "bad": bad.g})
    code, out = _run("validate", "--store", location)
    assert code == 1
    assert "2 article graph(s) validated, 1 with violations" in out
    assert "article/bad" in out and "article/good" not in out
    assert "[ComparisonShape]" in out


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")
def test_reason_writes_inferred_graph_and_bounds_the_abox(tmp_path: Path) -> None:
    first, r = standard_article()
    second = standard_article()[0]
    second.g.remove((None, None, None))
    t = second.trial("other", name="OTHER", randomised=True)
    location = _store_with(tmp_path, {"a-first": first.g, "b-second": second.g})
    code, out = _run("reason", "--store", location, "--max-trials", "1")
    assert code == 0, out
    assert "bounded ABox: 1 of 2 article graphs" in out
    assert "consistent: yes" in out and "AddOnComparison: 1" in out
    store = get_store(location)
    try:
        inferred = store.construct(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{MINTER.graph('inferred')}> "
            "{ ?s ?p ?o } }"
        )
    finally:
        store.close()
    assert (r["hr"], RDF.type, TG.AddOnComparison) in inferred
    assert (t, RDF.type, TG.RandomisedControlledTrial) not in inferred  # outside the bound
