"""Invented articles (trial names and numbers made up for these tests) and store helpers."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.compare import isomorphic

from trialgraph.store.base import Store

__all__ = ["ARTICLE_A", "ARTICLE_B", "ARTICLE_C", "graphs_of", "same_content", "write_articles"]

# Two reports of one invented trial that disagree on the experimental arm's median PFS
# (21.4 vs 20.9 months) and agree on the control arm.
ARTICLE_A = (
    "The ZEPHYR-9 trial was a randomized, open-label phase 3 study that enrolled 412 "
    "postmenopausal women with HER2-positive, hormone receptor-positive metastatic breast "
    "cancer. Patients were randomly assigned to pertuzumab plus trastuzumab plus letrozole "
    "(n = 206) or trastuzumab plus letrozole (n = 206). The median progression-free "
    "survival was 21.4 months with pertuzumab plus trastuzumab plus letrozole versus 14.2 "
    "months with trastuzumab plus letrozole (HR, 0.61; 95% CI, 0.47-0.80; P < .001).\n"
)
ARTICLE_B = (
    "Updated results from the phase 3 ZEPHYR-9 trial were presented this week. In 412 "
    "patients with HER2-positive, hormone receptor-positive metastatic breast cancer, "
    "pertuzumab plus trastuzumab plus letrozole (n = 206) was compared with trastuzumab "
    "plus letrozole (n = 206). The median progression-free survival was 20.9 months with "
    "pertuzumab plus trastuzumab plus letrozole versus 14.2 months with trastuzumab plus "
    "letrozole (HR, 0.63; 95% CI, 0.49-0.82; P < .001).\n"
)
# A different invented trial, for folder runs.
ARTICLE_C = (
    "In the randomized phase 2 ORCHID-4 study, 180 patients with HER2-negative advanced "
    "breast cancer received palbociclib plus fulvestrant (n = 90) or fulvestrant alone "
    "(n = 90). Median progression-free survival was 11.2 months versus 5.6 months (HR, "
    "0.52; 95% CI, 0.38-0.71; P < .001). The objective response rate was 31.0% with "
    "palbociclib plus fulvestrant and 12.5% with fulvestrant alone.\n"
)


def write_articles(folder: Path, articles: dict[str, str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in articles.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def graphs_of(store: Store) -> dict[str, Graph]:
    """Every named graph of the store, read back through a dump (N-Triples per graph)."""
    out = {}
    for name in store.graphs():
        graph = Graph()
        graph.parse(data=b"".join(store.dump(fmt="ntriples", graph=name)), format="nt")
        out[name] = graph
    return out


def same_content(a: dict[str, Graph], b: dict[str, Graph]) -> bool:
    """Same graph names, each pair isomorphic (the ontology graph may hold blank nodes)."""
    return a.keys() == b.keys() and all(isomorphic(a[k], b[k]) for k in a)
