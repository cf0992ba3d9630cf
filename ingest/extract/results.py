"""Attaching values to endpoints and arms, by what the sentence means.

- each value takes the nearest endpoint named before it (a count may name it after:
  "29 (97%) of 30 patients had a response", "15 complete responses");
- "a ... and b ..., respectively" follows the order the arms were just named;
- "a for X compared with b for Y": each value goes with the arm phrase after it, or the
  one before it when the phrase after is taken ("the ORR with X was a compared with b for Y");
- an unlabelled pair "(a vs b)" under a claim of improvement gives the better value to the
  experimental arm; otherwise the first value goes with the sentence's subject arm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from trialgraph.ingest.extract.gates import fold, has_any
from trialgraph.ingest.extract.mentions import DrugMention, EndpointMention
from trialgraph.ingest.extract.numbers import WORD_NUMBER_RE, Value, parse_int

__all__ = ["ArmRef", "Attached", "arm_refs", "attach_values"]

_JOIN = re.compile(
    r"^(?:-|(?:\s*(?:,|/|\+|\(|\)|and|plus|with|in combination with|an?|the|or)\s*)*)$",
    re.IGNORECASE,
)
_AE = re.compile(r"adverse|toxicit|\bgrade\b|incidence|reactions?\b|side effect", re.IGNORECASE)
_IMPROVE = re.compile(
    r"improv|prolong|benefit|superior|longer|increas|better|favou?r|\brais|\bboost", re.IGNORECASE
)
_DEATH = re.compile(r"(?:any-cause\s+)?death(?:\s+from\s+any\s+cause)?", re.IGNORECASE)
#: "cut the risk of death by 28% (HR 0.72)": a hazard ratio for death, overall survival
_RISK_OF_DEATH = re.compile(
    r"(?<!progression or )(?<!recurrence or )(?<!relapse or )\b(?:risk|hazard) of "
    r"(?:any-cause )?death\b(?!\s+or\b)[^;%()\d]{0,40}?(?:by\s+\d+(?:\.\d+)?\s*%)?\s*[(,]?\s*$",
    re.IGNORECASE,
)
#: "by 28%" after "the risk of ...", "a 28% reduction in the risk": a relative risk change
_RISK_CHANGE = re.compile(
    r"\b(?:risk|hazard|odds|likelihood|chance) of\b[^;%()\d]{0,60}?\bby\s*$", re.IGNORECASE
)
#: one of these words is in every match of both risk-change patterns (:mod:`.gates`)
_RISK_WORDS = ("risk", "hazard", "odds", "likelihood", "chance")
_IMPROVE_WORDS = (
    "improv",
    "prolong",
    "benefit",
    "superior",
    "longer",
    "increas",
    "better",
    "favor",
    "favour",
    "rais",
    "boost",
)
_RISK_CHANGE_AFTER = re.compile(
    r"\s*(?:relative\s+)?(?:reduction|decrease|lower|increase|higher)\b[^;%()\d]{0,30}?"
    r"\b(?:risk|hazard|odds|likelihood)\b",
    re.IGNORECASE,
)
#: "..., and the 2-year rate was a versus b": an arm named before a new clause is not the
#: subject of the pair after it
_CLAUSE_BREAK = re.compile(r";|,\s+(?:and|whereas|while|but)\s", re.IGNORECASE)
_CONTROL_REF = re.compile(r"\bcontrol (?:arm|group|regimen|therapy|treatment)\b", re.IGNORECASE)
_COMBO_REF = re.compile(r"\bthe combination(?: therapy| arm| regimen)?\b", re.IGNORECASE)
#: "the doublet", "the triplet": the arm with that many drugs
_SIZE_REF = re.compile(
    r"\bthe (?P<w>doublet|triplet|quadruplet)(?: therapy| arm| group| regimen)?\b"
    r"(?!\s+(?:chemotherapy|of|with|plus)\b)",
    re.IGNORECASE,
)
_SIZES = {"doublet": 2, "triplet": 3, "quadruplet": 4}
_BOTH_REF = re.compile(r"\b(?:either|both|each) (?:treatment )?(?:arm|group)s?\b", re.I)
#: keyword arm phrases, each with the words (lower case) one of which it needs (:mod:`.gates`)
_KEYWORD_REFS = (
    (_CONTROL_REF, "control", ("control",)),
    (_COMBO_REF, "combination", ("combination",)),
    (_BOTH_REF, "both", ("either", "both", "each")),
)
_RESPONDER = re.compile(
    rf"(?P<c>\d+|{WORD_NUMBER_RE.pattern})\s*\(\s*(?P<p>\d+(?:\.\d+)?)\s*%\s*\)\s+of\s+"
    r"(?P<t>\d+)\s+(?:\w+\s+)?(?:patients|participants|women)\s+(?:had|achieved|experienced)"
    r"\s+(?:an?\s+)?",
    re.IGNORECASE,
)
#: "(97%) of 30": what every responder phrase holds, cheap to find (it starts with "%")
_RESPONDER_CUE = re.compile(r"%\s*\)\s+of\s+\d", re.IGNORECASE)
_HAD_WORD = re.compile(r"\b(?:had|achieved|attained)\s")
_HAD_ENDPOINT = re.compile(
    r"(?<![\d.,%])(?<!\bof )(?P<c>\d+)(?:\s+(?:\w+\s+)?(?:patients|participants|women|men))?\s+"
    r"(?:had|achieved|attained)\s+(?:an?\s+)?(?:confirmed\s+|durable\s+)?(?:objective\s+)?",
    re.IGNORECASE,
)
_SUBGROUP = re.compile(
    r"\b(?:in|for|among)\s+(?:the\s+)?(?:\d+\s+)?(?:patients|women|participants|those)\s+"
    r"(?:with|whose)\s+(?P<g>[^,;()]{3,60}?(?:disease|tumou?rs?|cancer|mutation|status|"
    r"population))\b",
    re.IGNORECASE,
)
_SUBGROUP_WORDS = ("patients", "women", "participants", "those")
_ALONE = re.compile(r"\s*(?:\w+\s+){0,1}(?:alone|only|monotherapy)\b")
_ARMS_AFTER = re.compile(r"\s*(?:control\s+)?(?:arms|groups|cohorts)\b")
_PIECE_SPLIT = re.compile(r"\s*(?:,|\band\b)\s*")
_CONTROL_AFTER = re.compile(r"\s*control (?:arm|group)")
_COUNT_WORD_BEFORE = re.compile(rf"(?P<c>\d+|{WORD_NUMBER_RE.pattern})\s+$", re.IGNORECASE)
_FAR_CLAUSE = re.compile(r";|\bsuggest|\bwhich\b|\bbut\b")
_RESPECTIVELY = re.compile(r"\brespectively\b")
_RATIO_ARM = re.compile(r"\s*(?:with|for)\s+(?:the\s+)?", re.IGNORECASE)
#: "6.2, 9.0 and 8.3 months in the same order": the order the arms were last named in
_SAME_ORDER = re.compile(r"\bin the same order\b", re.IGNORECASE)
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_PAIRED = re.compile(r"\s*(?:months?\s*)?(?:vs\.?|v\.?|versus|to|from|and|compared with)\s*")


@dataclass
class ArmRef:
    """A phrase that names an arm: its drugs, or 'control'/'combination'/'both'."""

    start: int
    end: int
    drugs: list[str] = field(default_factory=list)
    surfaces: list[str] = field(default_factory=list)
    keyword: str | None = None  # "control" | "combination" | "both"
    alone: bool = False
    size: int | None = None  # "the triplet": an arm of three drugs


@dataclass
class Attached:
    """A value with its endpoint and the arm reference(s) it was attached to."""

    value: Value
    endpoint: str
    kind: str
    ref: ArmRef | None = None
    order_index: int | None = None  # position in the previously named arm order
    better_is_experimental: bool | None = None
    subgroup: str | None = None


def arm_refs(text: str, drugs: list[DrugMention]) -> list[ArmRef]:
    """Drug mentions joined by 'and', 'plus', 'with', '/' form one arm phrase; 'the
    A and B arms' are two."""
    refs: list[ArmRef] = []
    for d in drugs:
        if refs and _JOIN.match(text[refs[-1].end : d.start]):
            r = refs[-1]
            r.end = d.end
        else:
            r = ArmRef(d.start, d.end)
            refs.append(r)
        r.drugs.extend(n for n in d.info.names if n not in r.drugs)
        r.surfaces.append(text[d.start : d.end])
    out: list[ArmRef] = []
    for r in refs:
        tail = text[r.end : r.end + 40]
        r.alone = bool(_ALONE.match(tail))
        if _ARMS_AFTER.match(tail) and len(r.surfaces) > 1:
            # "in the A and B arms": one arm per drug phrase
            pieces = _PIECE_SPLIT.split(text[r.start : r.end])
            for piece in pieces:
                names = [
                    n
                    for d in drugs
                    if r.start <= d.start < r.end and text[d.start : d.end] in piece
                    for n in d.info.names
                ]
                if names:
                    out.append(ArmRef(r.start, r.end, names, [piece]))
            continue
        if _CONTROL_AFTER.match(tail):
            r.keyword = "control"
        out.append(r)
    for rx, kw, words in _KEYWORD_REFS:
        if not has_any(text, words):
            continue
        for m in rx.finditer(text):
            if not any(r.start <= m.start() < r.end + 20 for r in out):
                out.append(ArmRef(m.start(), m.end(), keyword=kw))
    sized = _SIZE_REF.finditer(text) if has_any(text, tuple(_SIZES)) else ()
    for m in sized:
        size = _SIZES[fold(m.group("w"))]
        out.append(ArmRef(m.start(), m.end(), keyword="combination", size=size))
    out.sort(key=lambda r: r.start)
    return out


