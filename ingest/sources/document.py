"""The Document: decoded article text that every character offset refers to."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Document"]


@dataclass(frozen=True)
class Document:
    """One article's text as extraction sees it.

    ``text`` is what offsets index into (for HTML: the text with tags stripped and
    entities decoded); ``name`` is the file name (the article key and the contract's
    ``article`` field); ``source`` is where it was read from (a path, or '-' for stdin).
    """

    name: str
    text: str
    source: str = ""
    media_type: str = "text/plain"
