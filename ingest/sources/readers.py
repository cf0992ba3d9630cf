"""Files, folders and stdin to Documents, one readable error per input that cannot be read.

Which files are articles (the rule ``read_path`` applies to folders):

- a file whose suffix is ``.txt``, ``.md``, ``.markdown``, ``.html`` or ``.htm``;
- not hidden (no part of its path below the folder starts with ``.``);
- not a corpus's own paperwork: a Markdown file whose stem is ``README``, ``SOURCES``,
  ``CONVENTIONS``, ``LICENSE``/``LICENCE``, ``CHANGELOG``, ``CONTRIBUTING`` or ``NOTES``
  (any case) describes a collection, it is not a trial report. A ``.txt`` file with such
  a name is read: plain-text articles are often named freely.
- anything else in a folder (gold ``*.json``, images, ``.rq``) is silently not an article.

A path named explicitly (not found by walking a folder) is always read when its suffix is
supported, paperwork names included: the user asked for it. Folders are walked
recursively in sorted order so runs are reproducible.

Decoding is strict UTF-8 (a BOM is accepted and dropped). Text in another encoding is an
error, not a guess: a wrongly decoded quote would be stored as evidence. Markdown is kept
as written (offsets index the file's characters); HTML becomes its readable text
(:mod:`.html`) and offsets index that text.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from trialgraph.ingest.sources.document import Document
from trialgraph.ingest.sources.html import html_to_text

from trialgraph.errors import InputError

__all__ = [
    "ARTICLE_SUFFIXES",
    "DEFAULT_MAX_BYTES",
    "ReadError",
    "decode_document",
    "expand_path",
    "is_article_file",
    "read_file",
    "read_input",
    "read_path",
    "read_stream",
]

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
ARTICLE_SUFFIXES: dict[str, str] = {
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
}
_PAPERWORK = frozenset(
    {"readme", "sources", "conventions", "license", "licence", "changelog", "contributing", "notes"}
)
STDIN = "-"


@dataclass(frozen=True)
class ReadError:
    """An input that could not be read; ``message`` is one line naming the file."""

    source: str
    error: InputError

    @property
    def message(self) -> str:
        return str(self.error)


def is_article_file(path: Path) -> bool:
    """The folder rule of the module docstring, for one file found under a folder."""
    suffix = path.suffix.lower()
    if suffix not in ARTICLE_SUFFIXES:
        return False
    return not (suffix in (".md", ".markdown") and path.stem.lower() in _PAPERWORK)


def decode_document(data: bytes, *, name: str, source: str, media_type: str) -> Document:
    """Check and decode one input's bytes.

    :raises InputError: empty, binary, not UTF-8, truncated HTML, or no text at all.
    """
    label = source or name
    if not data.strip():
        raise InputError(f"{label}: empty input")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{label}: UTF-16 text is not supported; convert it to UTF-8")
    if b"\x00" in data:
        raise InputError(f"{label}: binary data (contains NUL bytes), not an article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":
            raise InputError(
                f"{label}: not UTF-8: incomplete character at the end "
                "(a truncated file, or another encoding such as latin-1?)"
            ) from exc
        raise InputError(
            f"{label}: not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert it to UTF-8, e.g. iconv -f latin1 -t utf-8"
        ) from exc
    if media_type == "text/html":
        text = html_to_text(text, name=label)
    if not text.strip():
        raise InputError(f"{label}: no text (only markup or white space)")
    return Document(name=name, text=text, source=source, media_type=media_type)


def _read_limited(stream: BinaryIO, label: str, max_bytes: int) -> bytes:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(f"{label}: larger than the {max_bytes:,} byte limit")
    return data


def read_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document | ReadError:
    """One named file (the explicit-path rule: any supported suffix is read)."""
    label = str(path)
    media_type = ARTICLE_SUFFIXES.get(path.suffix.lower())
    try:
        if media_type is None:
            raise InputError(
                f"{label}: unsupported file type (articles are "
                f"{', '.join(sorted(ARTICLE_SUFFIXES))})"
            )
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(f"{label}: {size:,} bytes, over the {max_bytes:,} byte limit")
        with path.open("rb") as stream:
            data = _read_limited(stream, label, max_bytes)
        return decode_document(data, name=path.name, source=label, media_type=media_type)
    except InputError as exc:
        return ReadError(label, exc)
    except OSError as exc:
        return ReadError(label, InputError(f"{label}: cannot read ({exc.strerror or exc})"))


def read_stream(
    stream: BinaryIO,
    *,
    name: str = "stdin",
    media_type: str = "text/plain",
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Document | ReadError:
    """One Document from a byte stream (stdin), with the same checks as files."""
    try:
        data = _read_limited(stream, STDIN, max_bytes)
        return decode_document(data, name=name, source=STDIN, media_type=media_type)
    except InputError as exc:
        return ReadError(STDIN, exc)


def _walk(folder: Path) -> Iterator[Path]:
    """Article files under ``folder``, sorted, hidden entries skipped, links not followed."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(root, name)
            if not name.startswith(".") and is_article_file(path):
                yield path


def expand_path(path: str | Path) -> list[Path | str]:
    """The inputs one command-line argument stands for: a folder's articles (the folder
    rule), the file itself, or ``'-'``; listed up front so a progress bar knows the total.
    """
    if str(path) == STDIN:
        return [STDIN]
    p = Path(path)
    return list(_walk(p)) if p.is_dir() else [p]


def read_input(item: Path | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document | ReadError:
    """Read one item of :func:`expand_path`."""
    if item == STDIN:
        return read_stream(sys.stdin.buffer, max_bytes=max_bytes)
    p = Path(item)
    if not p.exists():
        return ReadError(str(p), InputError(f"{p}: no such file or folder"))
    return read_file(p, max_bytes=max_bytes)


def read_path(
    path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Document | ReadError]:
    """Documents from a file, a folder (recursive) or ``-`` (stdin).

    Errors are yielded, not raised, so one bad file never stops a folder.
    """
    for item in expand_path(path):
        yield read_input(item, max_bytes=max_bytes)
