"""The extractor on the sets of invented articles in tests/data (see README.md there).

Each set was written and annotated without seeing the extractor. ``heldout``,
``heldout3`` and ``heldout4`` were then used to find general failure classes (so they are
no longer unseen and overstate quality on new articles); ``heldout2`` was never read
by whoever tuned the extractor, so it is the honest estimate for unseen articles. The
floors asserted are the figures actually reached (README, "Extraction quality").
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
DATA = HERE / "data"
CLI = Path(sys.executable).with_name("trialgraph")

#: set -> floors for trials F1, arms F1, results F1, population accuracy
FLOORS = {
    "heldout": (0.97, 0.95, 0.96, 0.93),
    "heldout2": (1.0, 0.95, 0.85, 0.84),
    "heldout3": (0.97, 0.93, 0.935, 0.89),
    "heldout4": (0.819, 0.753, 0.667, 0.841),
}


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_heldout_scores(name: str) -> None:
    heldout = DATA / name
    score = _scorer()
    tallies = {k: score.Tally() for k in ("trials", "arms", "results", "population")}
    golds = sorted((heldout / "gold").glob("*.json"))
    assert golds
    for gold_file in golds:
        article = heldout / "articles" / (gold_file.stem + ".txt")
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
    for value, floor in zip(got, FLOORS[name], strict=True):
        assert value >= floor, got
