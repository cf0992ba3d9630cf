"""The extractor on the third held-out set of invented articles (tests/data/heldout3).

The set (long reviews, FDA summaries, press releases, abstracts) was written without seeing
the extractor; its failures were then used to find general failure classes, so it now
measures tuning as much as generalisation. The floors are the figures actually reached.
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
HELDOUT = HERE / "data" / "heldout3"
CLI = Path(sys.executable).with_name("trialgraph")

#: trials F1, arms F1, results F1, population accuracy
FLOORS = (0.93, 0.90, 0.92, 0.89)


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.slow
def test_heldout3_scores() -> None:
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
