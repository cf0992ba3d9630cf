"""The query time limit on a real server: the error comes on time and the work stops.

A cartesian product over a generated graph (2,000^3 rows to count) would run for hours;
with a 1 s limit the client must get 503 within ~2 s, the next query must be answered
promptly, and no process of the server may keep a core busy afterwards.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from helpers_api import running_server

from trialgraph.store import get_store

EXPENSIVE = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP = "SELECT ?s { ?s ?p 5 }"
TICKS = os.sysconf("SC_CLK_TCK")


def _server_processes(port: int) -> list[int]:
    """The serve process listening on ``port`` and all its descendants (from /proc)."""
    parents: dict[int, int] = {}
    root = None
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        if b"serve" in cmdline and str(port).encode() in cmdline:
            root = int(entry.name)
    assert root is not None, "server process not found"
    family = {root}
    changed = True
    while changed:
        changed = False
        for pid, ppid in parents.items():
            if ppid in family and pid not in family:
                family.add(pid)
                changed = True
    return sorted(family)


def _cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a killed worker is gone: it uses nothing
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / TICKS


@pytest.fixture(scope="module")
def slow_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    location = f"oxigraph:{tmp_path_factory.mktemp('limits') / 'store'}"
    store = get_store(location)
    data = "\n".join(f"<http://example.org/s{i}> <http://example.org/p> {i} ." for i in range(2000))
    store.load(data.encode(), fmt="turtle", graph="http://example.org/g")
    store.close()
    with running_server(
        location, query_timeout=1.0, extra_env={"TRIALGRAPH_MAX_ROWS": "100"}
    ) as base:
        yield base


@pytest.mark.slow
def test_timeout_stops_the_work_and_the_server_stays_responsive(slow_server: str) -> None:
    warm = httpx.get(f"{slow_server}/sparql", params={"query": CHEAP}, timeout=10)
    assert warm.status_code == 200

    started = time.monotonic()
    response = httpx.get(f"{slow_server}/sparql", params={"query": EXPENSIVE}, timeout=30)
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert "1 s time limit" in response.json()["detail"]
    assert elapsed < 2.5, f"timeout answered after {elapsed:.2f} s"

    started = time.monotonic()
    after = httpx.get(f"{slow_server}/sparql", params={"query": CHEAP}, timeout=10)
    assert after.status_code == 200 and len(after.json()["results"]["bindings"]) == 1
    assert time.monotonic() - started < 1.5

    # nothing keeps computing: the whole server family uses well under a core
    port = int(slow_server.rsplit(":", 1)[1])
    time.sleep(0.5)  # let the replacement worker finish importing
    pids = _server_processes(port)
    before = _cpu_seconds(pids)
    time.sleep(1.0)
    used = _cpu_seconds(_server_processes(port)) - before
    assert used < 0.3, f"server processes used {used:.2f} s CPU in 1 s after the timeout"


@pytest.mark.slow
def test_row_cap_on_the_real_server(slow_server: str) -> None:
    query = "SELECT ?s { ?s ?p ?o }"
    refused = httpx.get(f"{slow_server}/sparql", params={"query": query}, timeout=10)
    assert refused.status_code == 422 and "100 rows" in refused.json()["detail"]
    cut = httpx.get(
        f"{slow_server}/sparql", params={"query": query, "truncate": "true", "format": "tsv"},
        timeout=10,
    )  # fmt: skip
    assert cut.status_code == 200
    assert cut.headers["x-trialgraph-truncated"] == "max_rows=100"
    assert len(cut.text.strip().splitlines()) == 101
