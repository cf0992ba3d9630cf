"""Evidence -> RDF -> Evidence is identity (modulo ordering); IRIs are deterministic."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from trialgraph.ids import Minter, slug
from trialgraph.model import ENDPOINTS, Arm, Evidence, Population, Provenance, Result, Trial
from trialgraph.rdf import article_key, evidence_to_graph, graph_to_evidence
from trialgraph.vocab import OA, TG

MINTER = Minter()
VERSION = "9.9.9"


def plain_addon(experimental: set[str], control: set[str]) -> set[str]:
    """A set difference, standing in for the catalogue rule: the inverse never reads it."""
    return experimental - control if control <= experimental else set()


# --- strategies -------------------------------------------------------------------------
text = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
word = st.text("abcdefghij", min_size=1, max_size=6)
# Words joined by single spaces: two different names never share a slug.
name = st.lists(word, min_size=1, max_size=3).map(" ".join)
number = st.floats(allow_nan=False, allow_infinity=False, width=64)
provenance = st.builds(
    lambda quote, start, length, method, conf: Provenance(
        quote=quote, start=start, end=start + length, method=method, confidence=conf
    ),
    text,
    st.integers(0, 5000),
    st.integers(0, 300),
    text,
    st.floats(0.0, 1.0),
)
population = st.builds(
    Population,
    condition=st.none() | text,
    her2=st.none() | st.sampled_from(["positive", "negative", "low", "mutant"]),
    hormone_receptor=st.none() | st.sampled_from(["positive", "negative"]),
    setting=st.none() | st.sampled_from(["metastatic", "advanced", "early", "neoadjuvant"]),
    line=st.none() | st.sampled_from(["first", "second", "later"]),
    menopausal_status=st.none() | st.sampled_from(["postmenopausal", "premenopausal"]),
)
arm = st.builds(
    Arm,
    label=st.none() | text,
    drugs=st.lists(name, max_size=4),
    role=st.none() | st.sampled_from(["experimental", "control", "single"]),
    n=st.none() | st.integers(0, 10**6),
    provenance=st.none() | provenance,
)


@st.composite
def result(draw: st.DrawFn, n_arms: int) -> Result:
    measure = draw(st.sampled_from(["median", "rate", "count", "hazard_ratio", "odds_ratio"]))
    comparison = measure in ("hazard_ratio", "odds_ratio")
    arm_index = None
    pair = None
    if comparison and n_arms >= 2:
        pair = draw(st.lists(st.integers(0, n_arms - 1), min_size=2, max_size=2, unique=True))
    elif not comparison and n_arms >= 1:
        arm_index = draw(st.none() | st.integers(0, n_arms - 1))
    not_reached = draw(st.sampled_from([None, True, False]))
    value = draw(number) if not_reached is not True else draw(st.none() | number)
    return Result(
        endpoint=draw(st.sampled_from(ENDPOINTS)),
        measure=measure,
        arm=arm_index,
        arms=pair,
        value=value,
        not_reached=not_reached,
        unit=draw(st.none() | st.sampled_from(["months", "weeks", "percent", "patients"])),
        ci=draw(st.none() | st.lists(number, min_size=2, max_size=2)),
        p_value=draw(st.none() | st.floats(0.0, 1.0)),
        p_operator=draw(st.none() | st.sampled_from(["=", "<", ">"])),
        subgroup=draw(st.none() | name),
        provenance=draw(st.none() | provenance),
    )


@st.composite
def trial(draw: st.DrawFn) -> Trial:
    arms = draw(st.lists(arm, max_size=4))
    return Trial(
        name=draw(st.none() | name),
        nct_id=draw(st.none() | st.from_regex(r"NCT[0-9]{8}", fullmatch=True)),
        phase=draw(st.none() | st.sampled_from(["1", "1/2", "2", "3"])),
        randomized=draw(st.none() | st.booleans()),
        enrollment=draw(st.none() | st.integers(0, 10**6)),
        population=draw(population),
        arms=arms,
        results=draw(st.lists(result(len(arms)), max_size=5)),
        provenance=draw(st.none() | provenance),
    )


def trial_key(t: Trial, i: int) -> str:
    return MINTER.trial_key(nct_id=t.nct_id, name=t.name, fallback=f"a-{i}")


# One IRI per trial key is the design: trials of one article sharing a key merge, so
# the round trip is stated for articles whose trials have distinct keys.
evidence = st.builds(
    Evidence,
    article=text.filter(lambda s: slug(s) != "x" or s == "x"),
    trials=st.lists(trial(), max_size=3).filter(
        lambda ts: len({trial_key(t, i) for i, t in enumerate(ts)}) == len(ts)
    ),
    notes=st.lists(text, max_size=2, unique=True),
)


# --- canonical form: arms referred to by content, orders dropped -------------------------
def canonical(ev: Evidence) -> Any:
    def arm_form(a: Arm) -> str:
        data = a.model_dump(mode="json")
        data["drugs"] = sorted(set(a.drugs))
        return json.dumps(data, sort_keys=True)

    trials = []
    for t in ev.trials:
        arms = [arm_form(a) for a in t.arms]
        results = set()
        for r in t.results:
            data = r.model_dump(mode="json")
            data["arm"] = arms[r.arm] if r.arm is not None else None
            data["arms"] = [arms[i] for i in r.arms] if r.arms is not None else None
            results.add(json.dumps(data, sort_keys=True))
        head = t.model_dump(mode="json", exclude={"arms", "results"})
        trials.append(json.dumps([head, sorted(arms), sorted(results)], sort_keys=True))
    return ev.article, sorted(trials), sorted(ev.notes)


def to_graph(ev: Evidence, text_: str = "") -> Graph:
    return evidence_to_graph(
        ev, document_text=text_, minter=MINTER, software_version=VERSION, addon=plain_addon
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(evidence, st.text(max_size=200))
def test_round_trip_is_identity(ev: Evidence, document: str) -> None:
    graph = to_graph(ev, document)
    back = graph_to_evidence(graph, MINTER.article(article_key(ev.article)))
    assert canonical(back) == canonical(ev)


@settings(max_examples=60, deadline=None)
@given(evidence, st.text(max_size=100))
def test_iris_are_deterministic_and_no_blank_nodes(ev: Evidence, document: str) -> None:
    first, second = to_graph(ev, document), to_graph(ev.model_copy(deep=True), document)
    assert set(first) == set(second)  # same IRIs, not merely isomorphic
    assert not any(isinstance(term, BNode) for triple in first for term in triple)


def sample() -> Evidence:
    quote = "median PFS was 9.1 vs 6.2 months"
    start = 40
    prov = Provenance(
        quote=quote, start=start, end=start + len(quote), method="rule:x", confidence=0.8
    )
    return Evidence(
        article="my-article.txt",
        trials=[
            Trial(
                name="ZEPHYR-9",
                phase="3",
                randomized=True,
                enrollment=400,
                population=Population(condition="breast cancer", her2="positive"),
                arms=[
                    Arm(label="A + B", drugs=["drug a", "drug b"], role="experimental", n=200),
                    Arm(label="B + placebo", drugs=["drug b", "placebo"], role="control"),
                ],
                results=[
                    Result(
                        endpoint="PFS",
                        measure="median",
                        arm=0,
                        value=9.1,
                        unit="months",
                        provenance=prov,
                    ),
                    Result(
                        endpoint="PFS",
                        measure="median",
                        arm=1,
                        value=6.2,
                        unit="months",
                        provenance=prov,
                    ),
                    Result(
                        endpoint="PFS",
                        measure="hazard_ratio",
                        arms=[0, 1],
                        value=0.65,
                        ci=[0.5, 0.8],
                        p_value=0.001,
                        p_operator="<",
                    ),
                ],
            )
        ],
    )


def test_spec_patterns() -> None:
    """The triples the query writers rely on (docs/graph-model.md)."""
    doc = "x" * 40 + "median PFS was 9.1 vs 6.2 months" + " in all patients. " * 4
    ev = sample()
    g = evidence_to_graph(
        ev,
        document_text=doc,
        minter=MINTER,
        software_version=VERSION,
        addon=lambda e, c: e - c - {"placebo"},
    )
    t = MINTER.trial("zephyr-9")
    exp = MINTER.arm("zephyr-9", ["drug a", "drug b"])
    ctl = MINTER.arm("zephyr-9", ["drug b", "placebo"])
    assert (t, TG.hasArm, exp) in g
    assert (exp, TG.comparedWith, ctl) in g
    assert (exp, TG.addsDrug, MINTER.drug("drug a")) in g
    assert (MINTER.article("my-article.txt"), TG.mentionsTrial, t) in g
    values = sorted(float(o) for o in g.objects(None, TG.value) if isinstance(o, Literal))
    assert values == [0.65, 6.2, 9.1]
    assert all(
        o.datatype == URIRef("http://www.w3.org/2001/XMLSchema#decimal")
        for o in g.objects(None, TG.value)
        if isinstance(o, Literal)
    )
    (exact,) = set(g.objects(None, OA.exact))
    assert str(exact) == "median PFS was 9.1 vs 6.2 months"
    (prefix,) = set(g.objects(None, OA.prefix))
    assert str(prefix) == "x" * 32
    (suffix,) = set(g.objects(None, OA.suffix))
    assert str(suffix) == (" in all patients. " * 2)[:32]
    assert len(set(g.subjects(predicate=None, object=TG.Evidence))) == 2


def test_same_article_same_graph_and_changed_text_changes_hash() -> None:
    ev = sample()
    g1 = to_graph(ev, "one text")
    assert isomorphic(g1, to_graph(ev, "one text"))
    g2 = to_graph(ev, "another text")
    assert set(g1.objects(None, TG.contentHash)) != set(g2.objects(None, TG.contentHash))


def test_one_trial_iri_across_articles() -> None:
    a = Evidence(article="a.txt", trials=[Trial(name="Zephyr 9")])
    b = Evidence(article="b.html", trials=[Trial(name="ZEPHYR-9")])
    trials_a = set(to_graph(a).subjects(predicate=None, object=TG.Trial))
    trials_b = set(to_graph(b).subjects(predicate=None, object=TG.Trial))
    assert trials_a == trials_b == {MINTER.trial("zephyr-9")}
    nct = Evidence(article="c.txt", trials=[Trial(name="Other", nct_id="NCT01234567")])
    assert MINTER.trial("nct01234567") in set(to_graph(nct).subjects(None, None))


def test_unnamed_trials_are_per_article() -> None:
    a = to_graph(Evidence(article="a.txt", trials=[Trial()]))
    b = to_graph(Evidence(article="b.txt", trials=[Trial()]))
    assert set(a.subjects(predicate=None, object=TG.Trial)).isdisjoint(
        b.subjects(predicate=None, object=TG.Trial)
    )


def test_non_finite_number_is_refused() -> None:
    from trialgraph.errors import InputError

    ev = Evidence(
        article="a.txt",
        trials=[
            Trial(
                arms=[Arm()],
                results=[Result(endpoint="OS", measure="median", arm=0, value=float("inf"))],
            )
        ],
    )
    try:
        to_graph(ev)
    except InputError as exc:
        assert "non-finite" in str(exc)
    else:
        raise AssertionError("an infinite value was stored")
