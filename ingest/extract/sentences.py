"""Sentence and paragraph splitting with character offsets.

A careful regex rather than a trained splitter: clinical prose is full of periods that do
not end sentences ("vs.", "et al.", "P = .007", "95% CI, 0.48-0.89", "v1.1"), and every
offset must index the original text exactly. Bibliography entries are flagged so that
trial names in cited titles are not taken as what the article itself reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Sentence", "split_sentences"]

#: Words after which a period does not end a sentence.
_ABBREVIATIONS = frozenset(
    [
        "vs",
        "v",
        "al",
        "e.g",
        "i.e",
        "etc",
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "fig",
        "figs",
        "no",
        "nos",
        "approx",
        "ca",
        "cf",
        "inc",
        "ltd",
        "co",
        "corp",
        "jr",
        "sr",
        "st",
        "mt",
        "dept",
        "univ",
        "vol",
        "pp",
        "ed",
        "eds",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)

_PARAGRAPH_RE = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*")
# A candidate boundary: terminal punctuation, optional closing quotes/brackets, whitespace.
_BOUNDARY_RE = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")
_LINE_RE = re.compile(r"[^\n]+")
_LAST_WORD_RE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_LETTERS_AND_DOTS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz."
_REFERENCE_RE = re.compile(
    r"^\s*(?:\d{1,3}\.\s+)?(?:[A-Z][\w'\-]+(?: [A-Z][\w'\-]+)? [A-Z]{1,3}[,.:] ){2,}"
)


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text, offsets into the document, paragraph number and kind."""

    text: str
    start: int
    end: int
    paragraph: int
    is_reference: bool = False


def _ends_with_abbreviation(chunk: str) -> bool:
    chunk = chunk.rstrip("\"')]\u201d\u2019")
    # a match lies in the trailing run of letters and dots: search only there, not from
    # the start of the chunk (which is the whole sentence so far)
    m = _LAST_WORD_RE.search(chunk, len(chunk.rstrip(_LETTERS_AND_DOTS)))
    if m is None:
        return False
    word = m.group(1).lower()
    # Single capital initials ("J. Smith") and listed abbreviations do not end sentences.
    return word in _ABBREVIATIONS or (len(word) == 1 and m.group(1).isupper())


def _split_paragraph(text: str, offset: int, number: int) -> list[Sentence]:
    is_ref = bool(_REFERENCE_RE.match(text))
    out: list[Sentence] = []
    start = 0
    for m in _BOUNDARY_RE.finditer(text):
        head = text[start : m.start() + 1]
        if text[m.start()] == "." and _ends_with_abbreviation(head):
            continue
        end = m.start() + len(m.group(0).rstrip())
        out.append(_make(text, start, end, offset, number, is_ref))
        start = m.end()
    if start < len(text):
        out.append(_make(text, start, len(text), offset, number, is_ref))
    return [s for s in out if s.text]


def _make(text: str, start: int, end: int, offset: int, number: int, ref: bool) -> Sentence:
    chunk = text[start:end]
    stripped = chunk.strip()
    lead = len(chunk) - len(chunk.lstrip())
    s = offset + start + lead
    return Sentence(stripped, s, s + len(stripped), number, ref)


def split_sentences(text: str) -> list[Sentence]:
    """Sentences in document order; ``text[s.start:s.end] == s.text`` for each."""
    out: list[Sentence] = []
    for number, m in enumerate(_PARAGRAPH_RE.finditer(text)):
        para = m.group(0)
        # Single newlines inside a block usually separate headings or list items: treat
        # each line as its own paragraph so a title never merges with the next line.
        for line in _LINE_RE.finditer(para):
            if line.group(0).strip():
                out.extend(_split_paragraph(line.group(0), m.start() + line.start(), number))
    return out
