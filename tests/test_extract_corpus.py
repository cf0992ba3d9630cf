"""The extractor on the shared corpus: contract schema and scorer figures (seeds, dev).

The thresholds asserted are the figures actually reached; see the extractor report.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import jsonschema
import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CLI = Path(sys.executable).with_name("trialgraph")

#: (trials F1, arms F1, results F1, population accuracy) floors per set.
FLOORS = {"seeds": (1.0, 1.0, 1.0, 0.95), "dev": (1.0, 1.0, 1.0, 0.96)}


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _extract_json(path: Path) -> dict:
    out = subprocess.run(
        [str(CLI), "extract", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(out.stdout)


@pytest.mark.slow
@pytest.mark.parametrize("corpus", ["seeds", "dev"])
def test_scores_and_schema(corpus: str) -> None:
    score = _scorer()
    schema = json.loads((SHARED / "contract" / "evidence.schema.json").read_text())
    tallies = {k: score.Tally() for k in ("trials", "arms", "results", "population")}
    for gold_file in sorted((SHARED / "corpus" / corpus / "gold").glob("*.json")):
        article = SHARED / "corpus" / corpus / "articles" / (gold_file.stem + ".txt")
        pred = _extract_json(article)
        jsonschema.validate(pred, schema)
        text = article.read_text(encoding="utf-8")
        for t in pred["trials"]:
            for item in [t, *t["arms"], *t["results"]]:
                p = item.get("provenance")
                assert p is None or text[p["start"] : p["end"]] == p["quote"]
        score.score_article(json.loads(gold_file.read_text()), pred, tallies)
    got = [tallies[k].prf()[2] for k in ("trials", "arms", "results")]
    pop = tallies["population"]
    got.append(pop.tp / (pop.tp + pop.fn))
    for value, floor in zip(got, FLOORS[corpus], strict=True):
        assert value >= floor, (corpus, got)
