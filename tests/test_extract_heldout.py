"""The extractor on the held-out set of invented articles (tests/data/heldout).

The set was written and annotated without seeing the extractor, so its figures measure
generalisation. The floors asserted are the figures actually reached; see the report.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[0].parent / "shared"
HELDOUT = HERE / "data" / "heldout"
CLI = Path(sys.executable).with_name("trialgraph")

#: trials F1, arms F1, results F1, population accuracy
FLOORS = (0.97, 0.95, 0.96, 0.93)


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.slow
def test_heldout_scores() -> None:
    score = _scorer()
    tallies = {k: score.Tally() for k in ("trials", "arms", "results", "population")}
    golds = sorted((HELDOUT / "gold").glob("*.json"))
    assert golds
    for gold_file in golds:
        article = HELDOUT / "articles" / (gold_file.stem + ".txt")
        out = subprocess.run(
            [str(CLI), "extract", str(article), "--format", "json"],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        score.score_article(json.loads(gold_file.read_text()), json.loads(out.stdout), tallies)
    got = [tallies[k].prf()[2] for k in ("trials", "arms", "results")]
    pop = tallies["population"]
    got.append(pop.tp / (pop.tp + pop.fn))
    for value, floor in zip(got, FLOORS, strict=True):
        assert value >= floor, got
