"""W3C SPARQL 1.1 conformance of ``/sparql`` on a real ``trialgraph serve`` process.

The shared runners (``../shared/tools``) send the W3C manifests over HTTP. They know no
authentication, and our server refuses updates without the bearer token, so the runner is
started through a small wrapper that adds ``Authorization: Bearer <token>`` to every
request it sends (the server is unchanged; the client is just authenticated).

The servers run with ``TRIALGRAPH_SPARQL_DEFAULT_GRAPH=default``: the W3C tests load data
into the default graph AND named graphs and expect them apart, while our production
setting makes the default graph the union of all graphs (our data lives in named graphs).

Figures (pyoxigraph 0.5.13, this repo): protocol 34/34; query 317/328 on the embedded
store (= Oxigraph server) and 317/328 on the remote backend over ``oxigraph serve``; the
rdflib memory backend reaches 108/328 (see MEMORY_FLOOR).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from helpers_api import free_port, running_server

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
TOOLS = SHARED / "tools"
SPARQL11 = SHARED / "w3c" / "sparql11"
TOKEN = "w3c-test-token"
W3C_ENV = {"TRIALGRAPH_SPARQL_DEFAULT_GRAPH": "default"}

#: protocol tests we decided do not apply, with the reason (none today: all 34 pass)
ALLOWED_PROTOCOL_FAILURES: dict[str, str] = {}

#: query tests the embedded engine (pyoxigraph 0.5.13) fails; Oxigraph server fails the
#: same 11. They are engine behaviours, not endpoint ones.
ENGINE_QUERY_FAILURES: dict[str, str] = {
    "agg-groupconcat-04": "GROUP_CONCAT of duplicates: engine ordering/identity",
    "agg-groupconcat-06": "GROUP_CONCAT with DISTINCT and separator: engine",
    "agg-empty-group-count-graph": "COUNT over an empty group inside GRAPH: engine",
    "graph": "VALUES joined with GRAPH ?g (bindings/graph): engine",
    "bnode01": "BNODE(str) identity across rows: engine",
    "graph-minus": "MINUS inside GRAPH: engine",
    "zero_or_more_set_start": "?x* from a term not in the graph: engine",
    "zero_or_more_set_end": "?x* to a term not in the graph: engine",
    "zero_or_one_set_start": "?x? from a term not in the graph: engine",
    "zero_or_one_set_end": "?x? to a term not in the graph: engine",
    "test_4": "custom function call: Oxigraph refuses unknown functions (we answer 400)",
}

#: measured figures, kept as floors (raise them when the backends improve). The memory
#: floor is low because rdflib's store refuses INSERT DATA into the default graph today
#: (reported to the store engineer), which breaks the runner's data loading.
REMOTE_FLOOR = 317
MEMORY_FLOOR = 100

AUTHED_RUNNER = r"""
import importlib.util, sys
path, token = sys.argv[1], sys.argv[2]
spec = importlib.util.spec_from_file_location("w3c_runner", path)
module = importlib.util.module_from_spec(spec)
sys.modules["w3c_runner"] = module
spec.loader.exec_module(module)
client = getattr(module, "Endpoint", None) or getattr(module, "Client")
plain_send = client.send
def send(self, method, url, headers, body=None):
    return plain_send(self, method, url, {**headers, "Authorization": "Bearer " + token}, body)
client.send = send
sys.exit(module.main(sys.argv[3:]))
"""


@dataclass
class Outcome:
    passed: int
    failed: int
    skipped: int
    failures: list[str]
    output: str


def run_suite(runner: str, manifest: Path, base: str, *extra: str, timeout: float) -> Outcome:
    command = [
        sys.executable, "-c", AUTHED_RUNNER, str(TOOLS / runner), TOKEN,
        "--manifest", str(manifest), "--query-url", f"{base}/sparql", *extra,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    summary = re.search(r"(\d+) passed, (\d+) failed, (\d+) skipped", done.stdout)
    assert summary, f"no summary line:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    failures = [
        line.split()[1].rsplit("#", 1)[-1]
        for line in done.stdout.splitlines()
        if line.startswith("FAIL")
    ]
    passed, failed, skipped = (int(g) for g in summary.groups())
    print(f"{manifest.name} at {base}: {summary.group(0)}")  # shown with pytest -s
    return Outcome(passed, failed, skipped, failures, done.stdout)


def test_protocol_suite(tmp_path: Path) -> None:
    with running_server(
        f"oxigraph:{tmp_path / 'store'}", update_token=TOKEN, extra_env=W3C_ENV
    ) as base:
        outcome = run_suite(
            "w3c_protocol_runner.py", SPARQL11 / "protocol" / "manifest.ttl", base, timeout=120
        )
    unexpected = set(outcome.failures) - set(ALLOWED_PROTOCOL_FAILURES)
    assert not unexpected, outcome.output
    assert outcome.passed >= 31, outcome.output
    assert outcome.passed + outcome.failed == 34


def query_suite(base: str) -> Outcome:
    return run_suite(
        "w3c_query_runner.py", SPARQL11 / "manifest-sparql11-query.ttl", base, "-q",
        timeout=600,
    )  # fmt: skip


@pytest.mark.slow
def test_query_suite_embedded_oxigraph(tmp_path: Path) -> None:
    with running_server(
        f"oxigraph:{tmp_path / 'store'}", update_token=TOKEN, extra_env=W3C_ENV
    ) as base:
        outcome = query_suite(base)
    assert set(outcome.failures) <= set(ENGINE_QUERY_FAILURES), outcome.output
    assert outcome.passed >= 317, outcome.output


@pytest.fixture
def oxigraph_server(tmp_path: Path) -> Iterator[str]:
    """A real ``oxigraph serve`` (the PyPI binary) on a scratch directory."""
    binary = Path(sys.executable).parent / "oxigraph"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [str(binary), "serve", "--location", str(tmp_path / "oxi"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={k: v for k, v in os.environ.items() if not k.startswith("TRIALGRAPH_")},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{base}/query", params={"query": "ASK {}"}).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, "oxigraph serve failed"
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.mark.slow
def test_query_suite_remote_backend(oxigraph_server: str) -> None:
    location = f"sparql+{oxigraph_server}/query?update={oxigraph_server}/update"
    with running_server(location, update_token=TOKEN, extra_env=W3C_ENV) as base:
        outcome = query_suite(base)
    assert set(outcome.failures) <= set(ENGINE_QUERY_FAILURES), outcome.output
    assert outcome.passed >= REMOTE_FLOOR, outcome.output


@pytest.mark.slow
def test_query_suite_memory_backend() -> None:
    with running_server("memory:", update_token=TOKEN, extra_env=W3C_ENV) as base:
        outcome = query_suite(base)
    assert outcome.passed >= MEMORY_FLOOR, outcome.output
