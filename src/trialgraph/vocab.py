"""trialgraph's own ontology terms as a closed namespace, plus the external vocabularies.

``TG.Trial`` works, ``TG.Trail`` raises ``AttributeError``: a typo in a term is an error at
the point of use, and ``tests/test_vocab.py`` checks that every term listed here is
declared in ``ontology/trialgraph.ttl`` (and the reverse).

The ontology namespace is fixed (it names a published artefact); only resource IRIs under
``{base}id/...`` follow the configurable base IRI (see :mod:`trialgraph.ids`).
The triple patterns these terms are used in are described in ``docs/graph-model.md``.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = [
    "DCAT",
    "DCTERMS",
    "FACETS",
    "MEASURES",
    "OA",
    "PROV",
    "SKOS",
    "TG",
    "TG_NS",
    "UNITS",
    "VOID",
]

TG_NS = "https://w3id.org/trialgraph/ontology#"

OA = Namespace("http://www.w3.org/ns/oa#")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
VOID = Namespace("http://rdfs.org/ns/void#")


class TG(DefinedNamespace):
    """Terms declared in ``ontology/trialgraph.ttl``."""

    _NS = Namespace(TG_NS)
    _fail = True

    # classes: sources and provenance
    Article: URIRef
    IngestRun: URIRef
    Evidence: URIRef
    # classes: design
    Trial: URIRef
    RandomisedControlledTrial: URIRef  # defined
    Arm: URIRef
    ExperimentalArm: URIRef
    ControlArm: URIRef
    SingleArm: URIRef
    # classes: agents (drug classes such as Taxane are declared in the catalogue)
    Drug: URIRef
    DrugClass: URIRef
    # classes: population
    Population: URIRef
    HER2PositivePopulation: URIRef  # defined
    HormoneReceptorPositivePopulation: URIRef  # defined
    FirstLineMetastaticPopulation: URIRef  # defined
    Subgroup: URIRef
    HER2Status: URIRef
    HormoneReceptorStatus: URIRef
    DiseaseSetting: URIRef
    LineOfTherapy: URIRef
    MenopausalStatus: URIRef
    # classes: results
    Endpoint: URIRef
    Measure: URIRef
    Unit: URIRef
    Result: URIRef
    ArmResult: URIRef
    Comparison: URIRef
    AddOnComparison: URIRef  # defined

    # individuals: measures and units
    Median: URIRef
    Rate: URIRef
    Count: URIRef
    HazardRatio: URIRef
    OddsRatio: URIRef
    Months: URIRef
    Weeks: URIRef
    Years: URIRef
    Percent: URIRef
    Patients: URIRef
    # individuals: population facet values
    HER2Positive: URIRef
    HER2Negative: URIRef
    HER2Low: URIRef
    HER2Mutant: URIRef
    HormoneReceptorPositive: URIRef
    HormoneReceptorNegative: URIRef
    Metastatic: URIRef
    Advanced: URIRef
    EarlyStage: URIRef
    Neoadjuvant: URIRef
    Adjuvant: URIRef
    FirstLine: URIRef
    SecondLine: URIRef
    LaterLine: URIRef
    Postmenopausal: URIRef
    Premenopausal: URIRef

    # properties: trial
    trialName: URIRef
    nctId: URIRef
    phase: URIRef
    randomised: URIRef
    enrollment: URIRef
    hasArm: URIRef
    hasPopulation: URIRef
    # properties: arm and drugs
    hasIntervention: URIRef
    armSize: URIRef
    addsDrug: URIRef
    comparedWith: URIRef
    drugClass: URIRef
    hasComponent: URIRef  # regimen / fixed-dose product -> its agents (catalogue)
    # properties: population
    condition: URIRef
    her2Status: URIRef
    hormoneReceptorStatus: URIRef
    setting: URIRef
    lineOfTherapy: URIRef
    menopausalStatus: URIRef
    # properties: results
    ofTrial: URIRef
    endpoint: URIRef
    measure: URIRef
    arm: URIRef
    experimentalArm: URIRef
    controlArm: URIRef
    value: URIRef
    notReached: URIRef
    unit: URIRef
    ciLower: URIRef
    ciUpper: URIRef
    pValue: URIRef
    pOperator: URIRef
    subgroup: URIRef
    # properties: provenance
    hasEvidence: URIRef
    extractionMethod: URIRef
    confidence: URIRef
    softwareVersion: URIRef
    contentHash: URIRef
    characterCount: URIRef
    mentionsTrial: URIRef


MEASURES: dict[str, URIRef] = {
    "median": TG.Median,
    "rate": TG.Rate,
    "count": TG.Count,
    "hazard_ratio": TG.HazardRatio,
    "odds_ratio": TG.OddsRatio,
}
UNITS: dict[str, URIRef] = {
    "months": TG.Months,
    "weeks": TG.Weeks,
    "years": TG.Years,
    "percent": TG.Percent,
    "patients": TG.Patients,
}
#: population field -> (property, {contract value -> individual})
FACETS: dict[str, tuple[URIRef, dict[str, URIRef]]] = {
    "her2": (
        TG.her2Status,
        {
            "positive": TG.HER2Positive,
            "negative": TG.HER2Negative,
            "low": TG.HER2Low,
            "mutant": TG.HER2Mutant,
        },
    ),
    "hormone_receptor": (
        TG.hormoneReceptorStatus,
        {"positive": TG.HormoneReceptorPositive, "negative": TG.HormoneReceptorNegative},
    ),
    "setting": (
        TG.setting,
        {
            "metastatic": TG.Metastatic,
            "advanced": TG.Advanced,
            "early": TG.EarlyStage,
            "neoadjuvant": TG.Neoadjuvant,
            "adjuvant": TG.Adjuvant,
        },
    ),
    "line": (
        TG.lineOfTherapy,
        {"first": TG.FirstLine, "second": TG.SecondLine, "later": TG.LaterLine},
    ),
    "menopausal_status": (
        TG.menopausalStatus,
        {"postmenopausal": TG.Postmenopausal, "premenopausal": TG.Premenopausal},
    ),
}
