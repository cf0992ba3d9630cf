"""Run a query under a time limit without ever handing back a partial result.

Neither pyoxigraph nor rdflib can cancel a running query, so the honest mechanism is:

- the query (parse, evaluation, iteration, serialisation) runs in a fresh daemon thread;
- the caller waits at most ``timeout`` seconds, then raises :class:`QueryTimeout` and sets
  a cancel flag; whatever the worker produced is discarded, never returned;
- the worker checks the flag between result rows (and between the buffers a serialiser
  writes), so a streaming query (lazy iteration) stops within one row of the deadline;
- a step that computes everything before its first row (ORDER BY, GROUP BY, aggregates,
  a FILTER that rejects every row, rdflib's whole evaluation) cannot be interrupted: it
  keeps one core busy in the background until that step ends, then the worker sees the
  flag and exits. pyoxigraph releases the GIL while it evaluates (measured: other threads
  keep running), so the caller's deadline itself is punctual.

Callers that must bound CPU as well as latency (the HTTP endpoint) should run queries in
a killable worker process on top of this.
"""

from __future__ import annotations

import gc
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

from trialgraph.errors import QueryTimeout

__all__ = ["CancellableBuffer", "check", "run_with_deadline"]

T = TypeVar("T")


def check(cancel: threading.Event, timeout: float | None) -> None:
    """Stop a worker between rows once its caller has given up."""
    if cancel.is_set():
        raise QueryTimeout(f"query exceeded its time limit of {timeout:g} s and was stopped")


class CancellableBuffer:
    """A binary sink for pyoxigraph serialisers that aborts them once cancelled.

    pyoxigraph pulls results lazily while it serialises and calls ``write`` every few
    kilobytes, so serialising a huge result stops within one buffer of the deadline.
    """

    def __init__(self, cancel: threading.Event, timeout: float | None) -> None:
        self._cancel = cancel
        self._timeout = timeout
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        check(self._cancel, self._timeout)
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        check(self._cancel, self._timeout)

    def getvalue(self) -> bytes:
        return b"".join(self._parts)


def _clear_chain(exc: BaseException) -> None:
    """Clear the frames of an exception and of every exception chained to it.

    A chained ``__context__``/``__cause__`` keeps its own traceback, whose frames may hold
    pyoxigraph objects that must not be freed on another thread.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        traceback.clear_frames(current.__traceback__)
        current = current.__cause__ or current.__context__


def run_with_deadline(work: Callable[[threading.Event], T], timeout: float | None) -> T:
    """Return ``work(cancel)`` if it finishes within ``timeout`` seconds.

    With ``timeout=None`` the work runs inline (no thread, no overhead).

    :raises QueryTimeout: past the deadline; the cancel flag passed to ``work`` is set.
    """
    cancel = threading.Event()
    if timeout is None:
        return work(cancel)
    if timeout <= 0:
        raise QueryTimeout(f"query time limit must be positive, got {timeout!r}")
    future: Future[T] = Future()

    def target() -> None:
        try:
            future.set_result(work(cancel))
        except BaseException as exc:  # handed unchanged to the waiting caller
            # pyoxigraph result objects must be freed on the thread that made them: drop
            # the locals the traceback keeps alive here, not later on the caller's thread.
            _clear_chain(exc)
            future.set_exception(exc)
        finally:
            if cancel.is_set():
                # an abandoned query may leave pyoxigraph objects in reference cycles; collect
                # them here, or the cycle collector frees them on whichever thread runs next
                gc.collect()

    threading.Thread(target=target, name="trialgraph-query", daemon=True).start()
    try:
        return future.result(timeout=timeout)
    except TimeoutError:
        cancel.set()
        raise QueryTimeout(
            f"query exceeded its time limit of {timeout:g} s and was stopped"
        ) from None
