"""Assembly: which trial each sentence is about, its arms, results and population.

A trial is "current" from the sentence that names it until another trial is named.
Sentences before any name frame the whole article (title, approved indication) and serve
as the fallback for population facets. A result whose arm phrase fits none of the current
trial's arms belongs to a study the article does not name, and opens an unnamed trial.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import cast

from trialgraph.ingest.extract import arms as arm_rules
from trialgraph.ingest.extract.citations import cited_trial, reference_trial_names
from trialgraph.ingest.extract.enrollment import find_enrollment
from trialgraph.ingest.extract.gates import has_any
from trialgraph.ingest.extract.lexicon import Lexicon
from trialgraph.ingest.extract.mentions import (
    find_drugs,
    find_endpoints,
    find_phase,
    introduced_trial_names,
)
from trialgraph.ingest.extract.numbers import find_values, parse_int
from trialgraph.ingest.extract.population import population_from
from trialgraph.ingest.extract.provisional import refines
from trialgraph.ingest.extract.results import ArmRef, Attached, arm_refs, attach_values
from trialgraph.ingest.extract.roles import roles_of
from trialgraph.ingest.extract.sentences import Sentence, split_sentences
from trialgraph.ingest.extract.verbs import verb_results

from trialgraph.model import Arm, Evidence, Measure, Phase, Provenance, Result, Trial

__all__ = ["assemble"]

METHOD = "rules-v1"
_NCT = re.compile(r"\bNCT\d{8}\b")
_SINGLE_ARM = re.compile(r"\bsingle[- ](?:arm|group)\b|\bnon-?randomi[sz]ed\b", re.I)
_RANDOM = re.compile(r"\brandomi[sz]|\brandomly assigned", re.IGNORECASE)
_UNNAMED_STUDY = re.compile(r"\b(?:an?|another)\s+(?:\w+\s+){0,3}(?:trial|study)\b", re.I)
_NOT_KEY = re.compile(r"[^a-z0-9]")
_N_RECEIVED = re.compile(
    r"\s*(?P<n>\d[\d,]*|[A-Z][a-z]+(?:-[a-z]+)?)\s+(?:\w+\s+){0,2}patients\s+received\b"
)


@dataclass
class _Arm:
    drugs: list[str]
    label: str
    n: int | None = None
    control_hint: bool = False
    span: tuple[int, int] = (0, 0)
    lead: bool = False
    provisional: bool = False  # named by a result phrase before any design phrase


@dataclass
class _Trial:
    name: str | None
    span: tuple[int, int]
    nct: str | None = None
    phase: str | None = None
    randomized: bool | None = None
    enrollment: int | None = None
    arms: list[_Arm] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    anchor: str = ""
    order: list[int] = field(default_factory=list)
    seen: set[tuple[object, ...]] = field(default_factory=set)
    mentions: list[frozenset[str]] = field(default_factory=list)  # drugs per sentence


class _Assembler:
    def __init__(self, text: str, lex: Lexicon) -> None:
        self.text = text
        self.lex = lex
        self.trials: list[_Trial] = []
        self.current: _Trial | None = None
        self.framing: list[str] = []
        self.last_endpoint: str | None = None
        self.cited: dict[int, str] = {}
        os_entry = lex.endpoint("overall survival")
        self.death_endpoint = os_entry.abbreviation if os_entry else None

    # ---- trials -------------------------------------------------------------------
    def trial_named(self, name: str, span: tuple[int, int]) -> _Trial:
        key = _NOT_KEY.sub("", name.lower())
        for t in self.trials:
            if t.name and _NOT_KEY.sub("", t.name.lower()) == key:
                return t
        t = _Trial(name, span)
        self.trials.append(t)
        return t

    def unnamed(self, span: tuple[int, int]) -> _Trial:
        t = _Trial(None, span)
        self.trials.append(t)
        return t

    # ---- arms ---------------------------------------------------------------------
    def add_arm(self, t: _Trial, spec: arm_rules.ArmSpec, s: Sentence) -> int:
        key = frozenset(spec.drugs) - {"placebo"}  # a placebo does not tell arms apart
        for i, a in enumerate(t.arms):
            if frozenset(a.drugs) - {"placebo"} == key:
                if "placebo" in spec.drugs and "placebo" not in a.drugs:
                    a.drugs.append("placebo")
                if a.n is None:
                    a.n = spec.n
                a.control_hint = a.control_hint or spec.control_hint
                a.lead = a.lead or spec.lead
                return i
        for i, a in enumerate(t.arms):
            if a.provisional and refines(self.lex, a.drugs, spec.drugs):
                a.drugs, a.label, a.provisional = list(spec.drugs), " + ".join(spec.drugs), False
                return i
        t.arms.append(
            _Arm(
                list(spec.drugs),
                " + ".join(spec.drugs),
                spec.n,
                spec.control_hint,
                (s.start + spec.start, s.start + spec.end),
                spec.lead,
            )
        )
        return len(t.arms) - 1

    def resolve(self, t: _Trial, ref: ArmRef) -> int | None:
        if not t.arms:
            return None
        if ref.keyword == "control" and not ref.drugs:
            return _first_control(t)
        if ref.keyword == "combination" and ref.size is not None:
            sized = [i for i, a in enumerate(t.arms) if len(set(a.drugs) - {"placebo"}) == ref.size]
            return sized[0] if len(sized) == 1 else None
        if ref.keyword == "combination" and not ref.drugs:
            return max(range(len(t.arms)), key=lambda i: len(t.arms[i].drugs))
        if ref.keyword == "control":
            return _first_control(t)
        best, best_score = None, -1e9
        want = set(ref.drugs)
        for i, a in enumerate(t.arms):
            have = set(a.drugs) - ({"placebo"} - want)  # "B alone" names the placebo + B arm
            if not all(w in have or self._covered(w, have) for w in want):
                continue
            score = len(want) - 0.5 * len(have - want) + (2 if have == want else 0)
            if ref.alone and have != want:
                score -= 1
            if score > best_score:
                best, best_score = i, score
        return best

    def _all_known(self, t: _Trial, specs: list[arm_rules.ArmSpec]) -> bool:
        """Every phrase names a distinct arm the trial already has."""
        hits = {self.resolve(t, ArmRef(sp.start, sp.end, list(sp.drugs))) for sp in specs}
        return None not in hits and len(hits) == len(specs)

    def _covered(self, wanted: str, have: set[str]) -> bool:
        info = self.lex.drug(wanted)
        if info is None:
            return False
        return any((d := self.lex.drug(h)) is not None and info.covers(d) for h in have)

    # ---- sentences ----------------------------------------------------------------
    def sentence(self, s: Sentence, names_re: re.Pattern[str] | None) -> None:
        text = s.text
        named = names_re.search(text) if names_re else None
        previous = self.current
        cited = None if named else cited_trial(text, self.cited)
        if cited and find_values(text):  # figures of the study its citation names
            self.current = self.trial_named(cited, (s.start, s.end))
        else:
            cited = None
        if named:
            self.current = self.trial_named(named.group(0), (s.start, s.end))
            if not self.current.anchor:
                self.current.anchor = text[max(0, named.start() - 50) : named.end() + 50]
            if find_phase(text[max(0, named.start() - 60) : named.end() + 60]):
                self.current.phase = find_phase(text[max(0, named.start() - 60) :])
        for m in _NCT.finditer(text) if "NCT" in text else ():
            owner = self._owner_of(text, m.start(), names_re)
            if owner is not None and owner.nct is None:
                owner.nct = m.group(0)
        drugs = find_drugs(self.lex, text)
        t = self.current
        if t is None:
            self.framing.append(text)
        elif (
            not (named or cited)
            and has_any(text, ("trial", "study"))
            and _UNNAMED_STUDY.search(text)
            and arm_rules.design_arms(text, drugs)
        ):
            t = self.current = self.unnamed((s.start, s.end))
        if t is not None:
            t.texts.append(text)
            t.mentions.append(frozenset(n for d in drugs for n in d.info.names))
            single = ("ingle" in text or "andomi" in text) and _SINGLE_ARM.search(text)
            if single and (named or t.randomized is None):
                t.randomized = False  # "the single-arm phase 2 X study"
            elif t.randomized is None and has_any(text, ("random",)) and _RANDOM.search(text):
                t.randomized = True
            if t.enrollment is None:
                t.enrollment = find_enrollment(text)
            self._arms(t, s, drugs)
        self._results(s, drugs)
        if cited:
            self.current = previous

    def _owner_of(self, text: str, pos: int, names_re: re.Pattern[str] | None) -> _Trial | None:
        if names_re is None:
            return self.current
        before = [m for m in names_re.finditer(text) if m.start() < pos]
        if before:
            return self.trial_named(before[-1].group(0), (0, 0))
        return None

    def _arms(self, t: _Trial, s: Sentence, drugs: list) -> None:
        specs = arm_rules.design_arms(s.text, drugs) or arm_rules.addition_arms(s.text, drugs)
        if len(specs) == 1 and t.arms:
            specs = []
        if len(t.arms) >= 2 and specs and self._all_known(t, specs):
            for sp in specs:
                if (
                    sp.lead
                    and (i := self.resolve(t, ArmRef(sp.start, sp.end, sp.drugs))) is not None
                ):
                    t.arms[i].lead = True
            specs = []  # "x% in the A group versus y% in the B group": arms already known
        if not specs and not t.arms:
            single = arm_rules.single_arm(s.text, drugs)
            specs = [single] if single else []
        idx = [self.add_arm(t, spec, s) for spec in specs]
        if idx:
            t.order = idx
        elif not t.arms:
            return
        for names, control in arm_rules.placebo_groups(s.text, drugs):
            ref = ArmRef(0, 0, names, keyword="control" if control else None)
            if (i := self.resolve(t, ref)) is not None and "placebo" not in t.arms[i].drugs:
                t.arms[i].drugs.append("placebo")
        n_match = _N_RECEIVED.match(s.text)
        if n_match and len(t.arms) == 1 and t.arms[0].n is None:
            t.arms[0].n = parse_int(n_match.group("n"))

    def _results(self, s: Sentence, drugs: list) -> None:
        values = find_values(s.text)
        endpoints = find_endpoints(self.lex, s.text)
        refs = arm_refs(s.text, drugs)
        attached = attach_values(
            s.text, values, endpoints, refs, self.last_endpoint, self.death_endpoint
        ) + verb_results(s.text, self.lex)
        if endpoints:
            self.last_endpoint = endpoints[-1].info.abbreviation
        if not attached:
            if refs and self.current is not None:
                self._reorder(self.current, refs, exact=True)
            return
        t = self.current
        drug_refs = [a.ref for a in attached if a.ref is not None and a.ref.drugs]
        if drug_refs and (
            t is None or (t.arms and all(self.resolve(t, r) is None for r in drug_refs))
        ):
            t = self.current = self.unnamed((s.start, s.end))
            t.texts.append(s.text)
        if t is None:
            return
        if not t.arms:
            for r in drug_refs:
                spec = arm_rules.ArmSpec(list(r.drugs), r.start, r.end)
                t.arms[self.add_arm(t, spec, s)].provisional = True
        self._reorder(t, refs)
        for a in attached:
            self._emit(t, s, a)

    def _reorder(self, t: _Trial, refs: list[ArmRef], exact: bool = False) -> None:
        """Order arms were named in; without figures only whole arms count ("replaced A with B")."""
        order = []
        for r in refs:
            i = self.resolve(t, r)
            if exact and i is not None and set(r.drugs) != set(t.arms[i].drugs) - {"placebo"}:
                continue
            if i is not None and i not in order:
                order.append(i)
        if len(order) >= 2 or (order and len(t.arms) == 1):
            t.order = order + [i for i in range(len(t.arms)) if i not in order]

    def _arm_of(self, t: _Trial, a: Attached) -> list[int]:
        n = len(t.arms)
        if a.ref is not None:
            if a.ref.keyword == "both":
                return list(range(n))
            i = self.resolve(t, a.ref)
            return [] if i is None else [i]
        if n == 1:
            return [0]
        if a.better_is_experimental:
            return []  # resolved pairwise in _emit_pairs
        if a.order_index is not None:
            order = t.order or list(range(n))
            if a.order_index == -1:
                ctl = _first_control(t)
                return [ctl] if ctl is not None else []
            if a.order_index < len(order):
                return [order[a.order_index]]
        return []

    def _emit(self, t: _Trial, s: Sentence, a: Attached) -> None:
        v = a.value
        if v.kind == "ratio":
            roles = roles_of(t.arms, t.mentions)
            exp = next((i for i, r in enumerate(roles) if r == "experimental"), None)
            ctl = next((i for i, r in enumerate(roles) if r == "control"), None)
            named = self.resolve(t, a.ref) if a.ref is not None else None
            if named is not None and roles[named] == "experimental":
                exp = named  # "0.79 with B": one of two experimental arms
            if exp is None or ctl is None:
                return
            self._add(t, s, a, arm=None, arms=[exp, ctl])
            return
        if a.better_is_experimental:
            self._pending_pair(t, s, a)
            return
        for i in self._arm_of(t, a):
            self._add(t, s, a, arm=i, arms=None)

    def _pending_pair(self, t: _Trial, s: Sentence, a: Attached) -> None:
        """Improvement claims: the better of the pair belongs to the experimental arm."""
        roles = roles_of(t.arms, t.mentions)
        exp = next((i for i, r in enumerate(roles) if r == "experimental"), None)
        ctl = next((i for i, r in enumerate(roles) if r == "control"), None)
        if exp is None or ctl is None:
            return
        key = (s.start, a.endpoint)
        pend = getattr(self, "_pend", {})
        other = pend.pop(key, None)
        if other is None:
            pend[key] = a
            self._pend = pend
            return
        x, y = other, a

        def rank(z: Attached) -> float:
            return float("inf") if z.value.kind == "nr" else float(z.value.value or 0)

        better, worse = (x, y) if rank(x) >= rank(y) else (y, x)
        self._add(t, s, better, arm=exp, arms=None)
        self._add(t, s, worse, arm=ctl, arms=None)

    def _add(
        self, t: _Trial, s: Sentence, a: Attached, *, arm: int | None, arms: list[int] | None
    ) -> None:
        v = a.value
        measure = {"time": "median", "nr": "median", "percent": "rate", "count": "count"}.get(
            v.kind, v.ratio or "hazard_ratio"
        )
        unit = None if v.kind == "ratio" else v.unit
        key = (a.endpoint, measure, arm, tuple(arms or ()), v.value, v.kind == "nr", a.subgroup)
        if key in t.seen:
            return
        t.seen.add(key)
        # the evidence is the whole sentence the value was read from, not the bare number:
        # "63.3%" alone tells a reader nothing about which arm or endpoint it was
        lo, hi = s.start, s.end
        t.results.append(
            Result(
                endpoint=a.endpoint,
                measure=cast(Measure, measure),
                arm=arm,
                arms=arms,
                value=v.value,
                not_reached=True if v.kind == "nr" else None,
                unit=unit,
                ci=list(v.ci) if v.ci else None,
                p_value=v.p_value if arms else None,
                p_operator=v.p_operator if arms and v.p_value is not None else None,
                subgroup=a.subgroup,
                provenance=Provenance(
                    quote=self.text[lo:hi], start=lo, end=hi, method=METHOD, confidence=0.7
                ),
            )
        )


def _first_control(t: _Trial) -> int | None:
    """The trial's first control arm (roles are only worked out when this is asked)."""
    roles = roles_of(t.arms, t.mentions)
    return next((i for i, r in enumerate(roles) if r == "control"), None)


