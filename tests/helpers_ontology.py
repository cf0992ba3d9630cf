"""Builders of small article graphs in the docs/graph-model.md shape, made with rdflib
directly (independent of trialgraph.rdf) for the ontology, shapes and reasoning tests."""

from __future__ import annotations

from decimal import Decimal

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from trialgraph.ontology.closure import addon_drugs

from trialgraph.ids import Minter
from trialgraph.vocab import OA, PROV, TG

__all__ = ["ARTICLE_TEXT", "MINTER", "ArticleBuilder", "dec", "integer"]

MINTER = Minter()
#: synthetic article text (not from the corpus); quotes below are slices of it
ARTICLE_TEXT = (
    "Synthetic report. Median PFS was 18.9 months with drug A versus 15.8 months with "
    "drug B (HR 0.65, 95% CI 0.48-0.89; p=0.007). End of synthetic report."
)


def dec(value: str | float) -> Literal:
    return Literal(Decimal(str(value)), datatype=XSD.decimal)


def integer(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


class ArticleBuilder:
    """One article with trials, arms, results and evidence; each add returns its IRI."""

    def __init__(self, key: str = "synthetic", text: str = ARTICLE_TEXT) -> None:
        self.g = Graph()
        self.key = key
        self.text = text
        self.article = MINTER.article(key)
        self.g.add((self.article, RDF.type, TG.Article))
        self.g.add((self.article, TG.characterCount, integer(len(text))))
        self.g.add((self.article, TG.contentHash, Literal("0" * 64)))
        self._n = 0

    def trial(
        self,
        key: str,
        *,
        name: str | None = "SYNTH",
        nct: str | None = None,
        randomised: bool | None = True,
    ) -> URIRef:
        t = MINTER.trial(key)
        self.g.add((t, RDF.type, TG.Trial))
        if name:
            self.g.add((t, TG.trialName, Literal(name)))
            self.g.add((t, RDFS.label, Literal(name)))
        if nct:
            self.g.add((t, TG.nctId, Literal(nct)))
        if randomised is not None:
            self.g.add((t, TG.randomised, Literal(randomised)))
        self.g.add((self.article, TG.mentionsTrial, t))
        return t

    def population(self, trial: URIRef, **facets: URIRef) -> URIRef:
        p = MINTER.population(str(trial), *sorted(facets.items()))
        self.g.add((p, RDF.type, TG.Population))
        self.g.add((trial, TG.hasPopulation, p))
        for prop, value in facets.items():
            self.g.add((p, TG[prop], value))
        return p

    def arm(self, trial: URIRef, drugs: list[str], role: URIRef = TG.ExperimentalArm) -> URIRef:
        a = MINTER.arm(str(trial).rsplit("/", 1)[-1], drugs)
        self.g.add((a, RDF.type, TG.Arm))
        self.g.add((a, RDF.type, role))
        self.g.add((trial, TG.hasArm, a))
        for drug in drugs:
            d = MINTER.drug(drug)
            self.g.add((d, RDF.type, TG.Drug))
            self.g.add((d, RDFS.label, Literal(drug)))
            self.g.add((a, TG.hasIntervention, d))
        return a

    def compare(
        self, experimental: URIRef, control: URIRef, exp_drugs: list[str], ctrl_drugs: list[str]
    ) -> None:
        """comparedWith + addsDrug as ingest materialises them (closure.addon_drugs)."""
        self.g.add((experimental, TG.comparedWith, control))
        for drug in addon_drugs(set(exp_drugs), set(ctrl_drugs)):
            self.g.add((experimental, TG.addsDrug, MINTER.drug(drug)))

    def result(
        self,
        trial: URIRef,
        *,
        measure: URIRef,
        value: str | None,
        unit: URIRef | None = None,
        arm: URIRef | None = None,
        arms: tuple[URIRef, URIRef] | None = None,
        endpoint: str = "PFS",
        ci: tuple[str, str] | None = None,
        p: str | None = None,
        quote: tuple[int, int] | None = (18, 44),
    ) -> URIRef:
        self._n += 1
        r = MINTER.result(self.key, self._n)
        self.g.add((r, RDF.type, TG.Result))
        self.g.add((r, RDF.type, TG.Comparison if arms else TG.ArmResult))
        self.g.add((r, TG.ofTrial, trial))
        ep = MINTER.endpoint(endpoint)
        self.g.add((ep, RDF.type, TG.Endpoint))
        self.g.add((r, TG.endpoint, ep))
        self.g.add((r, TG.measure, measure))
        if arm is not None:
            self.g.add((r, TG.arm, arm))
        if arms is not None:
            self.g.add((r, TG.experimentalArm, arms[0]))
            self.g.add((r, TG.controlArm, arms[1]))
        if value is None:
            self.g.add((r, TG.notReached, Literal(True)))
        else:
            self.g.add((r, TG.value, dec(value)))
        if unit is not None:
            self.g.add((r, TG.unit, unit))
        if ci is not None:
            self.g.add((r, TG.ciLower, dec(ci[0])))
            self.g.add((r, TG.ciUpper, dec(ci[1])))
        if p is not None:
            self.g.add((r, TG.pValue, dec(p)))
            self.g.add((r, TG.pOperator, Literal("=")))
        self.g.add((r, PROV.wasDerivedFrom, self.article))
        if quote is not None:
            self.evidence(r, *quote)
        return r

    def evidence(self, result: URIRef, start: int, end: int) -> URIRef:
        e = MINTER.evidence(f"{self.key}|{result}")
        target, q, pos = URIRef(f"{e}/target"), URIRef(f"{e}/quote"), URIRef(f"{e}/position")
        g = self.g
        g.add((result, TG.hasEvidence, e))
        g.add((e, RDF.type, TG.Evidence))
        g.add((e, RDF.type, OA.Annotation))
        g.add((e, OA.motivatedBy, OA.describing))
        g.add((e, OA.hasBody, result))
        g.add((e, OA.hasTarget, target))
        g.add((e, TG.extractionMethod, Literal("rule:test")))
        g.add((e, TG.confidence, dec("0.9")))
        g.add((target, RDF.type, OA.SpecificResource))
        g.add((target, OA.hasSource, self.article))
        g.add((target, OA.hasSelector, q))
        g.add((target, OA.hasSelector, pos))
        g.add((q, RDF.type, OA.TextQuoteSelector))
        g.add((q, OA.exact, Literal(self.text[start:end])))
        g.add((pos, RDF.type, OA.TextPositionSelector))
        g.add((pos, OA.start, integer(start)))
        g.add((pos, OA.end, integer(end)))
        return e


def standard_article() -> tuple[ArticleBuilder, dict[str, URIRef]]:
    """A valid article: one randomised trial, two arms, two medians and a hazard ratio."""
    b = ArticleBuilder()
    t = b.trial("synth-1", name="SYNTH-1", nct="NCT01234567")
    b.population(t, her2Status=TG.HER2Positive, setting=TG.Metastatic, lineOfTherapy=TG.FirstLine)
    exp_drugs, ctrl_drugs = ["pertuzumab", "trastuzumab", "docetaxel"], ["trastuzumab", "docetaxel"]
    e = b.arm(t, exp_drugs, TG.ExperimentalArm)
    c = b.arm(t, ctrl_drugs, TG.ControlArm)
    b.compare(e, c, exp_drugs, ctrl_drugs)
    m1 = b.result(t, measure=TG.Median, value="18.9", unit=TG.Months, arm=e)
    m2 = b.result(t, measure=TG.Median, value="15.8", unit=TG.Months, arm=c)
    hr = b.result(
        t,
        measure=TG.HazardRatio,
        value="0.65",
        arms=(e, c),
        ci=("0.48", "0.89"),
        p="0.007",
        quote=(89, 123),
    )
    return b, {"trial": t, "exp": e, "ctrl": c, "median1": m1, "median2": m2, "hr": hr}
