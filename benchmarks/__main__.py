"""``python -m benchmarks`` (``make bench``): every ``bench_*.py`` module, in name order.

Each module's ``main()`` runs with its defaults (``sys.argv`` is reset for it, so options
given to ``python -m benchmarks`` are not passed on); run one module alone to give it
options, e.g. ``python -m benchmarks.bench_ingest --articles 2000``.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

__all__ = ["run_all"]


def run_all() -> None:
    """Import each ``bench_*`` module and call its ``main()``; the modules stay independent."""
    for path in sorted(Path(__file__).parent.glob("bench_*.py")):
        print(f"== {path.stem}", flush=True)
        module = importlib.import_module(f"benchmarks.{path.stem}")
        sys.argv = [str(path)]
        module.main()
        sys.stdout.flush()


if __name__ == "__main__":
    run_all()
