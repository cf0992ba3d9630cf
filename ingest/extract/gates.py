"""Cheap tests that let a rule skip a regex scan which cannot match.

Most sentences mention no percentage, no "versus", no "placebo": scanning each of them
with every rule's regex is most of the extraction time. A rule first asks whether the
words its pattern needs occur at all (a substring test in C, on a lower-cased copy made
once per sentence), and runs its regex only then, so its output is unchanged.

Case-insensitive regexes also match four non-ASCII letters to ASCII ones (dotted and
dotless i, long s, Kelvin sign); :func:`folded` maps them the same way, so a word a
pattern could match is always found in the folded text.
"""

from __future__ import annotations

import functools
import re

__all__ = ["contains_any", "fold", "folded", "has_any", "has_digit"]

_DIGIT = re.compile(r"\d")


def fold(text: str) -> str:
    """``text`` lower-cased as case-insensitive regexes compare it: a word such a regex
    matched ("İİİ", "poſtmenopausal") must become the key or value it stands for."""
    if not text.isascii():  # what IGNORECASE equates with ASCII letters but lower() does not
        text = text.replace("\u0130", "i").replace("\u0131", "i").replace("\u017f", "s")
    return text.lower()


@functools.lru_cache(maxsize=16)
def folded(text: str) -> str:
    """:func:`fold` of a sentence. Cached: each rule that looks at one sentence asks for
    it, so it is computed once per sentence."""
    return fold(text)


def contains_any(text: str, words: tuple[str, ...]) -> bool:
    """Whether one of ``words`` occurs in ``text`` as written (for case-sensitive rules)."""
    for word in words:  # noqa: SIM110 - a loop: any() with a generator costs twice as much
        if word in text:
            return True
    return False


def has_any(text: str, words: tuple[str, ...]) -> bool:
    """Whether one of ``words`` (lower case) occurs in ``text``, whatever its case."""
    return contains_any(folded(text), words)


def has_digit(text: str) -> bool:
    """Whether ``text`` holds a digit (as ``\\d`` sees one): every figure needs one."""
    return _DIGIT.search(text) is not None
