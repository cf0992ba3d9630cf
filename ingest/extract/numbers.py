"""Numbers in a sentence: times, percentages, "not reached", counts and ratios.

Each value keeps its offsets in the sentence. Confidence intervals and p-values are parsed
first and masked, so "95% CI" never reads as a 95% rate and "P = .007" never as a value.
Times that are not results (follow-up, time points, ranges, eligibility windows) are
dropped here, by the words around them, because no later step can tell them apart.
"""

from __future__ import annotations  # noqa: I001

import re
from collections.abc import Iterator
from itertools import pairwise
from dataclasses import dataclass

from trialgraph.ingest.extract.gates import fold, has_digit

__all__ = ["Value", "find_values", "parse_int", "word_number"]

_NUM = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_DASH = r"[-\u2010\u2011\u2013\u2014]"
_CI_RE = re.compile(
    r"95\s*%\s*(?:confidence interval|CI)(?:\s*[\[(](?:CI)[\])])?\s*[:,=]?\s*"
    rf"(?P<lo>{_NUM})\s*%?\s*(?:,|{_DASH}|to)\s*(?P<hi>{_NUM})\s*%?(?![\w.])"
)
_CI_ANY_RE = re.compile(r"95\s*%\s*(?:confidence interval|CI)[^)\];]{0,60}")
_P_RE = re.compile(
    rf"(?<![A-Za-z])(?:two-sided\s+|one-sided\s+)?[Pp](?:-value)?\s*(?P<op>=|<|>|≤|≥)\s*(?P<v>{_NUM})"
)
_RATIO_RE = re.compile(
    r"(?P<label>hazard ratio|odds ratio|\bHR\b|\bOR\b)(?:\s*[\[(](?:HR|OR)[\])])?"
    r"(?:\s+for\s+(?P<for>(?:an?\s+|the\s+)?[a-z][a-z\s,-]{0,60}?)|\s+for\s+[A-Z][A-Za-z0-9]{1,5})?"
    rf"[\s,:=]*(?:of\s+|was\s+|were\s+)?(?P<v>{_NUM})(?![\w%])"
)
_VALUE_RE = re.compile(
    rf"(?<![\w.]){_NUM}(?P<unit>\s*%|\s*{_DASH}?\s*(?:months?|mos?\b|weeks?|wks?\b|years?|yrs?\b))?",
    re.IGNORECASE,
)
_NR_RE = re.compile(r"\bnot\s+(?:yet\s+)?(?:been\s+)?reached\b|\bNR\b")
_N_RE = re.compile(r"\(\s*n\s*=\s*(?P<n>\d[\d,]*)\s*\)")
#: "106 events (12%)", and "42 of 118 patients (35.6%)", "58 of 119 (48.7%)": k is the count
_EVENTS_RE = re.compile(
    r"(?:(?P<k>\d[\d,]*)\s+of\s+)?(?P<n>\d[\d,]*)\s+(?:events|deaths|patients)\s*\(\s*"
    + _NUM
    + r"\s*%\s*\)|(?P<k2>\d[\d,]*)\s+of\s+\d[\d,]*\s*\(\s*"
    + _NUM
    + r"\s*%\s*\)"
)
_SKIP_BEFORE = re.compile(
    r"(?:\bat|\bafter|\bwithin|\bfor|\bover|\bthan|\bleast|\bevery|\bexcess of|\bup to|"
    r"\bbeyond|\bby|\blasting|\bof follow-up|\bfollow-up of|≥|≤|>|<)\s*(?:a\s+)?(?:median\s+of\s+)?$",  # noqa: E501
    re.IGNORECASE,
)
_SKIP_AFTER = re.compile(
    r"^\s*(?:of\s+(?:follow|age|treatment|therapy)|follow-up|old|prior|after|before|since|"
    r"difference|median follow|of completing|\+|or more|or longer)",
    re.IGNORECASE,
)
#: "the 1% to 49% stratum", "between 10% and 20%", "1% or 2%": a range of percentages,
#: not two results ("improved from 51% to 65%" is a change, kept by the lookbehind)
_PCT_RANGE_RE = re.compile(
    rf"(?<![\d.]){_NUM}\s*%\s*{_DASH}\s*{_NUM}\s*%"
    rf"|\bbetween\s+{_NUM}\s*%\s*and\s*{_NUM}\s*%"
    rf"|(?<![\d.]){_NUM}\s*%\s*or\s*{_NUM}\s*%"
    rf"|(?<!\bfrom )(?<![\d.]){_NUM}\s*%\s*to\s*{_NUM}\s*%"
    r"(?=\s+(?:stratum|strata|subgroup|range|band|categor|group|cohort)|\)|\s*$)",
    re.IGNORECASE,
)
#: "1% to 49%", "10% and 20%": what every range above holds (it starts with "%": fast)
_PCT_PAIR = re.compile(rf"%\s*(?:{_DASH}|and|or|to)\s*{_NUM}\s*%", re.IGNORECASE)
_PAIR_RE = re.compile(
    r"^\s*(?:vs\.?|(?-i:v\.?)|versus|and|to|or|compared with|compared to)\s*$", re.I
)
_UNITS = {"m": "months", "w": "weeks", "y": "years"}
_RANGE_END = re.compile(rf"\d{_DASH}$")
_RANGE_START = re.compile(rf"{_DASH}\d")
_LEADING_DASH = re.compile(rf"\s*{_DASH}")
_P_OPERATOR = re.compile("[=<>≤≥]")
_AT_END = re.compile(r"\bat\s*$")
_CI_GAP = re.compile(r"\s*[\[(]\s*")
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_WORD_SPLIT = re.compile(r"[-\s]+")
_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_TENS = {
    w: 10 * (i + 2)
    for i, w in enumerate(
        ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    )
}
WORD_NUMBER_RE = re.compile(
    r"\b(?:(?:"
    + "|".join(_TENS)
    + r")(?:[-\s](?:"
    + "|".join(list(_WORDS)[1:10])
    + r"))?|"
    + "|".join(_WORDS)
    + r")\b",
    re.IGNORECASE,
)


