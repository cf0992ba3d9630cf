"""Trial names carried by a cited reference's title.

Reviews often report a study's figures in a sentence that never names the study: the
name is only in the title of the reference the sentence cites ("... was 27% in women
with hormone receptor-negative tumours,12" with reference 12 titled "... (ACRONYM): a
randomised phase 2 trial"). The bibliography maps each reference number to the trial its
title names; a sentence citing a number with no trial name of its own reports that trial.
"""

from __future__ import annotations

import re

from trialgraph.ingest.extract.lexicon import Lexicon
from trialgraph.ingest.extract.mentions import introduced_trial_names, plausible_trial_name

__all__ = ["cited_trial", "reference_trial_names"]

#: A numbered bibliography line: "12. Author AB, ..." or "[12] Author AB, ...".
_REF_LINE = re.compile(
    r"^[ \t]*(?:\[(?P<a>\d{1,3})\]|(?P<b>\d{1,3})\.)[ \t]+"
    r"(?P<body>(?:[A-Z][\w'\-]+(?: [A-Z][\w'\-]+)? [A-Z]{1,3}[,.:] ){2,}[^\n]*)$",
    re.MULTILINE,
)
#: A title's parenthesised name: "(ACRONYM)", "(ACRONYM study)", "(CamelName trial)".
_PAREN_NAME = re.compile(
    r"\((?P<name>[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)(?: (?:[Ss]tudy|[Tt]rial))?\)"
)
#: A citation mark: "[12]", "[3, 12]", "[12-14]", or a number glued to the words it
#: follows ("tumours,12 suggesting", "benefit.12"), or superscript digits.
_CITE = re.compile(
    r"\[(?P<br>\d{1,3}(?:\s*[,\u2013-]\s*\d{1,3})*)\]"
    r"|(?<=[a-z)][,.;:])(?P<glued>\d{1,3}(?:[,\u2013-]\d{1,3})*)(?=\s|$)"
    r"|(?P<sup>[\u00b9\u00b2\u00b3\u2070-\u2079]+)"
)
_COMMA = re.compile(r"\s*,\s*")
_RANGE_DASH = re.compile(r"\s*[\u2013-]\s*")
_SUPERSCRIPT = str.maketrans(
    "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079", "0123456789"
)


def reference_trial_names(text: str, lex: Lexicon) -> dict[int, str]:
    """Reference number -> the trial name its title carries (numbered bibliographies only)."""
    out: dict[int, str] = {}
    for m in _REF_LINE.finditer(text):
        number = int(m.group("a") or m.group("b"))
        body = m.group("body")
        names = [p.group("name") for p in _PAREN_NAME.finditer(body)]
        names = [n for n in names if plausible_trial_name(n, lex)]
        names += introduced_trial_names(lex, body)
        if names:
            out.setdefault(number, names[0])
    return out


def _numbers(mark: str) -> list[int]:
    """'3, 12' -> [3, 12]; '12-14' -> [12, 13, 14] (short ranges only)."""
    out: list[int] = []
    for part in _COMMA.split(mark):
        bounds = [int(x) for x in _RANGE_DASH.split(part) if x]
        lo, hi = bounds[0], bounds[-1]
        out.extend(range(lo, hi + 1) if 0 <= hi - lo <= 5 else bounds)
    return out


def cited_trial(sentence: str, names: dict[int, str]) -> str | None:
    """The one trial the sentence's citations name (None if none, or several differ)."""
    if not names:
        return None
    found: set[str] = set()
    for m in _CITE.finditer(sentence):
        mark = m.group("br") or m.group("glued") or (m.group("sup") or "").translate(_SUPERSCRIPT)
        found.update(names[n] for n in _numbers(mark) if n in names)
    return found.pop() if len(found) == 1 else None