_WITHOUT = re.compile(r"\s*(?:months?|weeks?|years?|%)?\s*(?:for those\s+|in those\s+)?without\b")
#: "62% of patients in arm A were alive": a landmark overall survival rate
_ALIVE = re.compile(
    r"\s*of (?:the )?(?:[\w-]+ )?(?:patients|participants|women|men|those)\b"
    r"[^,;:.%()\d]{0,60}?\b(?:were|was|remained) alive\b(?! and| without| but)",
    re.IGNORECASE,
)
#: between a percentage and the endpoint phrase that says what the patients had
_OF_PATIENTS_WERE = re.compile(
    r"\s*of (?:the )?(?:[\w-]+ )?(?:patients|participants|women|men|those)\b[^,;:.%()\d]{0,60}?"
    r"\b(?:were|was|remained|had|achieved|attained)\s+(?:an?\s+)?",
    re.IGNORECASE,
)


_MEAN = re.compile(r"\b(?:mean|average)\s+$", re.IGNORECASE)


def _endpoint_for(v: Value, endpoints: list[EndpointMention], text: str) -> EndpointMention | None:
    if v.kind == "ratio":  # "the hazard ratio for progression-free survival was 0.40"
        inner = [e for e in endpoints if v.start <= e.start < v.end]
        if inner:
            return inner[0]
    if v.kind == "percent":  # "76% of patients in arm A were alive and free of progression"
        after = next((e for e in endpoints if e.start >= v.end), None)
        if after is not None and _OF_PATIENTS_WERE.fullmatch(text[v.end : after.start]):
            return after
    before = [e for e in endpoints if e.end <= v.start]
    if not before:
        return None
    e = before[-1]
    if _AE.search(text[e.end : v.start]):
        return None
    return e


