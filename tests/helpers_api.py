"""Run a real ``trialgraph serve`` process for tests that need a live HTTP server.

``running_server`` starts the CLI in a subprocess on a free 127.0.0.1 port, waits (bounded)
until ``/health`` answers, yields the base URL, and always stops the process (SIGTERM, then
SIGKILL) and closes its log. When the server fails to start, the error carries its log.

    with running_server(f"oxigraph:{tmp_path / 'store'}", update_token="t") as base:
        httpx.get(f"{base}/sparql", params={"query": "ASK {}"})
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

__all__ = ["SERVER_START_TIMEOUT", "free_port", "running_server", "server_log"]

#: seconds a server may take to answer /health (two shared cores, cold imports)
SERVER_START_TIMEOUT = 30.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_log(base_url: str) -> str:
    """The captured stdout/stderr of the server started at ``base_url`` (for assertions)."""
    return _LOGS[base_url].read_text(encoding="utf-8", errors="replace")


_LOGS: dict[str, Path] = {}


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextmanager
def running_server(
    store_location: str,
    *,
    update_token: str = "",
    query_timeout: float = 30.0,
    extra_env: dict[str, str] | None = None,
) -> Iterator[str]:
    """Start ``trialgraph serve`` on ``store_location``; yield ``http://127.0.0.1:PORT``.

    ``extra_env`` adds ``TRIALGRAPH_*`` (or any) variables, e.g. ``TRIALGRAPH_MAX_ROWS``.
    """
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIALGRAPH_")}
    env.update(extra_env or {})
    command = [
        sys.executable, "-m", "trialgraph.cli", "serve",
        "--store", store_location,
        "--host", "127.0.0.1",
        "--port", str(port),
        "--update-token", update_token,
        "--query-timeout", str(query_timeout),
        "--log-level", "warning",
    ]  # fmt: skip
    log_fd, log_name = tempfile.mkstemp(prefix="trialgraph-serve-", suffix=".log")
    log_path = Path(log_name)
    with os.fdopen(log_fd, "wb") as log_file:
        process = subprocess.Popen(
            command, stdout=log_file, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    _LOGS[base] = log_path
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"trialgraph serve exited with {process.returncode}:\n{server_log(base)}"
                )
            try:
                if httpx.get(f"{base}/health", timeout=2.0).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"trialgraph serve did not answer /health within "
                    f"{SERVER_START_TIMEOUT:g} s:\n{server_log(base)}"
                )
            time.sleep(0.1)
        yield base
    finally:
        _stop(process)
        _LOGS.pop(base, None)
        log_path.unlink(missing_ok=True)
