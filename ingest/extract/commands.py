"""CLI commands of this package; registered by :func:`trialgraph.cli.build_app`.

``trialgraph extract FILE|- --format json|turtle`` prints one article's evidence.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from trialgraph.errors import InputError

if TYPE_CHECKING:
    from trialgraph.ingest.sources.document import Document

__all__ = ["register"]


class OutputFormat(StrEnum):
    """What ``extract`` prints."""

    json = "json"
    turtle = "turtle"


def _read(source: str) -> Document:
    """One Document from a path or '-' (stdin), through the shared readers."""
    from trialgraph.ingest.sources.readers import ReadError, read_path

    docs = list(read_path(source))
    if len(docs) != 1:
        raise InputError(f"{source}: expected one article, found {len(docs)}")
    doc = docs[0]
    if isinstance(doc, ReadError):
        raise doc.error
    return doc


def extract(
    source: Annotated[str, typer.Argument(help="article file (txt, md, html) or '-' for stdin")],
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="json or turtle")] = (
        OutputFormat.json
    ),
) -> None:
    """Extract trials, arms, populations and results from one article."""
    from trialgraph.ingest.extract import extract_document

    doc = _read(source)
    evidence = extract_document(doc)
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps(evidence.to_contract_json(), indent=2, ensure_ascii=False))
        sys.stdout.write("\n")
        return
    from trialgraph import __version__
    from trialgraph.config import Settings
    from trialgraph.ids import Minter
    from trialgraph.rdf import evidence_to_graph

    graph = evidence_to_graph(
        evidence,
        document_text=doc.text,
        minter=Minter(Settings().base_iri),
        software_version=__version__,
    )
    sys.stdout.write(graph.serialize(format="turtle"))


def register(app: typer.Typer) -> None:
    """Add this package's commands to ``app``."""
    app.command("extract")(extract)