def attach_values(
    text: str,
    values: list[Value],
    endpoints: list[EndpointMention],
    refs: list[ArmRef],
    last_endpoint: str | None,
    death_endpoint: str | None = None,
) -> list[Attached]:
    """Each result-like value with its endpoint and arm reference (or arm order)."""
    if not values and not endpoints:
        return []  # every rule attaches a value or reads a count before an endpoint
    out: list[Attached] = []
    subgroup = _subgroup(text)
    responders = _RESPONDER.finditer(text) if _RESPONDER_CUE.search(text) else ()
    for m in responders:
        after = [e for e in endpoints if 0 <= e.start - m.end() <= 3]
        if after:
            ep = after[0].info.abbreviation
            c = parse_int(m.group("c"))
            g = f"{m.group('t')} patients"
            if c is not None:
                cv = Value(
                    "count", float(c), m.start(), m.start() + len(m.group("c")), unit="patients"
                )
                out.append(Attached(cv, ep, "count", subgroup=g))
            pv = Value("percent", float(m.group("p")), m.start("p"), m.end("p"), unit="percent")
            out.append(Attached(pv, ep, "rate", subgroup=g))
            subgroup = subgroup or g
    for e in endpoints:
        if e.info.kind != "count":
            continue
        cm = _COUNT_WORD_BEFORE.search(text[max(0, e.start - 15) : e.start])
        if cm:
            c = parse_int(cm.group("c"))
            if c is not None:
                cv = Value("count", float(c), e.start - len(cm.group(0)), e.start, unit="patients")
                out.append(Attached(cv, e.info.abbreviation, "count", subgroup=subgroup))
    for e in endpoints:  # "26 (patients) had a confirmed objective response"
        if e.info.kind != "rate" or not _HAD_WORD.search(text, max(0, e.start - 40), e.start):
            continue
        hm = _HAD_ENDPOINT.search(text, max(0, e.start - 60), e.start)
        if hm and hm.end() == e.start and (c := parse_int(hm["c"])):
            cv = Value("count", float(c), hm.start("c"), hm.end("c"), unit="patients")
            out.append(Attached(cv, e.info.abbreviation, "count", subgroup=subgroup))
    taken = {a.value.start for a in out}
    # "a PSA decline of 50% or more": a number inside an endpoint's name is not a result
    taken |= {v.start for v in values for e in endpoints if e.start <= v.start < e.end}
    risky = has_any(text, _RISK_WORDS)
    for v in values:  # "reduced the risk of death by 28%": not a rate of any endpoint
        if (
            v.kind == "percent"
            and risky
            and (
                _RISK_CHANGE.search(text, max(0, v.start - 90), v.start)
                or _RISK_CHANGE_AFTER.match(text, v.end)
            )
        ):
            taken.add(v.start)
    by_start = {v.start: v for v in values}
    primary: list[Attached] = []
    alive: int | None = None  # where "N% of patients were alive" set overall survival
    for v in values:
        if v.start in taken or v.kind == "count":
            continue
        ep = _endpoint_for(v, endpoints, text)
        name = ep.info.abbreviation if ep else (last_endpoint if v.kind == "ratio" else None)
        if ep is None and v.ratio_for and _DEATH.fullmatch(v.ratio_for):
            name = death_endpoint or name  # "hazard ratio for death": overall survival
        elif (
            ep is None
            and v.kind == "ratio"
            and death_endpoint
            and _RISK_OF_DEATH.search(text, max(0, v.start - 80), v.start)
        ):
            name = death_endpoint
        if ep is None and v.kind == "percent" and death_endpoint:
            if _ALIVE.match(text, v.end):
                name, alive = death_endpoint, v.end
            elif alive is not None and ";" not in text[alive : v.start]:
                name = death_endpoint  # "..., compared with 45% of those given B"
        if name is None:
            continue
        kind = ep.info.kind if ep else "time"
        if v.kind in ("time", "nr") and kind != "time":
            continue
        if v.kind in ("time", "nr") and ep and _MEAN.search(text, max(0, ep.start - 10), ep.start):
            continue  # "the mean PFS was 8 months": a mean is not the median we report
        primary.append(Attached(v, name, kind, subgroup=subgroup))
    _bind(text, primary, refs)
    out.extend(primary)
    for v in values:
        if v.kind == "count" and v.partner is not None:
            partner = next((a for a in primary if a.value.start == v.partner), None)
            if partner is not None and by_start.get(v.partner) is not None:
                out.append(
                    Attached(
                        v,
                        partner.endpoint,
                        "count",
                        partner.ref,
                        partner.order_index,
                        None,
                        partner.subgroup,
                    )
                )
    return out


