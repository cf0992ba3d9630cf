"""A small hand-written evidence set for the REST, named-query and linked-data tests.

Invented trials (no corpus text): two add-on trials of pertuzumab (one in HR+, one in HR-
disease), one of palbociclib, each with per-arm medians, a hazard ratio and provenance
whose offsets index into a generated article text. Mapped through the project's own
``evidence_to_graph`` so the tests read exactly the triples ingest writes.
"""

from __future__ import annotations

from rdflib import RDF, RDFS, Graph, Literal, URIRef

from trialgraph.ids import Minter
from trialgraph.model import Arm, Evidence, Population, Provenance, Result, Trial
from trialgraph.rdf import article_key, evidence_to_graph
from trialgraph.store.base import Store
from trialgraph.vocab import SKOS, TG, TG_NS

__all__ = [
    "ADDON_TRIAL",
    "BASE",
    "HR_NEGATIVE_TRIAL",
    "load_conflicting_report",
    "load_sample",
    "sample_evidence",
]

BASE = "https://w3id.org/trialgraph/"
ADDON_TRIAL = "nct90000001"
HR_NEGATIVE_TRIAL = "nct90000002"


def _addon(experimental: set[str], control: set[str]) -> set[str]:
    """Drugs added to a control arm that is a subset of the experimental arm (placebo aside)."""
    control = control - {"placebo"}
    return experimental - control if control <= experimental else set()


class _Text:
    """Builds an article text sentence by sentence and remembers where each one is."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def say(self, sentence: str, method: str = "test:sentence") -> Provenance:
        start = self.length
        self.parts.append(sentence + " ")
        self.length += len(sentence) + 1
        return Provenance(
            quote=sentence, start=start, end=start + len(sentence), method=method, confidence=0.9
        )

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _trial(
    text: _Text,
    name: str,
    nct: str,
    hr: str,
    added: str,
    base: list[str],
    median: tuple[float, float],
    hazard: float,
) -> Trial:
    exp, ctl = [added, *base], base
    return Trial(
        name=name,
        nct_id=nct,
        phase="3",
        randomized=True,
        enrollment=400,
        population=Population(
            condition="breast cancer",
            her2="positive",
            hormone_receptor=hr,
            setting="metastatic",
            line="first",
        ),
        arms=[
            Arm(label=" + ".join(exp), drugs=exp, role="experimental", n=200),
            Arm(label=" + ".join(ctl), drugs=ctl, role="control", n=200),
        ],
        results=[
            Result(
                endpoint="PFS",
                measure="median",
                arm=0,
                value=median[0],
                unit="months",
                provenance=text.say(f"{name} arm A median PFS {median[0]} months."),
            ),
            Result(
                endpoint="PFS",
                measure="median",
                arm=1,
                value=median[1],
                unit="months",
                provenance=text.say(f"{name} arm B median PFS {median[1]} months."),
            ),
            Result(
                endpoint="PFS",
                measure="hazard_ratio",
                arms=[0, 1],
                value=hazard,
                ci=[hazard - 0.1, hazard + 0.1],
                p_value=0.01,
                p_operator="=",
                provenance=text.say(f"{name} hazard ratio {hazard}.", "test:hr"),
            ),
            Result(
                endpoint="OS",
                measure="median",
                arm=0,
                value=None,
                not_reached=True,
                provenance=text.say(f"{name} overall survival not reached."),
            ),
        ],
    )


def sample_evidence() -> tuple[Evidence, str]:
    text = _Text()
    trials = [
        _trial(
            text,
            "ALPHA-ONE",
            "NCT90000001",
            "positive",
            "pertuzumab",
            ["trastuzumab", "docetaxel"],
            (18.5, 12.4),
            0.62,
        ),
        _trial(
            text,
            "BETA-TWO",
            "NCT90000002",
            "negative",
            "pertuzumab",
            ["trastuzumab", "paclitaxel"],
            (16.0, 11.0),
            0.7,
        ),
        _trial(
            text,
            "GAMMA-THREE",
            "NCT90000003",
            "positive",
            "palbociclib",
            ["letrozole"],
            (24.8, 14.5),
            0.58,
        ),
    ]
    return Evidence(article="sample-article.txt", trials=trials), text.text


def catalogue_graph(minter: Minter) -> Graph:
    """The catalogue facts the class and synonym filters read (closure materialised)."""
    g = Graph()
    anti_her2 = ["AntiHER2MonoclonalAntibody", "HER2TargetedTherapy"]
    classes = {
        "pertuzumab": anti_her2,
        "trastuzumab": anti_her2,
        "docetaxel": ["Taxane", "Chemotherapy"],
        "paclitaxel": ["Taxane", "Chemotherapy"],
        "letrozole": ["AromataseInhibitor", "EndocrineTherapy"],
        "palbociclib": ["CDK46Inhibitor"],
    }
    for label, types in classes.items():
        drug = minter.drug(label)
        g.add((drug, RDF.type, TG.Drug))
        for t in types:
            g.add((drug, RDF.type, URIRef(TG_NS + t)))
        g.add((drug, RDFS.label, Literal(label)))
        g.add((drug, SKOS.prefLabel, Literal(label)))
    g.add((minter.drug("pertuzumab"), SKOS.altLabel, Literal("Perjeta")))
    g.add((minter.endpoint("PFS"), RDFS.label, Literal("progression-free survival")))
    return g


def load_sample(store: Store, base: str = BASE) -> Evidence:
    """Write the sample article graph and the catalogue facts into ``store``."""
    minter = Minter(base)
    evidence, text = sample_evidence()
    graph = evidence_to_graph(
        evidence, document_text=text, minter=minter, software_version="test", addon=_addon
    )
    store.replace_graph(str(minter.article_graph(article_key(evidence.article))), graph)
    store.replace_graph(str(minter.graph("catalogue")), catalogue_graph(minter))
    return evidence


def load_conflicting_report(store: Store, base: str = BASE) -> None:
    """A second article giving ALPHA-ONE's experimental-arm median PFS a different value."""
    minter = Minter(base)
    text = "ALPHA-ONE update: arm A median PFS 19.4 months."
    exp = ["pertuzumab", "trastuzumab", "docetaxel"]
    trial = Trial(
        name="ALPHA-ONE",
        nct_id="NCT90000001",
        arms=[Arm(drugs=exp, role="experimental"), Arm(drugs=exp[1:], role="control")],
        results=[
            Result(
                endpoint="PFS",
                measure="median",
                arm=0,
                value=19.4,
                unit="months",
                provenance=Provenance(
                    quote=text, start=0, end=len(text), method="test:sentence", confidence=0.8
                ),
            )
        ],
    )
    evidence = Evidence(article="update-article.txt", trials=[trial])
    graph = evidence_to_graph(
        evidence, document_text=text, minter=minter, software_version="test", addon=_addon
    )
    store.replace_graph(str(minter.article_graph(article_key(evidence.article))), graph)
