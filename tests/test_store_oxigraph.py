"""What only the embedded Oxigraph store does (disk, locks, optimise, bulk load), and the
query time limit on every backend."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from trialgraph.errors import InputError, QueryTimeout, StoreError
from trialgraph.store import Store, get_store
from trialgraph.store.oxigraph_store import OxigraphStore

G = "http://example.org/graph/big"
CARTESIAN = "SELECT * WHERE { ?a ?p ?b . ?c ?p ?d }"


def _ntriples(n: int) -> bytes:
    return b"".join(
        f'<http://example.org/s{i}> <http://example.org/p> "{i}" .\n'.encode() for i in range(n)
    )


def test_timeout_raises_and_returns_no_rows(store: Store) -> None:
    size = 150 if store.location == "memory:" else 2000
    store.load(_ntriples(size), fmt="ntriples", graph=G)
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="time limit"):
        store.select(CARTESIAN, timeout=0.3)
    assert time.monotonic() - started < 2.0
    with pytest.raises(QueryTimeout):
        store.query_bytes(CARTESIAN, result_format="csv", timeout=0.3)
    # a query inside its limit still answers
    rows = store.select("SELECT ?s WHERE { ?s ?p ?o } LIMIT 3", timeout=5)
    assert len(rows) == 3


def test_disk_store_persists_and_locks(tmp_path: Path) -> None:
    path = tmp_path / "db"
    store = get_store(f"oxigraph:{path}")
    assert store.persistent is True
    store.load(_ntriples(10), fmt="ntriples", graph=G)
    # a second process cannot open a directory this process holds
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys\nfrom trialgraph.store import get_store\nfrom trialgraph.errors import "
            "StoreError\ntry:\n    get_store(sys.argv[1])\nexcept StoreError as e:\n"
            "    print(e)\n    sys.exit(3)\n",
            f"oxigraph:{path}",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.returncode == 3, probe.stderr
    assert "another process" in probe.stdout
    store.close()
    del store
    reopened = get_store(f"oxigraph:{path}")
    assert reopened.count(G) == 10
    reopened.close()


def test_memory_forms() -> None:
    for location in ("oxigraph:", "oxigraph::memory:"):
        store = get_store(location)
        assert isinstance(store, OxigraphStore)
        assert store.persistent is False


def test_bulk_load_file_and_optimize(tmp_path: Path) -> None:
    source = tmp_path / "data.nt"
    source.write_bytes(_ntriples(500))
    store = get_store(f"oxigraph:{tmp_path / 'db'}")
    assert isinstance(store, OxigraphStore)
    store.bulk_load_file(str(source), fmt="ntriples", graph=G)
    store.optimize()
    assert store.count(G) == 500
    assert store.graphs() == [G]
    store.close()


def test_bad_graph_iri_is_input_error() -> None:
    store = get_store("oxigraph:")
    with pytest.raises(InputError):
        store.count("not an iri")
    with pytest.raises(InputError):
        store.drop_graph("http://example.org/has space")


def test_dump_streams_in_chunks_and_can_stop_early() -> None:
    store = get_store("oxigraph:")
    store.load(_ntriples(5000), fmt="ntriples", graph=G)
    chunks = list(store.dump(fmt="turtle"))
    assert len(chunks) > 1
    assert sum(len(c) for c in chunks) > 64 * 1024
    stream = store.dump(fmt="nquads")
    first = next(stream)
    assert first
    stream.close()  # the writer thread is told to stop; nothing hangs
    assert store.count() == 5000


def test_open_failure_is_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="cannot open"):
        get_store(f"oxigraph:{blocker}")