def _same_clause(text: str, a: Attached, r: ArmRef) -> bool:
    """An arm phrase after a value names its arm only nearby, before any clause break."""
    between = text[a.value.end : r.start]
    return len(between) <= 80 and not _FAR_CLAUSE.search(between)


def _subgroup(text: str) -> str | None:
    if not has_any(text, _SUBGROUP_WORDS):
        return None
    m = _SUBGROUP.search(text)
    return m.group("g").replace("\u2013", "-").strip() if m else None


def _bind_ratios(text: str, values: list[Attached], refs: list[ArmRef]) -> None:
    """'0.66 (95% CI ...) with A and 0.79 (...) with B': the arm each ratio is for, which
    tells the experimental arms of a three-arm trial apart."""
    for a in values:
        if a.value.kind != "ratio":
            continue
        for r in refs:
            if r.start >= a.value.end and r.drugs:
                between = _BRACKETED.sub(" ", text[a.value.end : r.start])
                if _RATIO_ARM.fullmatch(between):
                    a.ref = r
                break


def _bind(text: str, values: list[Attached], refs: list[ArmRef]) -> None:
    _bind_ratios(text, values, refs)
    per_arm = [a for a in values if a.value.kind != "ratio"]
    if not per_arm:
        return
    if has_any(text, ("same order",)) and _SAME_ORDER.search(text):
        for i, a in enumerate(per_arm):  # "a, b and c months in the same order"
            a.order_index = _group_index(text, per_arm, i)
        return
    if "respectively" in text and _RESPECTIVELY.search(text):
        after = [r for r in refs if r.start > per_arm[-1].value.end and r.keyword != "both"]
        for i, a in enumerate(per_arm):
            group = _group_index(text, per_arm, i)
            if after and group < len(after):
                a.ref = after[group]
            else:
                a.order_index = group
        return
    both = [r for r in refs if r.keyword == "both"]
    used: set[int] = set()
    for i, a in enumerate(per_arm):
        nxt = per_arm[i + 1].value.start if i + 1 < len(per_arm) else len(text)
        cands = [
            j
            for j, r in enumerate(refs)
            if a.value.end <= r.start < nxt
            and r.keyword != "both"
            and j not in used
            and _same_clause(text, a, r)
        ]
        if _WITHOUT.match(text, a.value.end):  # "13.9 months without it": the control arm
            a.ref = ArmRef(a.value.end, a.value.end, keyword="control")
        elif cands:
            a.ref = refs[cands[0]]
            used.add(cands[0])
        elif both and both[0].start > a.value.end:
            a.ref = both[0]
    unbound = [a for a in per_arm if a.ref is None]
    for a in unbound:
        prev = [j for j, r in enumerate(refs) if r.end <= a.value.start and r.keyword != "both"]
        pair = _pair_partner(text, per_arm, a)
        if pair is not None and pair.ref is None:
            first = a if a.value.start < pair.value.start else pair
            if has_any(text, _IMPROVE_WORDS) and _IMPROVE.search(text):
                a.better_is_experimental = True
                pair.better_is_experimental = True
                continue
            if prev and not _CLAUSE_BREAK.search(text, refs[prev[-1]].end, first.value.start):
                first.ref = refs[prev[-1]]
                other = pair if first is a else a
                other.order_index = -1  # "the other arm"
                continue
            a.order_index = 0 if a is first else 1
            continue
        if a.order_index is not None or a.better_is_experimental:
            continue
        free = [j for j in prev if j not in used]
        if free:
            a.ref = refs[free[-1]]
            used.add(free[-1])
        elif prev:
            a.ref = refs[prev[-1]]


def _group_index(text: str, per_arm: list[Attached], i: int) -> int:
    """Position of value i among values of its own endpoint and measure in its clause:
    "...were 67% and 71%, respectively; in subgroup B, they were 30% and 45%" restarts."""
    a = per_arm[i]
    same = [
        b
        for b in per_arm[: i + 1]
        if b.endpoint == a.endpoint
        and b.value.kind == a.value.kind
        and ";" not in text[b.value.end : a.value.start]
    ]
    return len(same) - 1


def _pair_partner(text: str, per_arm: list[Attached], a: Attached) -> Attached | None:
    for b in per_arm:
        if (
            b is a
            or b.endpoint != a.endpoint
            or (b.value.kind not in (a.value.kind, "nr") and a.value.kind != "nr")
        ):
            continue
        lo, hi = sorted((a, b), key=lambda x: x.value.start)
        between = _BRACKETED.sub(" ", text[lo.value.end : hi.value.start])
        if _PAIRED.fullmatch(between):
            return b
    return None
