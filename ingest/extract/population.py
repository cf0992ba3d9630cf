"""Population facets from the sentences about one trial (and the article's framing text).

Facets are read from phrases, not inferred: HER2/HR status words, the setting (metastatic
wins over a bare "advanced"; early disease treated after surgery is the adjuvant setting),
line of therapy ("first-line", "two or more prior regimens"), menopausal status and the
condition ("breast cancer", "melanoma").
"""

from __future__ import annotations

import functools
import re
from typing import cast

from trialgraph.ingest.extract.gates import fold, has_any

from trialgraph.model import Her2, HormoneReceptor, Line, Menopausal, Population, Setting

__all__ = ["population_from"]

_D = r"\s*[-\u2010\u2011\u2013\u2014]?\s*"
_HER2 = re.compile(
    r"\b(?:HER2|HER-2|ErbB2|human epidermal growth factor receptor 2(?:\s*\(HER2\))?)"
    rf"(?:\s*\(HER2\))?{_D}(?P<s>positive|negative|low|mutant|mutated|overexpress\w*|"
    r"amplified|\+(?![\w])|-(?=[\s/,)]))",
    re.IGNORECASE,
)
_TNBC = re.compile(r"\btriple[- ]negative\b", re.IGNORECASE)
_HR = re.compile(
    r"\b(?:hormone[- ]receptor(?:\s*\(HR\))?|HR|ER|PR|estrogen[- ]receptor|"
    rf"progesterone[- ]receptor){_D}(?P<s>positive|negative|\+(?![\w])|-(?=[\s/,)]))",
    re.IGNORECASE,
)
_SETTING = re.compile(
    r"\b(?P<s>neoadjuvant or adjuvant|neoadjuvant, adjuvant|extended adjuvant|neoadjuvant|"
    r"adjuvant|metastatic|advanced|early[- ]stage|early|unresectable)\b",
    re.IGNORECASE,
)
#: Words (lower case) one of which every match of a facet's pattern contains: a text
#: with none of them skips that pattern's scan (see :mod:`.gates`).
_HER2_WORDS = ("her2", "her-2", "erbb2", "human epidermal growth factor receptor 2")
_SETTING_WORDS = ("adjuvant", "metastatic", "advanced", "early", "unresectable")
_CONDITION_WORDS = (
    "cancer",
    "melanoma",
    "lymphoma",
    "myeloma",
    "leukemia",
    "leukaemia",
    "glioblastoma",
    "sarcoma",
    "mesothelioma",
)
#: each line of therapy: its pattern and the words one of which every match contains
_LINE = (
    (
        "first",
        re.compile(
            r"\b(?:first|front)[- ]line\b|\bpreviously untreated\b|\btreatment-naive", re.IGNORECASE
        ),
        ("first-line", "first line", "front-line", "front line", "untreated", "treatment-naive"),
    ),
    (
        "second",
        re.compile(
            r"\bsecond[- ]line\b|\b(?:one|1) prior (?:line|regimen|therap)|"
            r"\b(?:progressed|progressing|progression|relapsed) (?:on|after|during|following) "
            r"(?:\w+ )?first[- ]line\b|\b(?:after|following|beyond) first[- ]line\b",
            re.IGNORECASE,
        ),
        ("second-line", "second line", "one prior", "1 prior", "first-line", "first line"),
    ),
    (
        "later",
        re.compile(
            r"\b(?:third|later)[- ]lines?\b|\b(?:two|2|three|3) or more prior\b|"
            r"\bone or more prior\b|\bat least (?:one|two|1|2) prior\b|\bpreviously treated\b|"
            r"\brefractory\b|\breceived prior (?:treatment|therapy)\b|\bafter prior therap",
            re.IGNORECASE,
        ),
        (
            "third-line",
            "third line",
            "later-line",
            "later line",
            "or more prior",
            "at least",
            "previously treated",
            "refractory",
            "received prior",
            "after prior therap",
        ),
    ),
)
_MENO = re.compile(r"\b(?P<s>post|pre)[- ]?menopausal\b", re.IGNORECASE)
_CONDITION = re.compile(
    r"\b(?P<c>(?:breast|colorectal|lung|gastric|ovarian|prostate|pancreatic|bladder|"
    r"cervical|endometrial|esophageal|liver|kidney|thyroid|head and neck|skin|colon|rectal)"
    r" cancer|melanoma|lymphoma|myeloma|leukemia|leukaemia|glioblastoma|sarcoma|mesothelioma)\b",
    re.IGNORECASE,
)


