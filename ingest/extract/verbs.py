"""Results said with a verb instead of an endpoint name.

"25 of the 64 patients responded" is a response count (the 64 is the denominator, not a
result); "responses lasted a median of 14.2 months" is the median duration of response.
The endpoints come from the catalogue, looked up by their ordinary names.
"""

from __future__ import annotations

import re

from trialgraph.ingest.extract.gates import fold
from trialgraph.ingest.extract.lexicon import Lexicon
from trialgraph.ingest.extract.numbers import WORD_NUMBER_RE, Value, parse_int
from trialgraph.ingest.extract.results import Attached

__all__ = ["verb_results"]

_RESPONDED = re.compile(
    rf"(?<![\d.,%])(?P<c>\d+|{WORD_NUMBER_RE.pattern}) of (?:the |these |all )?(?P<t>\d+)"
    r"(?: \w+)?(?: (?:patients|participants|women|men|adults|children))? "
    r"(?:responded|had a response|achieved a response)\b",
    re.IGNORECASE,
)
_LASTED = re.compile(
    r"\b(?:the\s+)?responses?\s+(?:\w+\s+){0,2}?(?:lasted|persisted|were maintained|was "
    r"maintained|were durable)\s+(?:for\s+)?(?:a\s+)?median\s+(?:of\s+)?"
    r"(?P<v>\d+(?:\.\d+)?)\s+(?P<u>months?|weeks?|years?)\b",
    re.IGNORECASE,
)
_UNITS = {"m": "months", "w": "weeks", "y": "years"}


def verb_results(text: str, lex: Lexicon) -> list[Attached]:
    """Counts of responders and median durations of response a verb states."""
    if "espon" not in text:
        return []  # neither form can occur: skip both scans (most sentences)
    out: list[Attached] = []
    orr = lex.endpoint("objective response rate")
    if orr is not None:
        for m in _RESPONDED.finditer(text):
            c = parse_int(m.group("c"))
            if c is not None and c <= int(m.group("t")):
                v = Value("count", float(c), m.start("c"), m.end("c"), unit="patients")
                out.append(Attached(v, orr.abbreviation, "count"))
    dor = lex.endpoint("duration of response")
    if dor is not None:
        for m in _LASTED.finditer(text):
            unit = _UNITS[fold(m.group("u")[0])]
            v = Value("time", float(m.group("v")), m.start("v"), m.end("u"), unit=unit)
            out.append(Attached(v, dor.abbreviation, "time"))
    return out
