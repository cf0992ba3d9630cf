"""The ingest benchmark runs end to end on a few articles and reports every stage."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def load_bench() -> Any:
    """benchmarks/ is a folder beside the package, not on pytest's path: load it by file."""
    spec = importlib.util.spec_from_file_location(
        "bench_ingest", ROOT / "benchmarks" / "bench_ingest.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_benchmark_measures_every_stage() -> None:
    bench = load_bench()
    rows = bench.measure(6, SHARED / "corpus")
    assert [r.stage.split(" ")[0] for r in rows] == [
        "baseline",
        "extract",
        "map",
        "SHACL",
        "commit",
        "end",
    ]
    assert all(r.articles == 6 and r.seconds > 0 and r.megabytes > 0 for r in rows)
    assert all(r.cpu_seconds >= 0 for r in rows)
    table = bench.render(rows)
    assert "MB/s" in table and "target" in table and "per-core" in table