def _names_regex(names: list[str]) -> re.Pattern[str] | None:
    if not names:
        return None
    parts = sorted(
        {re.escape(n).replace(r"\-", r"[-\u2011]") for n in names}, key=len, reverse=True
    )
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")


def assemble(name: str, text: str, lex: Lexicon) -> Evidence:
    """Build the Evidence for one document's text."""
    sentences = [s for s in split_sentences(text) if not s.is_reference]
    names: list[str] = []
    for s in sentences:
        for n in introduced_trial_names(lex, s.text):
            if n not in names:
                names.append(n)
    names_re = _names_regex(names)
    asm = _Assembler(text, lex)
    asm.cited = reference_trial_names(text, lex)
    for s in sentences:
        asm.sentence(s, names_re)
    return Evidence(article=name, trials=[_finish(asm, t) for t in asm.trials if _keep(t)])


def _keep(t: _Trial) -> bool:
    if t.name is None:
        return bool(t.results)
    return bool(t.results or t.arms or t.nct)


def _finish(asm: _Assembler, t: _Trial) -> Trial:
    roles = roles_of(t.arms, t.mentions) if t.arms else []
    arms = []
    for a, role in zip(t.arms, roles, strict=True):
        lo, hi = a.span
        arms.append(
            Arm(
                label=a.label,
                drugs=a.drugs,
                role=role,
                n=a.n,
                provenance=Provenance(
                    quote=asm.text[lo:hi], start=lo, end=hi, method=METHOD, confidence=0.6
                ),
            )
        )
    lo, hi = t.span
    return Trial(
        name=t.name,
        nct_id=t.nct,
        phase=cast(Phase | None, t.phase),
        randomized=t.randomized,
        enrollment=t.enrollment,
        population=population_from([t.anchor, " ".join(t.texts), " ".join(asm.framing)]),
        arms=arms,
        results=t.results,
        provenance=Provenance(
            quote=asm.text[lo:hi], start=lo, end=hi, method=METHOD, confidence=0.8
        ),
    )
