"""Surface-form matching in linear time: Aho-Corasick with the alternation's exact semantics.

:func:`trialgraph.ingest.extract.lexicon` folds every catalogue form into one regex
alternation (``(?<!\\w)(?:longest|...|shortest)(?!\\w)``, case-insensitive, ``\\s+`` between
words, any of four dashes for ``-``). Python's regex engine tries every alternative at
every position, so a sentence cost grew with the catalogue (~1 ms per sentence). This
matcher finds the same spans with one automaton pass (``pyahocorasick``) over a folded
copy of the text of the same length, then applies the regex's choice rule: leftmost
start, longest form there, no overlaps, word boundaries on both sides.

Texts where folding could change a length or the regex's case rules differ from
``str.lower`` (two whitespace characters in a row, a few special letters) go to the regex,
so the spans are always the regex's. The folded copy is made once per text: the drug and
the endpoint matchers both read each sentence.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

import ahocorasick

__all__ = ["FormMatcher"]

#: whitespace other than a plain space (folded to one): rewriting every space is wasted
_OTHER_WS = re.compile(r"[^\S ]")
_DOUBLE_WS = re.compile(r"\s\s")
#: letters whose case-insensitive regex match differs from str.lower (long s, Kelvin, ...)
_SPECIAL = re.compile("[\u017f\u212a\u212b\u0130\u0131\u1e9e\u03c2\u03f4]")


class FormMatcher:
    """Spans of folded forms (lower case, ``-`` dashes, single spaces) in a text."""

    def __init__(self, forms: Iterable[str], fallback: re.Pattern[str]) -> None:
        self._fallback = fallback
        self._automaton: ahocorasick.Automaton | None = None
        automaton = ahocorasick.Automaton()
        for form in set(forms):
            if form:
                automaton.add_word(form, len(form))
        if len(automaton):
            automaton.make_automaton()
            self._automaton = automaton

    def spans(self, text: str) -> Iterator[tuple[int, int]]:
        """(start, end) of every match, left to right, as ``fallback.finditer`` gives them."""
        if self._automaton is None:
            return
        folded = _folded(text)
        if folded is None:
            for m in self._fallback.finditer(text):
                yield m.start(), m.end()
            return
        candidates = []
        for last, length in self._automaton.iter(folded):
            start, end = last - length + 1, last + 1
            if start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
                continue
            if end < len(text) and (text[end].isalnum() or text[end] == "_"):
                continue
            candidates.append((start, -end))
        candidates.sort()
        taken = 0
        for start, neg_end in candidates:
            if start >= taken:
                taken = -neg_end
                yield start, taken


@functools.lru_cache(maxsize=8)
def _folded(text: str) -> str | None:
    """``text`` as the automaton reads it (same length), or None when only the regex can
    say what matches."""
    if _DOUBLE_WS.search(text):
        return None
    folded = text.lower()
    if not text.isascii():
        if len(folded) != len(text) or _SPECIAL.search(text):
            return None
        folded = folded.replace("\u2010", "-").replace("\u2011", "-").replace("\u2013", "-")
    return _OTHER_WS.sub(" ", folded)
