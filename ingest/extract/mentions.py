"""Mentions in a sentence: drugs and endpoints (via the catalogue), trial names, NCT ids.

Trial names are recognised by how articles introduce trials ("the X trial", "X (NCT...)",
"in X, a randomized ... study"), not by a list: the held-out articles name other trials.
Once a name has been introduced, every later bare occurrence of it is a mention too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from trialgraph.ingest.extract.gates import contains_any, fold
from trialgraph.ingest.extract.lexicon import DrugInfo, EndpointInfo, Lexicon
from trialgraph.ingest.extract.matcher import FormMatcher

__all__ = [
    "DrugMention",
    "EndpointMention",
    "find_drugs",
    "find_endpoints",
    "find_phase",
    "introduced_trial_names",
    "plausible_trial_name",
]

_TOKEN = r"[A-Z][A-Za-z0-9]*(?:[-\u2011][A-Za-z0-9]+)*"
_NAME = rf"{_TOKEN}(?: [A-Z]{{2,}}(?![a-z]))?"
#: "a randomized phase 3 comparison ..., called X": the name follows the description
_CALLED_RE = re.compile(
    rf"\b(?:trial|study|comparison)\b[^.;]{{0,120}}?,?\s+(?:called|named|dubbed|known as)\s+"
    rf"(?P<name>{_NAME})"
)
_INTRO_RES = (
    re.compile(
        rf"(?<![\w-])(?<!phase )(?<!Phase )(?P<name>{_NAME})(?:,? a)? "
        r"(?:phase [IV1-4/]+ )?(?:[Tt]rial|[Ss]tudy)\b"
    ),
    re.compile(
        rf"\(?(?P<name>{_NAME})\s*(?:(?:;|,|\()\s*|\s)(?:ClinicalTrials\.gov[^)]*?)?NCT\d{{8}}"
    ),
    # "X was an open-label, randomized phase 3 trial"; "X randomized 723 patients"
    re.compile(
        rf"(?:^|[.;:]\s+)(?P<name>{_NAME}) (?:was|is) an? [^.;]{{0,90}}?\b(?:trial|study)\b"
    ),
    re.compile(
        rf"(?:^|[.;:]\s+)(?P<name>{_NAME}) (?:randomi[sz]ed|randomly assigned|enrolled|"
        r"accrued) (?:\d[\d,]*|[a-z]+(?:-[a-z]+)?) (?:\w+ ){0,3}?(?:patients|women|men|adults)\b"
    ),
    re.compile(
        rf"(?:\b(?:[Ii]n|[Ff]rom|on|of|by|is|was)\s+(?:the\s+)?|^|[.;:]\s+)"
        rf"(?P<name>{_NAME}),\s+an?\s+[^.;]{{0,90}}?"
        r"\b(?:trial|study)\b"
    ),
    _CALLED_RE,
    # "In X, which compared A with B": an all-caps name that a relative clause describes
    re.compile(
        r"(?:^|[.;:]\s+)(?:[Ii]n\s+)?(?P<name>[A-Z][A-Z0-9]{2,}(?:[-\u2011][A-Z0-9]+)*),\s+which\s+"
        r"(?:compared|randomi[sz]ed|enrolled|evaluated|tested|assigned)\b"
    ),
    # a title: "...: Final Overall Survival Analysis of X", "Results From the X Trial"
    re.compile(
        r"\b(?:[Aa]nalysis|[Rr]esults|[Oo]utcomes|[Uu]pdate|[Ff]indings|[Dd]ata) (?:[Oo]f|[Ff]rom) "
        rf"(?:the |The )?(?P<name>{_NAME})(?=\s*(?:$|[:.;,)]))"
    ),
)
#: for each of _INTRO_RES, substrings one of which every match contains (a cheap test
#: that lets a sentence skip a pattern that cannot match it; the output is unchanged)
_INTRO_NEEDS = (
    ("rial", "tudy"),
    ("NCT",),
    ("rial", "tudy"),
    ("randomi", "randomly assigned", "enrolled", "accrued"),
    ("rial", "tudy"),
    ("called", "named", "dubbed", "known as"),
    ("which",),
    ("nalysis", "esults", "utcomes", "pdate", "indings", "ata"),
)
#: Acronyms that are never trial names: agencies, societies, biomarkers, statistics.
_NOT_TRIALS = frozenset(
    [
        "FDA",
        "EMA",
        "ASCO",
        "ESMO",
        "AACR",
        "SABCS",
        "NCCN",
        "NCI",
        "NIH",
        "WHO",
        "CI",
        "HR",
        "OR",
        "HER2",
        "ER",
        "PR",
        "BRCA",
        "PIK3CA",
        "RAS",
        "KRAS",
        "BRAF",
        "EGFR",
        "ALK",
        "AKT1",
        "PTEN",
        "DNA",
        "RNA",
        "PCR",
        "RECIST",
        "BICR",
        "BIRC",
        "ITT",
        "IV",
        "US",
        "USA",
        "UK",
        "EU",
        "AE",
        "AEs",
        "TEAE",
        "MBC",
        "EBC",
        "CRC",
        "NSCLC",
        "HCC",
        "RCC",
        "AML",
        "CLL",
        "ECOG",
        "PS",
        "ISBN",
        "DOI",
        "PMID",
        "PMCID",
        "II",
        "III",
        "IV",
    ]
)
_PHASE_RE = re.compile(
    r"\bphase\s+(?P<a>IV|I{1,3}|[1-4])(?:\s*[/-]\s*(?P<b>IV|I{1,3}|[1-4]))?\b", re.IGNORECASE
)
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}
_CAPITALISED = re.compile(r"[A-Z][a-z]+")
_HYPHEN = re.compile(r"[-\u2011]")
_DIGIT_PART = re.compile(r"[-\u2011]\d")


@dataclass(frozen=True)
class DrugMention:
    """A drug or class mention (offsets relative to the sentence)."""

    start: int
    end: int
    info: DrugInfo


@dataclass(frozen=True)
class EndpointMention:
    """An endpoint mention (offsets relative to the sentence)."""

    start: int
    end: int
    info: EndpointInfo


def find_drugs(lex: Lexicon, text: str) -> list[DrugMention]:
    """Every catalogue drug form in ``text``, longest match first, left to right."""
    out: list[DrugMention] = []
    for start, end in _spans(lex.drug_matcher, lex.drug_re, text):
        surface = text[start:end]
        info = lex.drug(surface)
        if info is not None and not _is_lone_upper_false_hit(surface, text, start):
            prev = out[-1] if out else None
            if prev and prev.info.covers(info) and not text[prev.end : start].strip():
                out.pop()  # "the PARP inhibitor talazoparib": the class only introduces it
            out.append(DrugMention(start, end, info))
    return out


def _spans(
    matcher: FormMatcher | None, regex: re.Pattern[str], text: str
) -> Iterable[tuple[int, int]]:
    if matcher is not None:
        return matcher.spans(text)
    return (m.span() for m in regex.finditer(text))


def _is_lone_upper_false_hit(surface: str, text: str, start: int) -> bool:
    """Short upper-case abbreviations must be written upper-case ('AI', not 'ai')."""
    return len(surface) <= 3 and surface.isalpha() and not surface.isupper()


def find_endpoints(lex: Lexicon, text: str) -> list[EndpointMention]:
    """Every catalogue endpoint form in ``text``."""
    out = []
    for start, end in _spans(lex.endpoint_matcher, lex.endpoint_re, text):
        surface = text[start:end]
        if len(surface) <= 4 and surface.isalpha() and surface.lower() == surface:
            continue  # 'os', 'pr' in running text are not endpoints
        info = lex.endpoint(surface)
        if info is not None:
            out.append(EndpointMention(start, end, info))
    return out


def plausible_trial_name(name: str, lex: Lexicon) -> bool:
    head = name.split()[0]
    if head in _NOT_TRIALS or name in _NOT_TRIALS:
        return False
    if lex.drug(name) is not None or lex.endpoint(name) is not None:
        return False
    if lex.drug(head) is not None or lex.endpoint(head) is not None:
        return False
    if all(_CAPITALISED.fullmatch(part) for part in _HYPHEN.split(head)):
        return False  # "Placebo-Controlled", "Double-Blind": ordinary capitalised words
    uppers = sum(c.isupper() for c in head)
    has_digit_part = bool(_DIGIT_PART.search(head))
    return (uppers >= 2 or has_digit_part) and not head.isdigit()


def introduced_trial_names(lex: Lexicon, text: str) -> list[str]:
    """Names a sentence introduces as trials, in order of appearance."""
    found: list[tuple[int, str]] = []
    for regex, needs in zip(_INTRO_RES, _INTRO_NEEDS, strict=True):
        if not contains_any(text, needs):
            continue  # the pattern cannot match: skip the scan (most sentences)
        for m in regex.finditer(text):
            name = m.group("name").replace("\u2011", "-")
            if not plausible_trial_name(name, lex):
                # "ACRONYM NSCLC" may carry an indication suffix, "The ZETA trial" an article.
                head, _, tail = name.partition(" ")
                if tail and plausible_trial_name(head, lex):
                    found.append((m.start("name"), head))
                elif tail and plausible_trial_name(tail, lex):
                    found.append((m.start("name") + len(head) + 1, tail))
                continue
            found.append((m.start("name"), name))
    seen: set[str] = set()
    out = []
    for _, name in sorted(found):
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def find_phase(text: str) -> str | None:
    """'phase III' -> '3'; 'phase I/II' -> '1/2'."""
    m = _PHASE_RE.search(text)
    if m is None:
        return None
    a = _ROMAN.get(fold(m.group("a")), m.group("a"))
    b = m.group("b")
    if b:
        return f"{a}/{_ROMAN.get(fold(b), b)}"
    return a
