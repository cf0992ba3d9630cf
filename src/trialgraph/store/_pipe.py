"""Turn a serialiser that writes to a file object into a generator of byte chunks.

pyoxigraph's ``dump``/``serialize`` write to any object with ``write``/``flush``; running
them in a thread that feeds a bounded queue streams a whole dataset in any format with
O(chunk) memory. If the consumer stops early (client disconnect) the writer is told to
abort at its next ``write`` and the thread ends.
"""

from __future__ import annotations

import queue
import threading
import traceback
from collections.abc import Callable, Iterator
from typing import IO, Any

from trialgraph.store._common import CHUNK_SIZE

__all__ = ["stream_writes"]

_END = object()


class _Aborted(OSError):
    """Raised inside the serialiser when nobody reads its output any more."""


class _QueueWriter:
    """A write-only binary file object that hands buffered chunks to a queue."""

    def __init__(self, out: queue.Queue[object], stop: threading.Event) -> None:
        self._out = out
        self._stop = stop
        self._buffer = bytearray()

    def write(self, data: bytes) -> int:
        self._buffer += data
        if len(self._buffer) >= CHUNK_SIZE:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._buffer:
            self._put(bytes(self._buffer))
            self._buffer.clear()

    def _put(self, item: object) -> None:
        while True:
            if self._stop.is_set():
                raise _Aborted("reader went away")
            try:
                self._out.put(item, timeout=0.1)
                return
            except queue.Full:
                continue


def stream_writes(serialise: Callable[[IO[bytes]], Any]) -> Iterator[bytes]:
    """Yield what ``serialise(file)`` writes, in chunks, as it is written.

    An exception raised by the serialiser is re-raised in the consumer after the chunks
    written before it.
    """
    out: queue.Queue[object] = queue.Queue(maxsize=8)
    stop = threading.Event()
    writer = _QueueWriter(out, stop)
    failure: list[BaseException] = []

    def target() -> None:
        try:
            serialise(writer)  # type: ignore[arg-type]
            writer.flush()
        except _Aborted:
            return
        except BaseException as exc:  # handed to the consumer below
            traceback.clear_frames(exc.__traceback__)  # free pyoxigraph objects here
            failure.append(exc)
        try:
            writer._put(_END)
        except _Aborted:
            return

    thread = threading.Thread(target=target, name="trialgraph-dump", daemon=True)
    thread.start()
    try:
        while True:
            item = out.get()
            if item is _END:
                break
            assert isinstance(item, bytes)
            yield item
        if failure:
            raise failure[0]
    finally:
        stop.set()
