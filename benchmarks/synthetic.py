"""A synthetic trial graph made THROUGH the project's own model, for the speed benchmark.

Each synthetic article is an :class:`~trialgraph.model.Evidence` with one trial of a
realistic shape (2-3 arms; drugs drawn from the catalogue, a few of them very common;
a population with facets; 3-6 results with provenance whose offsets index into a generated
article text) and is mapped by :func:`trialgraph.rdf.evidence_to_graph`, exactly as ingest
maps an extracted article. The graphs are written as N-Quads (one named graph per article)
for a bulk load. Deterministic for a given seed.
"""

from __future__ import annotations

import importlib.util
import random
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from rdflib import RDF, RDFS, Graph

from trialgraph.ids import Minter
from trialgraph.model import Arm, Evidence, Population, Provenance, Result, Trial
from trialgraph.rdf import AddonFunction, article_key, evidence_to_graph
from trialgraph.vocab import TG

__all__ = ["COMMON_DRUGS", "catalogue_drugs", "synthetic_evidence", "write_nquads"]

#: drugs drawn far more often than the rest, as in a real breast-cancer corpus
COMMON_DRUGS = (
    "trastuzumab",
    "pertuzumab",
    "paclitaxel",
    "docetaxel",
    "letrozole",
    "capecitabine",
    "carboplatin",
    "fulvestrant",
)
_ENDPOINTS = ("PFS", "PFS", "PFS", "OS", "OS", "ORR", "DFS", "pCR")
_FACETS = {
    "her2": ("positive", "negative", "low", None),
    "hormone_receptor": ("positive", "negative", None),
    "setting": ("metastatic", "advanced", "early", "neoadjuvant", "adjuvant", None),
    "line": ("first", "second", "later", None),
}
_PHASES = ("2", "3", "3", "1/2", "2/3")


def catalogue_drugs() -> list[str]:
    """Drug labels from the catalogue Turtle shipped in ``ontology/``."""
    folder = Path(__file__).resolve().parents[1] / "ontology"
    g = Graph()
    g.parse(folder / "catalogue-drugs.ttl", format="turtle", publicID="https://x.invalid/id/")
    labels = {str(g.value(d, RDFS.label)) for d in g.subjects(RDF.type, TG.Drug)}
    return sorted(label for label in labels if label != "None")


def _simple_addon(experimental: set[str], control: set[str]) -> set[str]:
    control = control - {"placebo"}
    return experimental - control if control <= experimental else set()


def _addon() -> AddonFunction | None:
    """The catalogue-aware rule when the ontology package has it, else the plain subset rule."""
    if importlib.util.find_spec("trialgraph.ontology.closure") is not None:
        return None
    return _simple_addon


class _Text:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def say(self, sentence: str, method: str, rng: random.Random) -> Provenance:
        start = self.length
        self.parts.append(sentence + " ")
        self.length += len(sentence) + 1
        return Provenance(
            quote=sentence,
            start=start,
            end=start + len(sentence),
            method=method,
            confidence=round(rng.uniform(0.6, 1.0), 2),
        )

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _draw(rng: random.Random, drugs: list[str], k: int, exclude: set[str]) -> list[str]:
    out: list[str] = []
    while len(out) < k:
        pool = COMMON_DRUGS if rng.random() < 0.6 else drugs
        drug = rng.choice(pool)
        if drug not in exclude and drug not in out:
            out.append(drug)
    return out


def _trial(i: int, rng: random.Random, drugs: list[str], text: _Text) -> Trial:
    name = f"SYN-{i:06d}"
    control = _draw(rng, drugs, rng.randint(1, 2), set())
    added = _draw(rng, drugs, 1, set(control))
    arms = [
        Arm(
            label=" + ".join(added + control),
            drugs=added + control,
            role="experimental",
            n=rng.randint(50, 500),
        ),
        Arm(label=" + ".join(control), drugs=control, role="control", n=rng.randint(50, 500)),
    ]
    if rng.random() < 0.3:
        other = _draw(rng, drugs, 1, set(control) | set(added))
        arms.append(
            Arm(
                label=" + ".join(other + control),
                drugs=other + control,
                role="experimental",
                n=rng.randint(50, 500),
            )
        )
    results: list[Result] = []
    for _ in range(rng.randint(3, 6)):
        endpoint = rng.choice(_ENDPOINTS)
        kind = rng.random()
        if kind < 0.4:
            hr = round(rng.uniform(0.4, 1.2), 2)
            results.append(
                Result(
                    endpoint=endpoint,
                    measure="hazard_ratio",
                    arms=[0, 1],
                    value=hr,
                    ci=[round(hr * 0.8, 2), round(hr * 1.2, 2)],
                    p_value=round(rng.uniform(0.0001, 0.2), 4),
                    p_operator="=",
                    provenance=text.say(
                        f"{name}: {endpoint} hazard ratio {hr}.", "synthetic:hr", rng
                    ),
                )
            )
        else:
            arm = rng.randrange(len(arms))
            measure = "rate" if endpoint in ("ORR", "pCR") else "median"
            value = round(rng.uniform(5, 60), 1)
            results.append(
                Result(
                    endpoint=endpoint,
                    measure=measure,
                    arm=arm,
                    value=value,
                    unit="percent" if measure == "rate" else "months",
                    subgroup="hormone receptor positive" if rng.random() < 0.1 else None,
                    provenance=text.say(
                        f"{name} arm {arm}: {endpoint} {measure} {value}.", "synthetic:value", rng
                    ),
                )
            )
    facets = {k: rng.choice(v) for k, v in _FACETS.items()}
    return Trial(
        name=name,
        nct_id=f"NCT{10_000_000 + i:08d}",
        phase=rng.choice(_PHASES),
        randomized=True,
        enrollment=sum(a.n or 0 for a in arms),
        population=Population(condition="breast cancer", **facets),
        arms=arms,
        results=results,
        provenance=text.say(f"{name} was a randomised trial.", "synthetic:trial", rng),
    )


def synthetic_evidence(n: int, *, seed: int = 7) -> Iterator[tuple[Evidence, str]]:
    """``n`` articles, one trial each, with their article texts."""
    rng = random.Random(seed)
    drugs = catalogue_drugs()
    for i in range(n):
        text = _Text()
        trial = _trial(i, rng, drugs, text)
        yield Evidence(article=f"synthetic-{i:06d}.txt", trials=[trial]), text.text


def write_nquads(n: int, out: IO[str], *, base_iri: str, seed: int = 7) -> int:
    """Map ``n`` synthetic articles and write them as N-Quads; returns the quad count."""
    minter = Minter(base_iri)
    addon = _addon()
    quads = 0
    for evidence, text in synthetic_evidence(n, seed=seed):
        graph = evidence_to_graph(
            evidence, document_text=text, minter=minter, software_version="synthetic", addon=addon
        )
        name = minter.article_graph(article_key(evidence.article)).n3()
        lines = [f"{s.n3()} {p.n3()} {o.n3()} {name} .\n" for s, p, o in graph]
        out.writelines(lines)
        quads += len(lines)
    return quads