@dataclass
class Value:
    """One number in a sentence (offsets relative to the sentence)."""

    kind: str  # "time" | "percent" | "nr" | "count" | "ratio"
    value: float | None
    start: int
    end: int
    unit: str | None = None
    ci: tuple[float, float] | None = None
    p_value: float | None = None
    p_operator: str | None = None
    ratio: str | None = None
    ratio_for: str | None = None  # "death" in "hazard ratio for death, 0.84"
    partner: int | None = None  # start offset of the rate this count goes with


def parse_int(text: str) -> int | None:
    """'1,420' -> 1420; number words ('Eighty-four') too."""
    t = text.strip().replace(",", "")
    if t.isdigit():
        return int(t)
    return word_number(t)


def word_number(text: str) -> int | None:
    """English number words below one hundred, as they start sentences."""
    parts = _WORD_SPLIT.split(text.strip().lower())
    if len(parts) == 1 and parts[0] in _WORDS:
        return _WORDS[parts[0]]
    if parts and parts[0] in _TENS:
        rest = _WORDS.get(parts[1], -1) if len(parts) == 2 else 0
        if 0 <= rest < 10:
            return _TENS[parts[0]] + rest
    return None


def _num(text: str) -> float:
    return float(text.replace(",", ""))


def _mask(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        chars[i] = " "


def _ci_after(text: str, pos: int, limit: int = 45) -> tuple[tuple[float, float] | None, int]:
    m = _CI_RE.search(text, pos, min(len(text), pos + limit + 60))
    if m is None or m.start() - pos > limit:
        return None, pos
    return (_num(m.group("lo")), _num(m.group("hi"))), m.end()


def _ratios(text: str, chars: list[str]) -> list[Value]:
    out = []
    for m in _RATIO_RE.finditer(text):
        ci, end = _ci_after(text, m.end())
        window = text[m.end() : m.end() + 90]
        nxt = _RATIO_RE.search(window)
        if nxt:
            window = window[: nxt.start()]
        p = _P_RE.search(window)
        value = Value(
            "ratio",
            _num(m.group("v")),
            m.start(),
            m.end(),
            ci=ci,
            ratio="odds_ratio"
            if fold(m.group("label")) in ("or", "odds ratio")
            else "hazard_ratio",
            ratio_for=(m.group("for") or "").strip(" ,") or None,
        )
        if p is not None:
            value.p_value = _num(p.group("v"))
            value.p_operator = {"≤": "<", "≥": ">"}.get(p.group("op"), p.group("op"))
            end = max(end, m.end() + p.end())
        _mask(chars, m.start(), end)
        out.append(value)
    return out


def _time_unit(raw: str) -> tuple[str | None, bool]:
    unit = raw.strip().lstrip("-\u2010\u2011\u2013\u2014").strip().lower()
    hyphenated = bool(_LEADING_DASH.match(raw))
    return (_UNITS.get(unit[:1]) if unit else None), hyphenated


def find_values(text: str) -> list[Value]:
    """Result-like values in one sentence, in order; ratios carry their CI and p."""
    if not has_digit(text):  # every pattern but "not reached" needs a digit
        return [Value("nr", None, m.start(), m.end(), unit="months") for m in _nr(text)]
    chars = list(text)
    values = _ratios(text, chars) if ("ratio" in text or "HR" in text or "OR" in text) else []
    cis: dict[int, tuple[tuple[float, float], int]] = {}
    if "95" in text:
        for m in _CI_RE.finditer(text):
            cis[m.start()] = ((_num(m.group("lo")), _num(m.group("hi"))), m.end())
        for m in _CI_ANY_RE.finditer(text):
            _mask(chars, m.start(), m.end())
    if _P_OPERATOR.search(text):
        for m in _P_RE.finditer(text):
            _mask(chars, m.start(), m.end())
    if _PCT_PAIR.search(text):  # most sentences have no two percentages joined like that
        for m in _PCT_RANGE_RE.finditer(text):
            _mask(chars, m.start(), m.end())
    masked = "".join(chars)
    for m in _nr(masked):
        values.append(Value("nr", None, m.start(), m.end(), unit="months"))
    bare: list[Value] = []
    for m in _VALUE_RE.finditer(masked):
        raw_unit = m.group("unit") or ""
        num_text = m.group(0)[: len(m.group(0)) - len(raw_unit)]
        if _RANGE_END.search(masked[max(0, m.start() - 2) : m.start()]):
            continue  # the upper end of a range
        if _RANGE_START.match(masked, m.end()):
            continue  # a range such as 6-7 months
        if masked[m.end() : m.end() + 1] in ".," and masked[m.end() + 1 : m.end() + 2].isdigit():
            continue
        v = Value("bare", _num(num_text), m.start(), m.end())
        if "%" in raw_unit:
            v.kind, v.unit = "percent", "percent"
        elif raw_unit:
            unit, hyphenated = _time_unit(raw_unit)
            if hyphenated or unit is None:
                continue
            v.kind, v.unit = "time", unit
        ci = _first_ci_after(text, cis, m.end())
        if ci is not None:
            v.ci = ci
        bare.append(v)
    _pair_bare(masked, bare)
    for v in bare:
        if v.kind == "bare":
            continue
        if v.kind == "time" and _skipped(masked, v):
            continue
        values.append(v)
    if "(" in text:  # both count forms are bracketed
        _counts(text, values)
    values.sort(key=lambda v: v.start)
    return values


def _nr(text: str) -> Iterator[re.Match[str]]:
    """'not reached' / 'NR' marks; most sentences have neither word."""
    if "reached" not in text and "NR" not in text:
        return iter(())
    return _NR_RE.finditer(text)


def _first_ci_after(
    text: str, cis: dict[int, tuple[tuple[float, float], int]], pos: int
) -> tuple[float, float] | None:
    if not cis:
        return None
    gap = _CI_GAP.match(text, pos)
    if gap is None:
        return None
    hit = cis.get(gap.end())
    return hit[0] if hit else None


def _pair_bare(masked: str, values: list[Value]) -> None:
    """'12.4 vs 18.7 months', '8.6 and 5.6 months': the unit written once serves both.

    Read from the end, so a list "6.2, 9.0 and 8.3 months" passes the unit back through
    its commas; a comma alone ("n = 300, 12.1 months") joins nothing.
    """
    listed: set[int] = set()  # values that took their unit across "and"/"," in a list
    for a, b in reversed(list(pairwise(values))):
        if a.kind != "bare" or b.kind not in ("time", "percent"):
            continue
        between = _BRACKETED.sub(" ", masked[a.end : b.start])
        if _PAIR_RE.match(between) or (id(b) in listed and between.strip() == ","):
            if between.strip() in (",", "and"):
                listed.add(id(a))
            a.kind, a.unit = b.kind, b.unit
            if a.kind == "time" and _skipped(masked, a):
                b.kind = "bare"  # "for 18 to 24 weeks": the range shares the context


def _skipped(masked: str, v: Value) -> bool:
    before = masked[max(0, v.start - 30) : v.start]
    after = masked[v.end : v.end + 30]
    if v.unit == "months" and "." in masked[v.start : v.end] and _AT_END.search(before):
        return bool(_SKIP_AFTER.match(after))  # "at 10.9 months": a median, not a time point
    return bool(_SKIP_BEFORE.search(before) or _SKIP_AFTER.match(after))


def _counts(text: str, values: list[Value]) -> None:
    """'7.1% (n = 171)' and '106 events (12%)': a patient count tied to a rate."""
    if "%" not in text:
        return  # both forms tie the count to a percentage
    for m in _N_RE.finditer(text):
        prev = [v.start for v in values if v.kind == "percent" and 0 <= m.start() - v.end <= 3]
        if prev:
            values.append(
                Value(
                    "count",
                    float(parse_int(m.group("n")) or 0),
                    m.start(),
                    m.end(),
                    unit="patients",
                    partner=prev[0],
                )
            )
    for m in _EVENTS_RE.finditer(text):
        idx = [v.start for v in values if v.kind == "percent" and m.start() <= v.start < m.end()]
        if idx:
            group = next(g for g in ("k", "k2", "n") if m.group(g))
            values.append(
                Value(
                    "count",
                    float(parse_int(m.group(group)) or 0),
                    m.start(group),
                    m.end(group),
                    unit="patients",
                    partner=idx[0],
                )
            )
