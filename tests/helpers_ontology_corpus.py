"""The gold files of ../shared/corpus as one RDF graph, via the real RDF mapping
(trialgraph.rdf), for the reasoning tests. Nothing from the corpus is copied."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph

from trialgraph.ids import Minter

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLD_FILES = sorted(SHARED.glob("corpus/*/gold/*.json"))


def gold_graph() -> Graph:
    from trialgraph.model import Evidence
    from trialgraph.rdf import evidence_to_graph

    graph = Graph()
    for path in GOLD_FILES:
        data = json.loads(path.read_text(encoding="utf-8"))
        data.pop("notes", None)
        text_path = path.parent.parent / "articles" / f"{path.stem}.txt"
        graph += evidence_to_graph(
            Evidence.model_validate(data),
            document_text=text_path.read_text(encoding="utf-8"),
            minter=Minter(),
            software_version="test",
        )
    return graph
