"""HTML to plain text with the standard library's parser; offsets then index the text.

Why the stdlib parser: it is tolerant (real-world pages are rarely well formed), decodes
entities (``convert_charrefs``), and keeps what it could not finish in ``rawdata``, which
is how a file cut off inside a tag is recognised as truncated rather than read as if whole.

Rules: ``script``, ``style``, ``noscript``, ``template`` and ``svg`` content is dropped;
block-level elements and ``<br>`` end a line; runs of white space inside a line become one
space. A document that opened ``<html>`` or ``<body>`` and never closed it, or that ends
inside a tag or comment, is reported as truncated.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from trialgraph.errors import InputError

__all__ = ["html_to_text"]

_DROP = frozenset({"script", "style", "noscript", "template", "svg", "head"})
_KEEP_IN_HEAD = frozenset({"title"})
_BLOCK = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "caption",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "title",
        "tr",
        "ul",
    }
)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.dropping: list[str] = []
        self.opened: set[str] = set()
        self.closed: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.opened.add(tag)
        if tag in _KEEP_IN_HEAD and self.dropping == ["head"]:
            self.dropping.append(tag)  # the title is kept: see handle_data
            self.parts.append("\n")
        elif tag in _DROP:
            self.dropping.append(tag)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        self.closed.add(tag)
        if self.dropping and self.dropping[-1] == tag:
            self.dropping.pop()
            if tag in _KEEP_IN_HEAD:
                self.parts.append("\n")
        elif tag in _BLOCK and not self.dropping:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.dropping or self.dropping[-1] in _KEEP_IN_HEAD:
            self.parts.append(data)


def html_to_text(html: str, *, name: str = "") -> str:
    """The readable text of an HTML document.

    :raises InputError: the document is truncated (see the module docstring).
    """
    parser = _TextParser()
    parser.feed(html)
    leftover = parser.rawdata.strip()  # unparsed: a tag or comment that never ended
    if leftover.startswith("<"):
        raise InputError(f"{name}: truncated HTML (ends inside {leftover[:20]!r})")
    parser.close()
    for tag in ("html", "body"):
        if tag in parser.opened and tag not in parser.closed:
            raise InputError(f"{name}: truncated HTML (<{tag}> is never closed)")
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parser.parts).split("\n"))
    text = "\n".join(lines)
    return _BLANK_LINES.sub("\n\n", text).strip()
