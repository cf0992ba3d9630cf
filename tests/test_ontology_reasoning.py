"""HermiT via owlready2: defined classes are filled, inconsistencies are explained, and the
Java-free derived facts (catalogue class closure, add-on drugs) agree with HermiT."""

from __future__ import annotations

import shutil

import pytest
from helpers_ontology import MINTER, ArticleBuilder, standard_article
from helpers_ontology_corpus import GOLD_FILES, gold_graph
from rdflib import RDF, Graph, Literal, URIRef
from trialgraph.ontology import reasoning
from trialgraph.ontology.catalogue import load_catalogue
from trialgraph.ontology.closure import addon_comparisons, addon_drugs
from trialgraph.ontology.reasoning import diagnose, reason

from trialgraph.errors import TrialgraphError
from trialgraph.vocab import TG, TG_NS

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")


def test_without_java_the_error_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reasoning.shutil, "which", lambda name: None)
    with pytest.raises(TrialgraphError, match="reasoning needs Java"):
        reason(Graph())


@pytest.mark.parametrize(
    ("exp", "ctrl", "added"),
    [
        (
            {"pertuzumab", "trastuzumab", "aromatase inhibitor"},
            {"trastuzumab", "aromatase inhibitor"},
            {"pertuzumab"},
        ),
        ({"olaparib"}, {"placebo"}, {"olaparib"}),
        ({"alpelisib", "fulvestrant"}, {"fulvestrant", "placebo"}, {"alpelisib"}),
        ({"pertuzumab", "trastuzumab", "docetaxel"}, {"trastuzumab", "taxane"}, {"pertuzumab"}),
        ({"margetuximab", "chemotherapy"}, {"trastuzumab", "chemotherapy"}, set()),
        ({"neratinib"}, {"placebo", "trastuzumab"}, set()),
        ({"a"}, set(), set()),
        (set(), {"placebo"}, set()),
        ({"trastuzumab"}, {"trastuzumab"}, set()),
    ],
)
def test_addon_drugs(exp: set[str], ctrl: set[str], added: set[str]) -> None:
    assert addon_drugs(exp, ctrl) == added


def test_diagnose_names_axiom_and_individual() -> None:
    b, r = standard_article()
    b.g.add((r["median1"], RDF.type, TG.Comparison))
    b.g.set((r["hr"], TG.value, Literal("high")))
    b.g.add((r["hr"], TG.endpoint, MINTER.endpoint("OS")))
    problems = "\n".join(diagnose(b.g + _tbox()))
    assert f"disjointWith {TG.Comparison}: {r['median1']}" in problems
    assert f"{TG.value} rdfs:range" in problems and str(r["hr"]) in problems
    assert f"{TG.endpoint} is functional: {r['hr']} has 2 values" in problems


def _tbox() -> Graph:
    from trialgraph.ontology.packaged import ontology_graph

    return ontology_graph(copy=True)


@pytest.mark.slow
@needs_java
def test_defined_classes_are_filled_and_inconsistency_is_explained() -> None:
    b, r = standard_article()
    t2 = b.trial("single", name="SINGLE", randomised=False)
    b.population(t2, her2Status=TG.HER2Negative, setting=TG.EarlyStage)
    report = reason(b.g)
    assert report.consistent, report.text()
    trial_types = report.inferred.get(r["trial"], frozenset())
    assert TG.RandomisedControlledTrial in trial_types
    assert TG.RandomisedControlledTrial not in report.inferred.get(t2, frozenset())
    pops = {p: report.inferred.get(p, frozenset()) for p in b.g.subjects(RDF.type, TG.Population)}
    assert sum(TG.HER2PositivePopulation in v for v in pops.values()) == 1
    assert sum(TG.FirstLineMetastaticPopulation in v for v in pops.values()) == 1
    assert TG.AddOnComparison in report.inferred[r["hr"]]
    assert "AddOnComparison: 1" in report.text()
    inferred = report.inferred_graph()
    assert (r["hr"], RDF.type, TG.AddOnComparison) in inferred

    # now break it: a result typed both arm result and comparison, with a string value
    b.g.add((r["median1"], RDF.type, TG.Comparison))
    b.g.add((r["median2"], TG.value, Literal("n/a")))
    broken = reason(b.g)
    assert not broken.consistent
    assert broken.inferred == {}
    text = broken.text()
    assert "consistent: NO" in text
    assert str(r["median1"]) in text and "disjointWith" in text
    assert str(r["median2"]) in text


@pytest.mark.slow
@needs_java
@pytest.mark.skipif(not GOLD_FILES, reason="shared corpus not present")
def test_java_free_facts_agree_with_hermit_on_the_corpus() -> None:
    data = gold_graph()
    catalogue = load_catalogue()
    # every catalogue drug takes part, so the whole closure is compared
    drug_iris = {URIRef(f"{MINTER.base}id/drug/{e.key}"): e for e in catalogue.drugs}
    for iri in drug_iris:
        data.add((iri, RDF.type, TG.Drug))
    report = reason(data, catalogue_closure=False)
    assert report.consistent, report.text()

    # 1. drug-class closure: HermiT's derived drug types == Catalogue.drug_types
    asserted = catalogue.to_graph(closure=False)
    for iri, entry in drug_iris.items():
        hermit = set(report.inferred.get(iri, frozenset())) | set(asserted.objects(iri, RDF.type))
        hermit_names = {str(c)[len(TG_NS) :] for c in hermit if str(c).startswith(TG_NS)}
        assert hermit_names == catalogue.drug_types(entry), entry.label

    # 2. add-on comparisons: HermiT's AddOnComparison == the Java-free definition
    by_hermit = {s for s, types in report.inferred.items() if TG.AddOnComparison in types}
    assert by_hermit == addon_comparisons(data)
    assert len(by_hermit) >= 5

    # 3. the other defined classes are filled exactly where their definition holds
    def members(cls: URIRef) -> set[URIRef]:
        return {s for s, types in report.inferred.items() if cls in types}

    her2 = {p for p in data.subjects(TG.her2Status, TG.HER2Positive) if isinstance(p, URIRef)}
    assert members(TG.HER2PositivePopulation) == her2 and her2
    rct = {t for t in data.subjects(TG.randomised, Literal(True)) if isinstance(t, URIRef)}
    assert members(TG.RandomisedControlledTrial) == rct and rct
    hr = {
        p
        for p in data.subjects(TG.hormoneReceptorStatus, TG.HormoneReceptorPositive)
        if isinstance(p, URIRef)
    }
    assert members(TG.HormoneReceptorPositivePopulation) == hr


def test_addon_comparisons_definition() -> None:
    b, r = standard_article()
    assert addon_comparisons(b.g) == {r["hr"]}
    b2 = ArticleBuilder()
    t = b2.trial("t2")
    e = b2.arm(t, ["margetuximab"])
    c = b2.arm(t, ["trastuzumab"], TG.ControlArm)
    b2.compare(e, c, ["margetuximab"], ["trastuzumab"])
    hr = b2.result(t, measure=TG.HazardRatio, value="0.76", arms=(e, c))
    assert hr in set(b2.g.subjects(RDF.type, TG.Comparison))
    assert addon_comparisons(b2.g) == set()
