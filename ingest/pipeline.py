"""The ingest pipeline: read -> extract -> map to RDF -> SHACL-validate -> replace graph.

Each article is committed with one ``Store.replace_graph`` call (one transaction), so the
store holds whole articles only, whatever happens to the process; re-ingesting an article
replaces its graph, and an article whose text changed replaces its old version (the graph
name is the file name's slug, not the content hash).

An article is rejected, and the store left as it was, when it cannot be read, when the
extractor raises a :class:`~trialgraph.errors.TrialgraphError`, or when its graph fails
the SHACL shapes. Store errors are not per-article problems: they stop the run.

The ontology and catalogue graphs are (re)loaded once per run when missing or different
from the files shipped with the package, so queries always see the TBox and the drug
class closure the article graphs were built against.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from rdflib import Graph
from rdflib.compare import isomorphic
from trialgraph.ingest.sources.document import Document
from trialgraph.ingest.sources.readers import (
    DEFAULT_MAX_BYTES,
    ReadError,
    expand_path,
    read_input,
)

from trialgraph import __version__
from trialgraph.config import DEFAULT_BASE_IRI
from trialgraph.errors import ReadOnlyStore, TrialgraphError
from trialgraph.ids import Minter
from trialgraph.model import Evidence
from trialgraph.rdf import AddonFunction, article_key, evidence_to_graph
from trialgraph.store.base import Store

__all__ = ["ArticleReport", "IngestSummary", "Pipeline", "Validator"]

log = logging.getLogger(__name__)

Extractor = Callable[[Document], Evidence]


class _Report(Protocol):
    conforms: bool
    text: str
    violations: list[Any]


def _first(report: _Report) -> str:
    """The first violation as one line: shape, focus node, message (the CLI's one line)."""
    if not report.violations:
        return "see the SHACL report"
    v = report.violations[0]
    more = len(report.violations) - 1
    tail = f"; {more} more" if more else ""
    return f"{v.shape} on {v.focus}: {' '.join(str(v.message).split())}{tail}"


class Validator(Protocol):
    """``trialgraph.ontology.validate.validate_graph``'s shape."""

    def __call__(self, graph: Graph, article_text: str | None = None) -> Any: ...


@dataclass
class ArticleReport:
    """What happened to one input; ``error`` set means nothing of it was stored."""

    source: str
    article: str | None = None
    trials: int = 0
    results: int = 0
    triples: int = 0
    characters: int = 0
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def ingested(self) -> bool:
        return self.error is None


@dataclass
class IngestSummary:
    """Per-input reports plus totals, for the CLI table and for the exit code."""

    reports: list[ArticleReport] = field(default_factory=list)

    @property
    def articles(self) -> int:
        return sum(r.ingested for r in self.reports)

    @property
    def trials(self) -> int:
        return sum(r.trials for r in self.reports)

    @property
    def results(self) -> int:
        return sum(r.results for r in self.reports)

    @property
    def warnings(self) -> int:
        return sum(len(r.warnings) for r in self.reports)

    @property
    def errors(self) -> int:
        return sum(not r.ingested for r in self.reports)


def _default_extractor(catalogue: Any) -> Extractor:
    from trialgraph.ingest.extract import extract_document

    return lambda doc: extract_document(doc, catalogue=catalogue)


def _default_validator() -> Validator:
    from trialgraph.ontology.validate import validate_graph

    return validate_graph


def _default_addon(catalogue: Any) -> AddonFunction:
    from trialgraph.ontology.closure import addon_drugs

    return lambda experimental, control: addon_drugs(experimental, control, catalogue)


def _default_catalogue() -> Any:
    from trialgraph.ontology.catalogue import load_catalogue

    return load_catalogue()


class Pipeline:
    """Ingest documents into one store. Build once per run: it loads the catalogue once.

    ``extract``, ``validate``, ``addon`` and ``catalogue`` default to the real
    components (extractor, SHACL shapes, catalogue class closure); they are parameters so
    the benchmark can time each stage alone.
    """

    def __init__(
        self,
        store: Store,
        *,
        base_iri: str = DEFAULT_BASE_IRI,
        catalogue: Any = None,
        extract: Extractor | None = None,
        validate: Validator | None = None,
        addon: AddonFunction | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        software_version: str = __version__,
    ) -> None:
        if not store.writable:
            raise ReadOnlyStore(f"cannot ingest into read-only store {store.location}")
        self.store = store
        self.minter = Minter(base_iri)
        self.catalogue = catalogue if catalogue is not None else _default_catalogue()
        self.extract = extract or _default_extractor(self.catalogue)
        self.validate = validate or _default_validator()
        self.addon = addon or _default_addon(self.catalogue)
        self.max_bytes = max_bytes
        self.version = software_version
        self._keys: dict[str, str] = {}

    # reference graphs -----------------------------------------------------------------
    def reference_graphs(self) -> dict[str, Graph]:
        """The ontology and catalogue graphs as this version ships them."""
        from trialgraph.ontology.packaged import ontology_graph

        return {
            str(self.minter.graph("ontology")): ontology_graph(),
            str(self.minter.graph("catalogue")): self.catalogue.to_graph(self.minter.base),
        }

    def ensure_reference_graphs(self) -> list[str]:
        """Load the ontology and catalogue graphs when missing or changed; names loaded."""
        loaded = []
        for name, expected in self.reference_graphs().items():
            if self.store.count(name) == len(expected):
                current = self.store.construct(
                    f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"
                )
                if isomorphic(current, expected):
                    continue
            self.store.replace_graph(name, expected)
            loaded.append(name)
        return loaded

    # articles -------------------------------------------------------------------------
    def build(self, doc: Document) -> tuple[Evidence, Graph]:
        """Extract and map one document (no store access): what ingest would write."""
        evidence = self.extract(doc)
        if evidence.article != doc.name:
            evidence = evidence.model_copy(update={"article": doc.name})
        graph = evidence_to_graph(
            evidence,
            document_text=doc.text,
            minter=self.minter,
            software_version=self.version,
            addon=self.addon,
        )
        return evidence, graph

    def ingest_document(self, doc: Document) -> ArticleReport:
        """Extract, map, validate and commit one document.

        :raises StoreError: the store failed; the article was not written.
        """
        key = article_key(doc.name)
        report = ArticleReport(source=doc.source or doc.name, article=key, characters=len(doc.text))
        try:
            evidence, graph = self.build(doc)
            verdict: _Report = self.validate(graph, article_text=doc.text)
        except TrialgraphError as exc:
            report.error = f"{report.source}: {exc}"
            return report
        if not verdict.conforms:
            report.error = f"{report.source}: rejected by the SHACL shapes ({_first(verdict)})"
            log.info("SHACL report for %s:\n%s", report.source, verdict.text)
            return report
        previous = self._keys.setdefault(key, report.source)
        if previous != report.source:
            report.warnings.append(
                f"same article key {key!r} as {previous}: its graph was replaced"
            )
        self.store.replace_graph(str(self.minter.article_graph(key)), graph)
        report.trials = len(evidence.trials)
        report.results = sum(len(t.results) for t in evidence.trials)
        report.triples = len(graph)
        report.warnings.extend(evidence.notes)
        if not evidence.trials:
            report.warnings.append("no trial found")
        return report

    def ingest_item(self, item: Path | str) -> ArticleReport:
        """Read and ingest one item of :func:`expand_path`."""
        doc = read_input(item, max_bytes=self.max_bytes)
        if isinstance(doc, ReadError):
            return ArticleReport(source=doc.source, error=doc.message)
        return self.ingest_document(doc)

    def run(
        self,
        paths: Iterable[str | Path],
        *,
        on_total: Callable[[int], None] | None = None,
        on_report: Callable[[ArticleReport], None] | None = None,
    ) -> IngestSummary:
        """Ingest files, folders and ``-``; the callbacks drive a progress display."""
        items = [item for path in paths for item in expand_path(path)]
        if on_total is not None:
            on_total(len(items))
        self.ensure_reference_graphs()
        summary = IngestSummary()
        for item in items:
            report = self.ingest_item(item)
            summary.reports.append(report)
            if on_report is not None:
                on_report(report)
        return summary
