"""SHACL shapes: for every shape a graph that breaks it (rejected, message naming the shape)
and a graph that exercises it and passes. Graphs are built with rdflib directly."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from helpers_ontology import ArticleBuilder, dec, integer, standard_article
from rdflib import RDF, RDFS, Literal, URIRef
from trialgraph.ontology.validate import shape_names, validate_graph

from trialgraph.vocab import OA, PROV, TG

Mutation = Callable[[ArticleBuilder, dict[str, URIRef]], object]


def _evidence_position(b: ArticleBuilder, result: URIRef) -> URIRef:
    e = b.g.value(result, TG.hasEvidence)
    return URIRef(f"{e}/position")


def _set(b: ArticleBuilder, s: URIRef, p: URIRef, o: URIRef | Literal) -> object:
    return b.g.set((s, p, o))


BROKEN: dict[str, list[tuple[str, Mutation]]] = {
    "TrialShape": [
        (
            "no name, no label, no NCT id",
            lambda b, r: [
                b.g.remove((r["trial"], p, None)) for p in (TG.trialName, TG.nctId, RDFS.label)
            ],
        ),
    ],
    "NctIdShape": [
        ("seven digits", lambda b, r: _set(b, r["trial"], TG.nctId, Literal("NCT0123456"))),
        ("lower case", lambda b, r: _set(b, r["trial"], TG.nctId, Literal("nct01234567"))),
        ("two ids", lambda b, r: b.g.add((r["trial"], TG.nctId, Literal("NCT07654321")))),
    ],
    "ResultShape": [
        ("no endpoint", lambda b, r: b.g.remove((r["median1"], TG.endpoint, None))),
        (
            "two endpoints",
            lambda b, r: b.g.add((r["median1"], TG.endpoint, URIRef(str(TG.Trial) + "x"))),
        ),
        ("no measure", lambda b, r: b.g.remove((r["median1"], TG.measure, None))),
        ("unknown measure", lambda b, r: _set(b, r["median1"], TG.measure, TG.Months)),
        ("string value", lambda b, r: _set(b, r["median1"], TG.value, Literal("18.9"))),
    ],
    "ValueShape": [
        ("neither value nor not-reached", lambda b, r: b.g.remove((r["median1"], TG.value, None))),
        ("both", lambda b, r: b.g.add((r["median1"], TG.notReached, Literal(True)))),
    ],
    "UnitShape": [
        ("median in percent", lambda b, r: _set(b, r["median1"], TG.unit, TG.Percent)),
        ("hazard ratio with unit", lambda b, r: b.g.add((r["hr"], TG.unit, TG.Months))),
        ("two units", lambda b, r: b.g.add((r["median1"], TG.unit, TG.Weeks))),
    ],
    "ArmResultShape": [
        ("no arm", lambda b, r: b.g.remove((r["median1"], TG.arm, None))),
        (
            "arm result with hazard ratio",
            lambda b, r: (
                _set(b, r["median1"], TG.measure, TG.HazardRatio),
                b.g.remove((r["median1"], TG.unit, None)),
            ),
        ),
    ],
    "ComparisonShape": [
        ("same arm twice", lambda b, r: _set(b, r["hr"], TG.controlArm, r["exp"])),
        ("arm of another trial", lambda b, r: b.g.remove((r["trial"], TG.hasArm, r["ctrl"]))),
        ("no control arm", lambda b, r: b.g.remove((r["hr"], TG.controlArm, None))),
        ("three arms", lambda b, r: b.g.add((r["hr"], TG.controlArm, r["exp"]))),
        ("comparison reporting a median", lambda b, r: _set(b, r["hr"], TG.measure, TG.Median)),
    ],
    "ConfidenceIntervalShape": [
        ("value below CI", lambda b, r: _set(b, r["hr"], TG.value, dec("0.3"))),
        ("value above CI", lambda b, r: _set(b, r["hr"], TG.value, dec("0.95"))),
        (
            "low above high",
            lambda b, r: (
                _set(b, r["hr"], TG.ciLower, dec("0.9")),
                _set(b, r["hr"], TG.ciUpper, dec("0.5")),
                b.g.remove((r["hr"], TG.value, None)),
                b.g.add((r["hr"], TG.notReached, Literal(True))),
            ),
        ),
        ("one bound only", lambda b, r: b.g.remove((r["hr"], TG.ciUpper, None))),
    ],
    "PValueShape": [
        ("p above 1", lambda b, r: _set(b, r["hr"], TG.pValue, dec("1.2"))),
        ("negative p", lambda b, r: _set(b, r["hr"], TG.pValue, dec("-0.01"))),
        ("bad operator", lambda b, r: _set(b, r["hr"], TG.pOperator, Literal("<="))),
    ],
    "ProvenanceShape": [
        ("no evidence", lambda b, r: b.g.remove((r["median1"], TG.hasEvidence, None))),
        ("no article", lambda b, r: b.g.remove((r["median1"], PROV.wasDerivedFrom, None))),
        (
            "derived from a non-article",
            lambda b, r: _set(b, r["median1"], PROV.wasDerivedFrom, r["trial"]),
        ),
    ],
    "EvidenceShape": [
        ("no quote", lambda b, r: b.g.remove((None, OA.exact, None))),
        (
            "empty quote",
            lambda b, r: [
                b.g.set((s, OA.exact, Literal(""))) for s in list(b.g.subjects(OA.exact, None))
            ],
        ),
        ("no start", lambda b, r: b.g.remove((_evidence_position(b, r["hr"]), OA.start, None))),
        (
            "negative start",
            lambda b, r: _set(b, _evidence_position(b, r["hr"]), OA.start, integer(-1)),
        ),
    ],
    "OffsetShape": [
        (
            "end beyond the article",
            lambda b, r: _set(b, _evidence_position(b, r["hr"]), OA.end, integer(len(b.text) + 1)),
        ),
        (
            "start after end",
            lambda b, r: _set(b, _evidence_position(b, r["hr"]), OA.start, integer(124)),
        ),
        ("no characterCount", lambda b, r: b.g.remove((b.article, TG.characterCount, None))),
    ],
}

CASES = [(shape, why, fn) for shape, cases in BROKEN.items() for why, fn in cases]


def test_every_shape_has_a_broken_case() -> None:
    assert set(BROKEN) == set(shape_names())


def test_standard_article_conforms() -> None:
    b, _ = standard_article()
    report = validate_graph(b.g, article_text=b.text)
    assert report.conforms, report.text
    assert report.violations == []
    assert "conforms" in report.text


@pytest.mark.parametrize(("shape", "why", "mutate"), CASES, ids=[f"{s}-{w}" for s, w, _ in CASES])
def test_broken_graph_is_rejected_naming_the_shape(shape: str, why: str, mutate: Mutation) -> None:
    b, r = standard_article()
    mutate(b, r)
    report = validate_graph(b.g)
    assert not report.conforms, why
    assert shape in {v.shape for v in report.violations}, report.text
    for v in report.violations:
        assert v.message.startswith(v.shape), v
    assert f"[{shape}]" in report.text


PASSING: dict[str, Mutation] = {
    "TrialShape": lambda b, r: [  # NCT id alone
        b.g.remove((r["trial"], p, None)) for p in (TG.trialName, RDFS.label)
    ],
    "NctIdShape": lambda b, r: _set(b, r["trial"], TG.nctId, Literal("NCT99999999")),
    "ResultShape": lambda b, r: _set(b, r["median1"], TG.endpoint, URIRef(str(r["trial"]) + "x")),
    "ValueShape": lambda b, r: (
        b.g.remove((r["median1"], TG.value, None)),
        b.g.add((r["median1"], TG.notReached, Literal(True))),
    ),
    "UnitShape": lambda b, r: (
        _set(b, r["median1"], TG.unit, TG.Weeks),
        b.g.remove((r["median2"], TG.unit, None)),
    ),
    "ArmResultShape": lambda b, r: (
        _set(b, r["median1"], TG.measure, TG.Rate),
        _set(b, r["median1"], TG.unit, TG.Percent),
    ),
    "ComparisonShape": lambda b, r: _set(b, r["hr"], TG.measure, TG.OddsRatio),
    "ConfidenceIntervalShape": lambda b, r: (
        _set(b, r["hr"], TG.ciLower, dec("0.65")),
        _set(b, r["hr"], TG.ciUpper, dec("0.65")),
    ),
    "PValueShape": lambda b, r: (
        _set(b, r["hr"], TG.pValue, dec("0")),
        _set(b, r["hr"], TG.pOperator, Literal("<")),
    ),
    "ProvenanceShape": lambda b, r: None,
    "EvidenceShape": lambda b, r: None,
    "OffsetShape": lambda b, r: _set(
        b, _evidence_position(b, r["hr"]), OA.end, integer(len(b.text))
    ),
}


@pytest.mark.parametrize("shape", sorted(PASSING))
def test_passing_variant_conforms(shape: str) -> None:
    b, r = standard_article()
    PASSING[shape](b, r)
    report = validate_graph(b.g)
    assert report.conforms, report.text


def test_arm_result_typed_without_result_is_still_checked() -> None:
    """The subclass axioms make a node typed only tg:ArmResult a Result target."""
    b, r = standard_article()
    b.g.remove((r["median1"], RDF.type, TG.Result))
    b.g.remove((r["median1"], TG.endpoint, None))
    report = validate_graph(b.g)
    assert "ResultShape" in {v.shape for v in report.violations}


def test_quote_checked_against_article_text() -> None:
    b, _ = standard_article()
    assert validate_graph(b.g, article_text=b.text).conforms
    other = "X" + b.text[1:]  # same length, but a quote no longer matches at its offsets
    b2, _ = standard_article()
    quote = next(iter(b2.g.subjects(OA.exact, None)))
    b2.g.set((quote, OA.exact, Literal("not in the text")))
    report = validate_graph(b2.g, article_text=other)
    assert not report.conforms
    assert {v.shape for v in report.violations} == {"QuoteTextCheck"}
    shorter = validate_graph(b.g, article_text=b.text[:-5])
    assert any("characterCount" in v.message for v in shorter.violations)


def test_validation_is_fast_enough_for_ingest() -> None:
    """Ingest validates each article graph before commit: a ~300-triple graph < 200 ms."""
    b, _ = standard_article()
    for k in range(3):
        t = b.trial(f"extra-{k}", name=f"EXTRA-{k}")
        e = b.arm(t, ["olaparib"])
        c = b.arm(t, ["placebo"], TG.ControlArm)
        b.result(t, measure=TG.Median, value="7.0", unit=TG.Months, arm=e)
        b.result(t, measure=TG.HazardRatio, value="0.58", arms=(e, c), ci=("0.43", "0.80"))
    assert len(b.g) >= 280
    validate_graph(b.g)  # warm-up: imports and parsed shapes are cached per process
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        report = validate_graph(b.g, article_text=b.text)
        timings.append(time.perf_counter() - started)
    assert report.conforms, report.text
    assert min(timings) < 0.2, timings
