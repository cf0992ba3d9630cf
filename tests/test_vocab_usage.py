"""Every ontology term written as text (SPARQL in queries/*.rq and in Python strings) is
declared: the closed ``TG`` namespace guards Python attribute use, this guards the rest."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import URIRef
from trialgraph.ontology.catalogue import load_catalogue
from trialgraph.ontology.packaged import ontology_graph

from trialgraph.vocab import TG_NS

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ["queries", "api", "ingest", "ontology", "src/trialgraph", "benchmarks"]
PREFIXED = re.compile(r"(?<![\w#/])tg:([A-Za-z_][A-Za-z0-9_]*)")
FULL = re.compile(re.escape(TG_NS) + r"([A-Za-z_][A-Za-z0-9_]*)")


def _declared() -> set[str]:
    graph = ontology_graph() + load_catalogue().to_graph()
    return {str(s)[len(TG_NS) :] for s in graph.subjects() if str(s).startswith(TG_NS)}


def _used() -> dict[str, set[str]]:
    used: dict[str, set[str]] = {}
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix not in (".rq", ".py") or "static" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            for term in PREFIXED.findall(text) + FULL.findall(text):
                used.setdefault(term, set()).add(str(path.relative_to(ROOT)))
    return used


def test_every_term_used_as_text_is_declared() -> None:
    declared = _declared()
    used = _used()
    assert len(used) > 30, "the scan found too few terms to be looking at the right files"
    undeclared = {term: files for term, files in used.items() if term not in declared}
    assert not undeclared, undeclared


def test_the_scan_would_notice_a_typo() -> None:
    assert URIRef(TG_NS + "Trail") not in {URIRef(TG_NS + t) for t in _declared()}
    assert PREFIXED.findall("SELECT ?t WHERE { ?t a tg:Trail }") == ["Trail"]
