"""``trialgraph ingest`` and ``trialgraph conflicts`` as a user runs them (subprocesses)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from helpers_pipeline import ARTICLE_A, ARTICLE_B, ARTICLE_C, write_articles

BIN = Path(sys.executable).parent / "trialgraph"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_ingest_folder_then_list_conflicts(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    write_articles(folder, {"a.txt": ARTICLE_A, "b.html": f"<p>{ARTICLE_B}</p>"})
    (folder / "SOURCES.md").write_text("# sources\n")
    (folder / "broken.txt").write_bytes(b"\x00\x01")
    store = f"oxigraph:{tmp_path / 'store'}"
    done = run("ingest", str(folder), "--store", store)
    assert done.returncode == 0, done.stderr
    assert "ingest summary" in done.stdout
    assert "broken.txt: binary data" in done.stderr
    assert len([line for line in done.stderr.splitlines() if "error" in line]) == 1

    listed = run("conflicts", "--store", store, "--format", "json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    values = {frozenset(float(rep["value"]) for rep in row["reports"]) for row in rows}
    assert frozenset({21.4, 20.9}) in values
    table = run("conflicts", "--store", store)
    assert table.returncode == 0 and "21.4" in table.stdout and "20.9" in table.stdout


def test_stdin_is_an_article(tmp_path: Path) -> None:
    store = f"oxigraph:{tmp_path / 'store'}"
    done = run("ingest", "-", "--store", store, stdin=ARTICLE_C)
    assert done.returncode == 0, done.stderr
    from trialgraph.store import get_store

    opened = get_store(store)
    try:
        names = opened.graphs()
        assert any(n.endswith("/graph/article/stdin") for n in names), names
        assert opened.count(next(n for n in names if n.endswith("/stdin"))) > 20
    finally:
        opened.close()


def test_nothing_ingested_is_a_failure(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "latin.txt").write_bytes("caf\u00e9 cr\u00e8me".encode("latin-1"))
    store = f"oxigraph:{tmp_path / 'store'}"
    done = run("ingest", str(folder), "--store", store)
    assert done.returncode == 1
    assert "empty input" in done.stderr and "not UTF-8" in done.stderr
    assert "Traceback" not in done.stderr
    empty = run("ingest", str(tmp_path / "nothing-here"), "--store", store)
    assert empty.returncode == 1 and "no such file" in empty.stderr


def test_read_only_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE_A)
    done = run("ingest", str(path), "--store", "sparql+http://127.0.0.1:9/sparql")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "error" in done.stderr