def _status(word: str) -> str:
    w = word.lower()
    if w.startswith(("positive", "overexpress", "amplified", "+")):
        return "positive"
    if w.startswith(("mutant", "mutated")):
        return "mutant"
    if w == "low":
        return "low"
    return "negative"


@functools.lru_cache(maxsize=16)
def _setting(text: str) -> str | None:
    if not has_any(text, _SETTING_WORDS):
        return None
    hits = [fold(m.group("s")).replace(" ", "-") for m in _SETTING.finditer(text)]
    if not hits:
        return None
    meta = {"metastatic", "advanced", "unresectable"}
    if hits[0] in meta:
        return "metastatic" if ("metastatic" in hits or "unresectable" in hits) else "advanced"
    if any(h == "neoadjuvant" for h in hits):
        first_adj = next(h for h in hits if h not in meta and not h.startswith("early"))
        if first_adj == "neoadjuvant":
            return "neoadjuvant"
    if any("adjuvant" in h for h in hits):
        return "adjuvant"
    return "early"


def population_from(texts: list[str]) -> Population:
    """Facets from ``texts`` in priority order: the first text that states a facet wins."""
    pop = Population()
    for text in texts:
        t = text.replace("\u2011", "-").replace("\u2013", "-")
        if pop.her2 is None and (her2 := _her2(t)) is not None:
            pop.her2 = cast(Her2, her2)
        if pop.hormone_receptor is None and (hr := _hormone_receptor(t)) is not None:
            pop.hormone_receptor = cast(HormoneReceptor, hr)
        if pop.setting is None:
            pop.setting = cast(Setting | None, _setting(t))
        if pop.line is None and (line := _line(t)) is not None:
            pop.line = cast(Line, line)
        if pop.menopausal_status is None and (meno := _menopausal(t)) is not None:
            pop.menopausal_status = cast(Menopausal, meno)
        if pop.condition is None and (condition := _condition(t)) is not None:
            pop.condition = condition
    return pop


# One function per facet, each cached: every trial of an article reads the same framing
# text after its own, so the framing is scanned once per facet, not once per trial.


@functools.lru_cache(maxsize=16)
def _her2(t: str) -> str | None:
    m = _HER2.search(t) if has_any(t, _HER2_WORDS) else None
    if m:
        return _status(m.group("s"))
    return "negative" if _triple_negative(t) else None


@functools.lru_cache(maxsize=16)
def _hormone_receptor(t: str) -> str | None:
    m = _HR.search(t)
    if m:
        return _status(m.group("s"))
    return "negative" if _triple_negative(t) else None


def _triple_negative(t: str) -> bool:
    return has_any(t, ("triple",)) and _TNBC.search(t) is not None


@functools.lru_cache(maxsize=16)
def _line(t: str) -> str | None:
    found = [
        (m.start(), line) for line, rx, words in _LINE if has_any(t, words) and (m := rx.search(t))
    ]
    return min(found)[1] if found else None


@functools.lru_cache(maxsize=16)
def _menopausal(t: str) -> str | None:
    m = _MENO.search(t) if has_any(t, ("menopausal",)) else None
    return f"{fold(m.group('s'))}menopausal" if m else None


@functools.lru_cache(maxsize=16)
def _condition(t: str) -> str | None:
    m = _CONDITION.search(t) if has_any(t, _CONDITION_WORDS) else None
    return fold(m.group("c")) if m else None
