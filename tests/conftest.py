"""Shared pytest fixtures (owned by the store engineer).

``store``
    An EMPTY store, once per backend: the test runs three times, as ``[oxigraph]``
    (embedded pyoxigraph in memory), ``[memory]`` (rdflib) and ``[remote]`` (a real
    ``oxigraph serve`` process on 127.0.0.1, cleared with ``DROP ALL`` before each test).
    Use it for contract tests that must hold on every backend::

        def test_my_thing(store: Store) -> None:
            store.load(data, fmt="turtle", graph="https://example.org/g")
            ...

``oxigraph_server``
    The session's Oxigraph server (:class:`OxigraphServer`: ``.url``, ``.location()``
    for a writable store string, ``.read_only_location()``). Started once, on a free port,
    waited for (bounded) and killed at the end of the session.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from trialgraph.store import Store, get_store

__all__ = ["STORE_KINDS", "OxigraphServer", "free_port", "oxigraph_server", "store"]

#: the backends the ``store`` fixture runs on
STORE_KINDS = ("oxigraph", "memory", "remote")
OXIGRAPH_BIN = Path(sys.executable).parent / "oxigraph"
STARTUP_SECONDS = 20.0


def free_port() -> int:
    """A port that is free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class OxigraphServer:
    """A running ``oxigraph serve`` on 127.0.0.1."""

    url: str  # e.g. http://127.0.0.1:PORT
    process: subprocess.Popen[bytes]

    def location(self) -> str:
        """A writable store string: queries, SPARQL Update and Graph Store Protocol."""
        return f"sparql+{self.url}/query?update={self.url}/update&gsp={self.url}/store"

    def read_only_location(self) -> str:
        """A store string with no update URL: a read-only store."""
        return f"sparql+{self.url}/query"


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """A real Oxigraph server (union default graph, like our embedded store)."""
    if not OXIGRAPH_BIN.exists():
        pytest.fail(f"oxigraph binary missing at {OXIGRAPH_BIN}: pip install oxigraph")
    port = free_port()
    data = tmp_path_factory.mktemp("oxigraph-server")
    log = (data.parent / f"oxigraph-{port}.log").open("wb")
    process = subprocess.Popen(
        [
            str(OXIGRAPH_BIN),
            "serve",
            "--location",
            str(data),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"oxigraph serve exited with {process.returncode}; see {log.name}")
            try:
                httpx.get(f"{url}/query", params={"query": "ASK {}"}, timeout=1.0)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    pytest.fail(f"oxigraph serve did not answer within {STARTUP_SECONDS} s")
                time.sleep(0.1)
        yield OxigraphServer(url=url, process=process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """An empty store of each kind; see the module docstring."""
    kind: str = request.param
    if kind == "oxigraph":
        opened = get_store("oxigraph:")
    elif kind == "memory":
        opened = get_store("memory:")
    else:
        server: OxigraphServer = request.getfixturevalue("oxigraph_server")
        opened = get_store(server.location(), timeout=10.0)
        opened.update("DROP ALL")
    try:
        yield opened
    finally:
        opened.close()
