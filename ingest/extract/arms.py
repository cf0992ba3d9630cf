"""Arms from design phrases, and which arm a phrase in a result sentence refers to.

Design phrases: "randomized to A (n = 10) or B", "comparing A to B, in combination with
C", "a trial of A plus B versus placebo plus B", "either A or B", "the addition of A to
B", "the combination of A, B and C". Alternatives are split only at top level (never inside
parentheses), and "choice of chemotherapy (a, b or c)" stands for its listed agents.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from trialgraph.ingest.extract.added_to import added_to_arms
from trialgraph.ingest.extract.backbone import share_backbone
from trialgraph.ingest.extract.gates import fold, has_any
from trialgraph.ingest.extract.mentions import DrugMention
from trialgraph.ingest.extract.numbers import WORD_NUMBER_RE, parse_int

__all__ = [
    "ArmSpec",
    "addition_arms",
    "design_arms",
    "drug_names",
    "placebo_groups",
    "single_arm",
]

#: Design cues, most specific first: "comparing A to B" names both arms itself. Each
#: with the words (lower case) one of which its every match contains (see :mod:`.gates`).
_DESIGN_CUE_WORDS = (
    ("compar",),
    ("trial", "study"),
    ("random", "assign", "to receive"),
    ("received", "given", "treated with"),
)
_DESIGN_CUES = (
    re.compile(r"\bcomparing\b|\bcompared\b(?!\s+(?:with|to|against)\b)", re.IGNORECASE),
    re.compile(r"\b(?:trial|study) (?:of|evaluating|investigating|testing)\b", re.IGNORECASE),
    re.compile(
        r"\b(?:randomi[sz]ed|randomly assign(?:ed|ing)|randomi[sz]ing|assigned)\b"
        r"(?:(?!\b(?:trial|study|that|found)\b)[^.;]){0,240}?\bto(?: receive)?\b"
        r"|\bto receive\b",
        re.IGNORECASE,
    ),
    # "Patients received A or B": a design only when it names two or more alternatives
    re.compile(
        r"\b(?:patients|participants|women|men|subjects|they)\s+(?:then\s+)?"
        r"(?:received|were given|were treated with)\b",
        re.IGNORECASE,
    ),
)
_RECEIVED_CUE = 3  # index of the cue above in _DESIGN_CUES
_SINGLE_CUE = re.compile(
    r"\b(?:combination of|(?:the )?combination|receiving|received|treated with|evaluating|gave)\b",
    re.IGNORECASE,
)
_PRIOR = re.compile(
    r"\s+(?:at least |up to |no more than |\w+ or more )?(?:\w+ )?(?:prior|previous)\b", re.I
)
_ADDITION = re.compile(r"\b(?:the addition of|adding|addition of)\b", re.IGNORECASE)
_SEPARATOR = re.compile(
    r",?\s+(?:and\s+(?P<n>\d[\d,]*)\s+patients\s+were\s+randomi[sz]ed\s+to|or|versus|vs\.?|(?-i:v\.?)|"
    r"compared (?:with|to))\s+",
    re.IGNORECASE,
)
_STOP = re.compile(
    r"\b(?:in|among|for)\s+(?:\d[\d,]*\s+)?(?:\w+\s+){0,2}(?:patients|women|men|participants|"
    r"adults|subjects)\b|\bwho\b|;|\bfor the treatment\b|\bfor up to\b"
    r"|,\s+after which\b",
    re.IGNORECASE,
)
#: "A or B, each given with C": C belongs to every alternative.
_EACH = re.compile(
    r",?\s*\b(?:each|both|in both (?:cases|arms|groups))\s+"
    r"(?:(?:given|administered|combined)\s+)?(?:together\s+)?"
    r"(?:with|plus|in combination with|on top of|added to)\b",
    re.IGNORECASE,
)
#: "patients already receiving C (were randomized to) A or placebo": C is in every arm
_BACKGROUND = re.compile(r"\b(?:already|currently|still)\s+(?:receiving|taking|on)\b", re.I)
#: "received C with either A or B": C belongs to every alternative.
_EITHER = re.compile(r"\b(?:with|plus|and|to)\s+either\b", re.IGNORECASE)
_N_RE = re.compile(r"\(\s*n\s*=\s*(?P<n>\d[\d,]*)\s*\)", re.IGNORECASE)
#: "patients in the A group received a B placebo": placebo belongs to arm A.
_PLACEBO_GROUP = re.compile(
    r"\b(?:in|on|of) the (?P<ref>[^,;.()]{1,80}?) (?:group|arm|cohort)s? "
    r"(?:also )?(?:received|were given|got) (?:[^,;.()]{0,40}?\s)?placebo\b",
    re.IGNORECASE,
)
_TAIL = re.compile(r"\b(?:in combination with|with|plus)\b", re.IGNORECASE)
_LISTS_AFTER_COLON = re.compile(r"\s*:\s*\S")
_ARTICLE_BEFORE = re.compile(r"\ban?\s+$", re.IGNORECASE)
_BRACKET_LIST = re.compile(r"[\w-]{0,20}\s*[(\[][^()\[\]]*")
_ADDED_STOP = re.compile(r"\b(?:was|were|is|in|for|versus|vs)\b|[,;]")
_VERSUS = re.compile(r"\b(?:[Vv]ersus|vs\.?|v\.?)\s")  # titles capitalise it
_CHOICE_OF = re.compile(r"\bchoice of\b", re.IGNORECASE)
_EITHER_WORD = re.compile(r"\beither\b")
#: "either A or B", also after a duration ("14 cycles of either A or B")
_OPENS_EITHER = re.compile(
    r"\s*(?:(?:[\w-]+\s+){0,3}(?:cycles?|courses?|doses?|years?|months?|weeks?)\s+of\s+)?either\b",
    re.IGNORECASE,
)
_CONTROL_HINT = re.compile(r"control|placebo|choice|standard|reference|comparator", re.I)
_LEAD_CUE = re.compile(r"randomi|assigned|randomly", re.IGNORECASE)
_COUNT_BEFORE = re.compile(r"(?P<n>\d[\d,]*)\s+(?:\w+\s+){0,2}patients\s+(?:were\s+)?$")
_TO = re.compile(r"\s+to\s+")
_ADDITION_STOP = re.compile(
    r"\b(?:was|were|is|significantly|improved|in|resulted|led|showed|"
    r"compared|prolonged|increased|reduced|did)\b|[,;(]"
)
_TO_EVERY_ARM = re.compile(r"\s+[\w-]+\s+to\s+(?:both|all|each|every)\s+(?:arms?|groups?)\b", re.I)
_RATHER_THAN = re.compile(r"\b(?:rather than|instead of)\b")
_SINGLE_STOP = re.compile(r"\b(?:had|was|were|is|showed|demonstrated)\b")
_N_PATIENTS = re.compile(
    rf"\s*(?P<n>\d[\d,]*|{WORD_NUMBER_RE.pattern})\s+(?:\w+\s+){{0,2}}patients\b", re.IGNORECASE
)
_CONTROL_WORD = re.compile(r"\b(?:control|comparator|standard)\b", re.I)


@dataclass
class ArmSpec:
    """An arm as one phrase describes it (offsets relative to the sentence)."""

    drugs: list[str]
    start: int
    end: int
    n: int | None = None
    control_hint: bool = False
    surfaces: list[str] = field(default_factory=list)
    lead: bool = False  # named first after "randomized to": by convention the arm under test


def drug_names(mentions: list[DrugMention]) -> list[str]:
    """Contract names, expanded (regimens) and de-duplicated, in order of mention."""
    out: list[str] = []
    for m in mentions:
        for name in m.info.names:
            if name not in out:
                out.append(name)
    return out


@functools.lru_cache(maxsize=8)
def _depth_map(text: str) -> tuple[int, ...]:
    """Bracket depth at each character. Cached: one sentence asks several times (design
    arms, its segments, single arm); a tuple so no caller can change the cached map."""
    if "(" not in text and "[" not in text:
        return (0,) * len(text)
    depth, out = 0, []
    for ch in text:
        if ch in "([":
            depth += 1
        out.append(depth)
        if ch in ")]" and depth:
            depth -= 1
    return tuple(out)


def _segment_drugs(text: str, lo: int, hi: int, drugs: list[DrugMention]) -> list[DrugMention]:
    """Drugs in text[lo:hi]; a class followed by '(a, b or c)' after 'choice' is its list.

    Other bracketed drugs are brands or examples of what precedes them and add nothing.
    """
    depth = _depth_map(text)
    out: list[DrugMention] = []
    last_top: DrugMention | None = None
    for d in (d for d in drugs if lo <= d.start < hi):
        if depth[d.start] == 0:
            if d.info.is_class and _LISTS_AFTER_COLON.match(text[d.end : hi]):
                continue  # "choice of chemotherapy: a with b, or c with d" lists the agents
            out.append(d)
            last_top = d
        elif (
            last_top is not None
            and last_top.info.is_class
            and (
                "choice" in text[max(lo, last_top.start - 25) : last_top.end].lower()
                or (last_top.info.covers(d.info) and _bracket_lists(text, last_top, d))
            )
        ):
            if last_top in out:
                out.remove(last_top)
            out.append(d)
    return out


def _bracket_lists(text: str, cls: DrugMention, d: DrugMention) -> bool:
    """'platinum chemotherapy (cisplatin or carboplatin)': the bracket right after a class
    names the agents given. After 'a'/'an' ('a taxane (x, y or z)') it lists examples of
    any agent of the class, and the class stays."""
    if _ARTICLE_BEFORE.search(text[max(0, cls.start - 4) : cls.start]):
        return False
    return bool(_BRACKET_LIST.fullmatch(text[cls.end : d.start]))


def _split_repeats(
    text: str, seg: tuple[int, int], drugs: list[DrugMention]
) -> list[tuple[int, int]]:
    """'A plus B and A plus C' names two arms: split where a drug repeats."""
    lo, hi = seg
    seen: set[str] = set()
    depth = _depth_map(text)
    for d in drugs:
        if not lo <= d.start < hi or depth[d.start] > 0:
            continue  # "A and B (brand; 160 mg A and 480 mg B)": the bracket repeats
        if d.info.label in seen:
            cut = max(text.rfind(" and ", lo, d.start), text.rfind(", ", lo, d.start))
            if cut > lo:
                return [(lo, cut), *_split_repeats(text, (cut + 1, hi), drugs)]
        seen.add(d.info.label)
    return [seg]


#: "A with or without B", "A, either alone or together with B": arms A + B (under test) and A
_WITH_OR_WITHOUT = re.compile(
    r"\s+(?:with or without|plus or minus|\u00b1)\s+"
    r"|,?\s+(?:either\s+)?alone or (?:together |in combination |combined )?with\s+",
    re.IGNORECASE,
)
_WITH_OR_WITHOUT_WORDS = ("with or without", "plus or minus", "\u00b1", "alone or")


def _with_or_without(text: str, drugs: list[DrugMention]) -> list[ArmSpec]:
    if not has_any(text, _WITH_OR_WITHOUT_WORDS):
        return []
    m = _WITH_OR_WITHOUT.search(text)
    if m is None:
        return []
    depth = _depth_map(text)
    clause = max(text.rfind(";", 0, m.start()), text.rfind(",", 0, m.start()), 0)
    base = [d for d in drugs if clause <= d.start < m.start() and d.end >= m.start() - 40]
    base = [d for d in base if depth[d.start] == 0]
    hi = _stop_at(text, m.end(), depth)
    stop = _ADDED_STOP.search(text[m.end() : hi])
    if stop:
        hi = m.end() + stop.start()
    added = _segment_drugs(text, m.end(), hi, drugs)
    if not base or not added:
        return []
    base_names = drug_names(base)
    exp = ArmSpec(base_names + [n for n in drug_names(added) if n not in base_names], clause, hi)
    exp.surfaces = [text[d.start : d.end] for d in base + added]
    ctl = ArmSpec(list(base_names), clause, m.start(), control_hint=True)
    ctl.surfaces = [text[d.start : d.end] for d in base]
    return [exp, ctl]


def design_arms(text: str, drugs: list[DrugMention]) -> list[ArmSpec]:
    """Arms named by a randomisation or comparison phrase; [] when there is none."""
    if not drugs:
        return []  # every arm is named by a drug
    if _is_addition(text):
        return []
    if specs := _with_or_without(text, drugs):
        return specs
    cue = next(
        (
            m
            for rx, words in zip(_DESIGN_CUES, _DESIGN_CUE_WORDS, strict=True)
            if has_any(text, words) and (m := rx.search(text))
        ),
        None,
    )
    either = _EITHER.search(text) if has_any(text, ("either",)) else None
    received = cue is not None and cue.re is _DESIGN_CUES[_RECEIVED_CUE]
    if received and either is not None:
        cue = None  # "received C with either A or B": the backbone comes before "either"
    if cue is None and either is None and not _VERSUS.search(text):
        return []
    depth = _depth_map(text)
    head: list[DrugMention] = []
    if cue is None and either is not None:
        clause = max(text.rfind(";", 0, either.start()), 0)
        head = [d for d in drugs if clause <= d.start < either.start() and depth[d.start] == 0]
        lo = either.end()
    elif cue is None:  # "A versus B"
        lo = 0
    else:
        lo = cue.end()
    hi = _stop_at(text, lo, depth)
    if cue is not None and (bg := _BACKGROUND.search(text, cue.start(), cue.end())):
        # "randomly assigning patients already receiving C to add A or placebo"
        head = head + [d for d in drugs if bg.end() <= d.start < cue.end() and depth[d.start] == 0]
    each = None
    if has_any(text, ("each", "both")):
        each = next((m for m in _EACH.finditer(text, lo, hi) if depth[m.start()] == 0), None)
    if each is not None:
        head = head + [d for d in drugs if each.end() <= d.start < hi]
        hi = each.start()
    segments: list[tuple[int, int, int | None]] = []
    cur, cur_n = lo, _count_before(text, cue.start() if cue else 0)
    for m in _SEPARATOR.finditer(text, lo, hi):
        if depth[m.start()] > 0:
            continue
        word = fold(m.group(0).strip())
        seg_text = text[cur : m.start()]
        if _CHOICE_OF.search(seg_text):
            continue  # "physician's choice of A, B or C" is one arm
        if word == "or" and _EITHER_WORD.search(seg_text):  # noqa: SIM102
            # "to receive either A or B" splits; "the control arm of either A or B" is one arm.
            if not (segments == [] and _OPENS_EITHER.match(seg_text)):
                continue
        if word.startswith("to") and (cue is None or not fold(cue.group(0)).startswith("compar")):
            continue
        segments.append((cur, m.start(), cur_n))
        cur = m.end()
        cur_n = parse_int(m.group("n")) if m.group("n") else None
    segments.append((cur, hi, cur_n))
    if cue is not None and fold(cue.group(0)).startswith("compar"):
        segments = _split_to(text, segments, depth)
    parts: list[tuple[int, int, int | None]] = []
    for a, b, n in segments:
        parts.extend((x, y, n) for x, y in _split_repeats(text, (a, b), drugs))
    specs = []
    for a, b, n in parts:
        seg_drugs = _segment_drugs(text, a, b, drugs)
        if not seg_drugs:
            continue
        m = _N_RE.search(text, a, b)
        spec = ArmSpec(
            drug_names(seg_drugs),
            a,
            b,
            n=parse_int(m.group("n")) if m else n,
            control_hint=bool(_CONTROL_HINT.search(text[a:b])),
            surfaces=[text[d.start : d.end] for d in seg_drugs],
        )
        specs.append(spec)
    if head:
        names = drug_names(head)
        for spec in specs:
            spec.drugs.extend(n for n in names if n not in spec.drugs)
    if len(specs) < 2:
        return specs if cue is not None and not received else []
    share_backbone(text, specs, drugs, depth)
    if not head and cue is not None:  # "a% with A versus b% with B" shares nothing
        _distribute_tail(text, specs, drugs)
    if cue is not None and _LEAD_CUE.match(cue.group(0)):
        specs[0].lead = True
    return specs


def _is_addition(text: str) -> bool:
    """Whether the sentence says "the addition of" / "adding" (most say neither).

    "adding A to both arms: ..." puts A in every arm; the arms are the list that follows.
    """
    if not has_any(text, ("addition", "adding")):
        return False
    m = _ADDITION.search(text)
    return m is not None and _TO_EVERY_ARM.match(text, m.end()) is None


def _stop_at(text: str, lo: int, depth: tuple[int, ...]) -> int:
    """Where the arm phrase ends: the first stop word outside brackets ('(T-DM1; brand)')."""
    stop = next((m for m in _STOP.finditer(text, lo) if depth[m.start()] == 0), None)
    return stop.start() if stop else len(text)


#: "comparing A to B", "compared A with B": where the object of the comparison ends. A
#: "with" that joins a regimen ("in combination with", "combined with") is not it.
_COMPARE_SPLIT = re.compile(
    r"\s+(?:to|against)\s+|(?<!\bcombination)(?<!\bcombined)(?<!\btogether)(?<!\balong)"
    r"\s+with\s+(?!either\b)"
)


def _split_to(
    text: str, segments: list[tuple[int, int, int | None]], depth: tuple[int, ...]
) -> list[tuple[int, int, int | None]]:
    """One segment holding "A to B" or "A with B" is two arms; with no "to", the last
    top-level "with" splits ("compared A plus B with C")."""
    if len(segments) != 1:
        return segments
    out = []
    for a, b, n in segments:
        hits = [m for m in _COMPARE_SPLIT.finditer(text[a:b]) if depth[a + m.start()] == 0]
        tos = [m for m in hits if "with" not in m.group(0)]
        m = tos[0] if tos else (hits[-1] if hits else None)
        if m is None:
            out.append((a, b, n))
        else:
            out.extend([(a, a + m.start(), n), (a + m.end(), b, None)])
    return out


def _count_before(text: str, pos: int) -> int | None:
    m = _COUNT_BEFORE.search(text[max(0, pos - 60) : pos])
    return parse_int(m.group("n")) if m else None


def _distribute_tail(text: str, specs: list[ArmSpec], drugs: list[DrugMention]) -> None:
    """'A or B in combination with C': C belongs to every alternative."""
    last = specs[-1]
    tails = [m for m in _TAIL.finditer(text, last.start, last.end)]
    if not tails:
        return
    combined = [m for m in tails if fold(m.group(0)) == "in combination with"]
    t = combined[0] if combined else tails[-1]
    tail_drugs = drug_names(_segment_drugs(text, t.end(), last.end, drugs))
    if not tail_drugs:
        return
    if fold(t.group(0)) != "in combination with" and any(len(s.drugs) > 1 for s in specs[:-1]):
        return
    for s in specs[:-1]:
        s.drugs.extend(d for d in tail_drugs if d not in s.drugs)


def addition_arms(text: str, drugs: list[DrugMention]) -> list[ArmSpec]:
    """'the addition of A to B' / 'adding A to B': arms A+B (experimental) and B (control)."""
    if len(drugs) < 2:
        return []  # both forms name the added drug and the drug it is added to
    m = _ADDITION.search(text) if _is_addition(text) else None
    if m is None:
        return added_to_arms(text, drugs)
    to = _TO.search(text[m.end() :])
    if to is None:
        return []
    mid = m.end() + to.start()
    stop = _ADDITION_STOP.search(text[mid + 4 :])
    hi = mid + 4 + stop.start() if stop else len(text)
    if _RATHER_THAN.search(text[m.end() : mid]):
        return []  # "adding A rather than B to C" compares A + C with B + C
    added = drug_names([d for d in drugs if m.end() <= d.start < mid])
    base = drug_names([d for d in drugs if mid <= d.start < hi])
    if not added or not base:
        return []
    exp = ArmSpec(added + [d for d in base if d not in added], m.start(), hi)
    ctl = ArmSpec(list(base), mid, hi, control_hint=True)
    return [exp, ctl]


def single_arm(text: str, drugs: list[DrugMention]) -> ArmSpec | None:
    """'the combination of A, B and C' / 'patients receiving A with B': one regimen."""
    if not drugs:
        return None
    cue = next(
        (m for m in _SINGLE_CUE.finditer(text) if not _PRIOR.match(text, m.end())), None
    )  # "who had received two prior regimens received A": the prior therapy is not the arm
    if cue is None:
        return None
    hi = _stop_at(text, cue.end(), _depth_map(text))
    stop2 = _SINGLE_STOP.search(text[cue.end() : hi])
    if stop2:
        hi = cue.end() + stop2.start()
    seg = _segment_drugs(text, cue.end(), hi, drugs)
    if not seg:
        return None
    n = None
    m = _N_PATIENTS.match(text)
    if m:
        n = parse_int(m.group("n"))
    return ArmSpec(
        drug_names(seg), cue.start(), hi, n=n, surfaces=[text[d.start : d.end] for d in seg]
    )


def placebo_groups(text: str, drugs: list[DrugMention]) -> list[tuple[list[str], bool]]:
    """Arms a sentence says received a placebo: (drugs naming the arm, is the control arm)."""
    if "placebo" not in text.lower():
        return []
    out = []
    for m in _PLACEBO_GROUP.finditer(text):
        lo, hi = m.span("ref")
        names = drug_names([d for d in drugs if lo <= d.start < hi])
        control = bool(_CONTROL_WORD.search(m.group("ref")))
        if names or control:
            out.append((names, control and not names))
    return out
