"""HermiT over the corpus as ingested (not as annotated): the issue's "done when".

The corpus is read from ``../shared`` and goes through the real CLI (extract, map, SHACL,
store), so this checks what the extractor actually produced, end to end: the ontology
plus the ingested articles are consistent, the defined classes are filled, plain SPARQL
sees the materialised types, and the Java-free add-on facts written at ingest agree with
HermiT's AddOnComparison classification.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from trialgraph.cli import build_app
from trialgraph.store import get_store

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
TG = "https://w3id.org/trialgraph/ontology#"
INFERRED = "https://w3id.org/trialgraph/graph/inferred"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java"),
]


def _run(*args: str) -> str:
    result = CliRunner().invoke(build_app(), list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_hermit_on_the_ingested_corpus(tmp_path: Path) -> None:
    assert CORPUS.is_dir(), f"the shared corpus is expected at {CORPUS}"
    location = f"oxigraph:{tmp_path / 'store'}"
    _run("ingest", "--store", location, str(CORPUS))
    out = _run("reason", "--store", location, "--max-trials", "1000")
    assert "consistent: yes" in out
    assert "bounded ABox" not in out  # the whole corpus was reasoned

    store = get_store(location)
    try:
        counts = {
            str(row["cls"]).removeprefix(TG): int(str(row["n"]))
            for row in store.select(
                f"SELECT ?cls (COUNT(DISTINCT ?s) AS ?n) "
                f"WHERE {{ GRAPH <{INFERRED}> {{ ?s a ?cls }} }} GROUP BY ?cls"
            )
        }
        for defined in (
            "AddOnComparison",
            "HER2PositivePopulation",
            "HormoneReceptorPositivePopulation",
            "FirstLineMetastaticPopulation",
            "RandomisedControlledTrial",
        ):
            assert counts.get(defined, 0) > 0, (defined, counts)

        # Java-free facts vs HermiT: a comparison whose experimental arm carries a
        # materialised tg:addsDrug is exactly what HermiT classifies as AddOnComparison.
        by_hermit = {
            str(r["c"])
            for r in store.select(
                f"SELECT DISTINCT ?c WHERE {{ GRAPH <{INFERRED}> "
                f"{{ ?c a <{TG}AddOnComparison> }} }}"
            )
        }
        by_ingest = {
            str(r["c"])
            for r in store.select(
                f"SELECT DISTINCT ?c WHERE {{ ?c a <{TG}Comparison> ; "
                f"<{TG}experimentalArm> ?arm . ?arm <{TG}addsDrug> ?drug }}"
            )
        }
        assert by_hermit == by_ingest
    finally:
        store.close()
