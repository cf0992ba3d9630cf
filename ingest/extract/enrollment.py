"""How many patients a trial enrolled, read from one sentence about it.

Phrasings: "enrolled 524 patients", "randomly assigned 524 patients", "in 621 women",
and a count in parentheses right after the trial's own description ("the phase 2 X
study (n = 130)"). An "(n = 157)" after an arm is that arm's size, not the trial's,
so the parenthesised form is only taken after the words "trial" or "study".
"""

from __future__ import annotations

import re

from trialgraph.ingest.extract.gates import has_any, has_digit
from trialgraph.ingest.extract.numbers import parse_int

__all__ = ["find_enrollment"]

_N = r"(?P<n>\d{1,3}(?:,\d{3})+|\d{2,})"
_ENROLL = re.compile(
    r"\b(?:enrolled|accrued|randomi[sz]ing|randomly assigned|randomi[sz]ed|included|in|of)\s+"
    + _N
    + r"\s+(?:\w+\s+){0,2}?(?:patients|women|men|participants|subjects)\b",
    re.IGNORECASE,
)
_STUDY_N = re.compile(r"\b(?:trial|study)\s+\(\s*[nN]\s*=\s*" + _N + r"\s*\)")
#: "In the X trial, 612 patients previously treated with ...": the count opens the clause
_STUDY_COMMA_N = re.compile(
    r"\b(?:trial|study),\s+" + _N + r"\s+(?:patients|women|men|participants|subjects)\b"
)
#: "... 300 patients were randomized to": the count belongs to the arms that follow
_ARM_SPLIT = re.compile(r"were randomi[sz]ed to\b")
#: who was counted: one of these is in every match of _ENROLL and _STUDY_COMMA_N
_PEOPLE = ("patients", "women", "men", "participants", "subjects")


def find_enrollment(text: str) -> int | None:
    """The enrolment figure one sentence states for its trial, if any."""
    if not has_digit(text):
        return None  # every phrasing states the count in digits
    people = has_any(text, _PEOPLE)
    m = _ENROLL.search(text) if people else None
    if m and not _ARM_SPLIT.search(text[m.end() : m.end() + 30]):
        return parse_int(m.group("n"))
    m = (_STUDY_N.search(text) if "=" in text else None) or (
        _STUDY_COMMA_N.search(text) if people else None
    )
    return parse_int(m.group("n")) if m else None
