"""Turn a fetched neighbourhood of triples into the REST response models.

Kept apart from the queries so each side stays readable: the queries decide *which*
triples are read (fast shapes), this module decides *how* they read as JSON, mapping our
IRIs back to the contract's strings through the tables in :mod:`trialgraph.vocab`.
"""

from __future__ import annotations

from typing import Any

from rdflib import RDF as _RDF
from rdflib import RDFS as _RDFS
from rdflib import URIRef
from rdflib.term import Node
from trialgraph.api.rest_models import (
    ArmOut,
    DrugRef,
    EvidenceOut,
    PopulationOut,
    ResultOut,
    TrialDetail,
    TrialSummary,
)
from trialgraph.api.routes.rest_sparql import Neighbourhood

from trialgraph import vocab
from trialgraph.vocab import FACETS, MEASURES, UNITS

__all__ = [
    "Keys",
    "arm",
    "drug_ref",
    "evidence",
    "population",
    "result",
    "trial_detail",
    "trial_summary",
]


class _Terms:
    """A namespace whose terms are built once. rdflib builds and validates a new URIRef on
    every attribute access (~0.7 µs), and a page of results reads a few hundred of them."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        term = URIRef(getattr(self._namespace, name))
        setattr(self, name, term)
        return term


RDF, RDFS = _Terms(_RDF), _Terms(_RDFS)
TG, OA, PROV, SKOS, DCTERMS = (
    _Terms(ns) for ns in (vocab.TG, vocab.OA, vocab.PROV, vocab.SKOS, vocab.DCTERMS)
)

_MEASURE_NAMES = {iri: name for name, iri in MEASURES.items()}
_UNIT_NAMES = {iri: name for name, iri in UNITS.items()}
_FACET_NAMES = {
    name: (prop, {iri: value for value, iri in table.items()})
    for name, (prop, table) in FACETS.items()
}
_ROLES = {TG.ExperimentalArm: "experimental", TG.ControlArm: "control", TG.SingleArm: "single"}


class Keys:
    """Maps resource IRIs under ``{base}id/{kind}/`` to the keys the REST paths use."""

    def __init__(self, base_iri: str) -> None:
        self.base = base_iri

    def iri(self, kind: str, key: str) -> URIRef:
        return URIRef(f"{self.base}id/{kind}/{key}")

    def key(self, iri: Node | None, kind: str) -> str | None:
        prefix = f"{self.base}id/{kind}/"
        text = str(iri) if iri is not None else ""
        return text[len(prefix) :] if text.startswith(prefix) else None


def _s(node: Node | None) -> str | None:
    return None if node is None else str(node)


def drug_ref(n: Neighbourhood, keys: Keys, iri: Node) -> DrugRef:
    return DrugRef(id=keys.key(iri, "drug"), iri=str(iri), label=n.text(iri, RDFS.label))


def trial_summary(n: Neighbourhood, keys: Keys, iri: Node) -> TrialSummary:
    return TrialSummary(
        id=keys.key(iri, "trial"),
        iri=str(iri),
        name=n.text(iri, TG.trialName),
        nct_id=n.text(iri, TG.nctId),
        phase=n.text(iri, TG.phase),
    )


def arm(n: Neighbourhood, keys: Keys, iri: Node) -> ArmOut:
    role = next((_ROLES[t] for t in n.objects(iri, RDF.type) if t in _ROLES), None)
    return ArmOut(
        iri=str(iri),
        label=n.text(iri, RDFS.label),
        role=role,
        size=n.integer(iri, TG.armSize),
        drugs=[drug_ref(n, keys, d) for d in n.objects(iri, TG.hasIntervention)],
        adds=[drug_ref(n, keys, d) for d in n.objects(iri, TG.addsDrug)],
        compared_with=[str(c) for c in n.objects(iri, TG.comparedWith)],
    )


def population(n: Neighbourhood, iri: Node) -> PopulationOut:
    facets: dict[str, str | None] = {}
    for name, (prop, names) in _FACET_NAMES.items():
        value = n.one(iri, prop)
        facets[name] = names.get(value) if value is not None else None
    return PopulationOut(iri=str(iri), condition=n.text(iri, TG.condition), **facets)


def evidence(n: Neighbourhood, iri: Node) -> EvidenceOut:
    out = EvidenceOut(
        iri=str(iri),
        method=n.text(iri, TG.extractionMethod),
        confidence=n.number(iri, TG.confidence),
    )
    for target in n.objects(iri, OA.hasTarget):
        source = n.one(target, OA.hasSource)
        out.article = _s(source)
        if source is not None:
            out.article_title = n.text(source, DCTERMS.title)
        for selector in n.objects(target, OA.hasSelector):
            if n.one(selector, OA.exact) is not None:
                out.quote = n.text(selector, OA.exact)
            if n.one(selector, OA.start) is not None:
                out.start = n.integer(selector, OA.start)
                out.end = n.integer(selector, OA.end)
    return out


def result(n: Neighbourhood, keys: Keys, iri: Node) -> ResultOut:
    endpoint = n.one(iri, TG.endpoint)
    measure = n.one(iri, TG.measure)
    unit = n.one(iri, TG.unit)
    subgroup = n.one(iri, TG.subgroup)
    return ResultOut(
        id=keys.key(iri, "result"),
        iri=str(iri),
        trial=_s(n.one(iri, TG.ofTrial)),
        endpoint=n.text(endpoint, SKOS.notation) if endpoint is not None else None,
        endpoint_iri=_s(endpoint),
        measure=_MEASURE_NAMES.get(measure) if measure is not None else None,
        value=n.number(iri, TG.value),
        not_reached=n.boolean(iri, TG.notReached),
        unit=_UNIT_NAMES.get(unit) if unit is not None else None,
        ci_lower=n.number(iri, TG.ciLower),
        ci_upper=n.number(iri, TG.ciUpper),
        p_value=n.number(iri, TG.pValue),
        p_operator=n.text(iri, TG.pOperator),
        arm=_s(n.one(iri, TG.arm)),
        experimental_arm=_s(n.one(iri, TG.experimentalArm)),
        control_arm=_s(n.one(iri, TG.controlArm)),
        subgroup=(n.text(subgroup, RDFS.label) or str(subgroup)) if subgroup is not None else None,
        article=_s(n.one(iri, PROV.wasDerivedFrom)),
        evidence=[evidence(n, e) for e in n.objects(iri, TG.hasEvidence)],
    )


def trial_detail(n: Neighbourhood, keys: Keys, iri: URIRef) -> TrialDetail:
    summary = trial_summary(n, keys, iri)
    results = [result(n, keys, r) for r in n.subjects(TG.ofTrial, iri)]
    articles = sorted(
        {r.article for r in results if r.article}
        | {str(a) for a in n.subjects(TG.mentionsTrial, iri)}
    )
    return TrialDetail(
        **summary.model_dump(),
        randomised=n.boolean(iri, TG.randomised),
        enrollment=n.integer(iri, TG.enrollment),
        arms=[arm(n, keys, a) for a in n.objects(iri, TG.hasArm)],
        populations=[population(n, p) for p in n.objects(iri, TG.hasPopulation)],
        results=results,
        articles=articles,
    )
