"""Run user SPARQL under a time limit that really stops the work.

pyoxigraph has no cancellation API: a query running in a thread keeps a core busy after
its caller gave up. So for the embedded on-disk store (the default backend) queries from
``/sparql`` run in a worker process (:mod:`trialgraph.api.query_worker`) that opens the
store read-only; on timeout the worker is killed (SIGKILL) and a fresh one is started in
the background, and the client gets :class:`QueryTimeout`. Measured cost: a pipe round
trip per query (well under a millisecond) and ~0.2 s to restart after a kill.

Writes (SPARQL Update) stay in the server process, which holds the store read-write: the
runner first makes every worker drop its read-only handle (RocksDB forbids reading while
another process writes), applies the update, and the workers reopen on their next query,
so they see the write.

Other backends run in-process (:class:`InProcessRunner`) and rely on the store's own
``timeout``: for a remote endpoint that is the HTTP timeout (the remote server is asked to
stop by closing the connection); rdflib's in-memory engine cannot be interrupted at all,
which is why it is for tests and small jobs only.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
from collections.abc import Sequence
from multiprocessing.process import BaseProcess
from typing import Protocol

from trialgraph.api.query_worker import QueryJob, serve
from trialgraph.api.sparql_text import with_base

from trialgraph.config import Settings
from trialgraph.errors import InputError, QuerySyntaxError, QueryTimeout, StoreError
from trialgraph.store.base import RDF_FORMATS, RESULT_FORMATS, QueryOutput, Store

__all__ = ["InProcessRunner", "QueryRunner", "WorkerRunner", "build_runner", "disk_path"]

log = logging.getLogger(__name__)


class QueryRunner(Protocol):
    """What ``/sparql`` needs: queries with a deadline, updates, and a close."""

    def query(
        self,
        query: str,
        *,
        result_format: str,
        graph_format: str,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        base_iri: str | None = None,
        timeout: float,
    ) -> QueryOutput: ...

    def update(self, update: str, *, base_iri: str | None = None) -> None: ...

    def close(self) -> None: ...


class InProcessRunner:
    """Queries go straight to ``store.query_bytes`` with the store's own timeout."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def query(
        self,
        query: str,
        *,
        result_format: str,
        graph_format: str,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        base_iri: str | None = None,
        timeout: float,
    ) -> QueryOutput:
        return self.store.query_bytes(
            with_base(query, base_iri) if base_iri else query,
            result_format=result_format,
            graph_format=graph_format,
            default_graph_uris=default_graph_uris,
            named_graph_uris=named_graph_uris,
            timeout=timeout,
        )

    def update(self, update: str, *, base_iri: str | None = None) -> None:
        self.store.update(with_base(update, base_iri) if base_iri else update)

    def close(self) -> None:
        """Nothing of its own to release; the store belongs to the app."""


class _Worker:
    """One child process and the parent's end of its pipe."""

    def __init__(self, path: str) -> None:
        ctx = multiprocessing.get_context("spawn")  # never fork a threaded server
        self.conn, child = ctx.Pipe()
        self.process: BaseProcess = ctx.Process(
            target=serve, args=(child, path), daemon=True, name="trialgraph-query-worker"
        )
        self.process.start()
        child.close()

    def call(self, message: tuple[object, ...], timeout: float) -> tuple[object, ...] | None:
        """Send and wait; None when no answer came in time (the caller kills us)."""
        self.conn.send(message)
        if not self.conn.poll(timeout):
            return None
        reply: tuple[object, ...] = self.conn.recv()
        return reply

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerRunner:
    """A small pool of killable worker processes over an on-disk Oxigraph store."""

    def __init__(
        self, store: Store, path: str, *, workers: int = 2, union_default_graph: bool = True
    ) -> None:
        self.store = store
        self.path = path
        self.union_default_graph = union_default_graph
        self.size = workers
        self._idle: queue.Queue[_Worker | None] = queue.Queue()
        for _ in range(workers):
            self._idle.put(None)  # a slot; the process starts on first use
        self._write_lock = threading.Lock()
        self._closed = False

    def _take(self, timeout: float) -> _Worker:
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise QueryTimeout(
                f"no query worker became free within the {timeout:g} s time limit"
            ) from None
        if worker is None or not worker.process.is_alive():
            try:
                worker = _Worker(self.path)
            except OSError as exc:
                self._idle.put(None)
                raise StoreError(f"cannot start a query worker: {exc}") from exc
        return worker

    def _replace_in_background(self) -> None:
        """Start a fresh worker now so the next query does not pay the start-up."""

        def start() -> None:
            try:
                self._idle.put(None if self._closed else _Worker(self.path))
            except OSError:
                self._idle.put(None)

        threading.Thread(target=start, daemon=True).start()

    def query(
        self,
        query: str,
        *,
        result_format: str,
        graph_format: str,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        base_iri: str | None = None,
        timeout: float,
    ) -> QueryOutput:
        job = QueryJob(
            query,
            result_format,
            graph_format,
            tuple(default_graph_uris),
            tuple(named_graph_uris),
            self.union_default_graph,
            base_iri,
        )
        worker = self._take(timeout)
        try:
            reply = worker.call(("query", job), timeout)
        except (OSError, EOFError) as exc:
            worker.kill()
            self._replace_in_background()
            raise StoreError(f"the query worker failed: {exc}") from exc
        if reply is None:
            worker.kill()
            self._replace_in_background()
            raise QueryTimeout(
                f"query stopped after the {timeout:g} s time limit; no result was returned "
                "(narrow the query, add LIMIT, or raise the server's query timeout)"
            )
        self._idle.put(worker)
        if reply[0] == "ok":
            body, fmt, kind = reply[1], str(reply[2]), str(reply[3])
            assert isinstance(body, bytes)
            media = RDF_FORMATS[fmt][0] if kind == "graph" else RESULT_FORMATS[fmt]
            return QueryOutput(body, media, kind)
        if reply[1] == "syntax":
            raise QuerySyntaxError(f"malformed SPARQL: {reply[2]}")
        if reply[1] == "query":
            raise InputError(f"query failed: {reply[2]}")
        raise StoreError(str(reply[2]))

    def update(self, update: str, *, base_iri: str | None = None) -> None:
        """Quiesce every worker (each drops its read-only handle), then write in-process."""
        with self._write_lock:
            held: list[_Worker | None] = [self._idle.get() for _ in range(self.size)]
            try:
                for worker in held:
                    if worker is not None and worker.process.is_alive():
                        worker.call(("close",), 10.0)
                self.store.update(with_base(update, base_iri) if base_iri else update)
            finally:
                for worker in held:
                    self._idle.put(worker)

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                return
            if worker is not None:
                worker.conn.close()  # EOF ends the loop; kill in case it is stuck
                worker.kill()


def disk_path(location: str) -> str | None:
    """The directory of an on-disk embedded Oxigraph store string, else None."""
    scheme, _, rest = location.partition(":")
    if scheme != "oxigraph" or rest in {"", ":memory:"}:
        return None
    return rest


def build_runner(settings: Settings, store: Store) -> QueryRunner:
    """A worker pool for on-disk Oxigraph, the in-process runner for everything else."""
    path = disk_path(store.location)
    if path is None:
        return InProcessRunner(store)
    union = settings.sparql_default_graph == "union"
    return WorkerRunner(store, path, union_default_graph=union)
