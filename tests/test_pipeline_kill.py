"""SIGKILL ``trialgraph ingest`` mid-run: the disk store reopens and holds whole articles."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers_pipeline import ARTICLE_A, ARTICLE_B, ARTICLE_C
from trialgraph.ingest.pipeline import Pipeline
from trialgraph.ingest.sources.document import Document

from trialgraph.ids import Minter
from trialgraph.store import get_store

BIN = Path(sys.executable).parent / "trialgraph"
ARTICLES = 1000  # enough that ingest (~100+ articles/s) is still running when killed
MINTER = Minter()


def make_folder(folder: Path) -> dict[str, str]:
    folder.mkdir()
    texts = {}
    for i in range(ARTICLES):
        name = f"{i:04d}-report.txt"
        texts[name] = (ARTICLE_A, ARTICLE_B, ARTICLE_C)[i % 3]
        (folder / name).write_text(texts[name])
    return texts


def killed_run(folder: Path, store_path: Path, delay: float) -> None:
    proc = subprocess.Popen(
        [str(BIN), "ingest", str(folder), "--store", f"oxigraph:{store_path}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)


@pytest.mark.slow
def test_sigkill_mid_ingest_leaves_whole_articles(tmp_path: Path) -> None:
    texts = make_folder(tmp_path / "in")
    present: list[str] = []
    store_path = tmp_path / "store-0"
    # The kill must land mid-run: start early and wait longer until it does.
    delays = (1.5, 2.5, 4.0, 6.0, 9.0, 13.0)
    for attempt, delay in enumerate(delays):
        store_path = tmp_path / f"store-{attempt}"
        started = time.monotonic()
        killed_run(tmp_path / "in", store_path, delay)
        assert time.monotonic() - started < delay + 30
        store = get_store(f"oxigraph:{store_path}")  # reopens after the kill
        try:
            present = [g for g in store.graphs() if "/graph/article/" in g]
            counts = {g: store.count(g) for g in present}
        finally:
            store.close()
        if 0 < len(present) < ARTICLES:
            break
    assert 0 < len(present) < ARTICLES, (
        f"no mid-run kill in {len(delays)} attempts ({len(present)})"
    )

    clean = Pipeline(get_store("oxigraph:"))
    by_graph = {str(MINTER.article_graph(name)): name for name in texts}
    for graph_name in present:
        name = by_graph[graph_name]
        _, graph = clean.build(Document(name=name, text=texts[name], source=name))
        assert counts[graph_name] == len(graph), name
