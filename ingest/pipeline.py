"""The ingest pipeline: read -> extract -> map to RDF -> SHACL-validate -> replace graph.

Each article is committed whole: ``run`` commits accepted articles in batches with one
``Store.replace_graphs_ntriples`` call (one transaction per batch, ~10 ms on disk whatever
its size), ``ingest_document`` one article alone; so the store holds whole
articles only, whatever happens to the process; re-ingesting an article
replaces its graph, and an article whose text changed replaces its old version (the graph
name is the file name's slug, not the content hash).

An article is rejected, and the store left as it was, when it cannot be read, when the
extractor raises a :class:`~trialgraph.errors.TrialgraphError`, or when its graph fails
the SHACL shapes. Store errors are not per-article problems: they stop the run.

The ontology and catalogue graphs are (re)loaded once per run when missing or different
from the files shipped with the package, so queries always see the TBox and the drug
class closure the article graphs were built against.

Hot path: an article's triples are made once, as pyoxigraph terms
(:func:`trialgraph.rdf.evidence_triples`), and turned once into N-Triples text, which both
the SHACL engine and the store read; no rdflib Graph is built on the way to the store.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox
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
from trialgraph.rdf import AddonFunction, article_key, evidence_to_graph, evidence_triples
from trialgraph.store._terms import OxTriple, to_ntriples, to_oxigraph
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
    """``trialgraph.ontology.validate.validate_triples``'s shape."""

    def __call__(
        self,
        triples: Sequence[OxTriple],
        *,
        ntriples: str | None = None,
        article_text: str | None = None,
    ) -> Any: ...


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
    from trialgraph.ontology.validate import validate_triples

    return validate_triples


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
        batch_size: int = 32,
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
        self.batch_size = max(1, batch_size)
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
            if self.store.count(name) == len(expected) and self._holds(name, expected):
                continue
            self.store.replace_graph(name, expected)
            loaded.append(name)
        return loaded

    def _holds(self, name: str, expected: Graph) -> bool:
        """Whether the store's graph ``name`` is isomorphic to ``expected``: by canonical
        hash (milliseconds) when the blank nodes form trees, as Turtle's ``[]`` and lists
        give; rdflib's isomorphism test (~0.8 s on the ontology) otherwise."""
        wanted = _fingerprint(
            [(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in expected]  # type: ignore[misc]
        )
        if wanted is not None:
            data = b"".join(self.store.dump(fmt="ntriples", graph=name))
            parsed = ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
            return _fingerprint([(t.subject, t.predicate, t.object) for t in parsed]) == wanted
        current = self.store.construct(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"
        )
        return isomorphic(current, expected)

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

    def prepare(self, doc: Document) -> tuple[ArticleReport, str | None]:
        """Extract, map and validate one document; the N-Triples to commit, or None if
        rejected (the same triples as :meth:`build`'s graph)."""
        key = article_key(doc.name)
        report = ArticleReport(source=doc.source or doc.name, article=key, characters=len(doc.text))
        try:
            evidence = self.extract(doc)
            if evidence.article != doc.name:
                evidence = evidence.model_copy(update={"article": doc.name})
            triples = evidence_triples(
                evidence,
                document_text=doc.text,
                minter=self.minter,
                software_version=self.version,
                addon=self.addon,
            )
            ntriples = to_ntriples(triples)
            verdict: _Report = self.validate(triples, ntriples=ntriples, article_text=doc.text)
        except TrialgraphError as exc:
            report.error = f"{report.source}: {exc}"
            return report, None
        if not verdict.conforms:
            report.error = f"{report.source}: rejected by the SHACL shapes ({_first(verdict)})"
            log.info("SHACL report for %s:\n%s", report.source, verdict.text)
            return report, None
        previous = self._keys.setdefault(key, report.source)
        if previous != report.source:
            report.warnings.append(
                f"same article key {key!r} as {previous}: its graph was replaced"
            )
        report.trials = len(evidence.trials)
        report.results = sum(len(t.results) for t in evidence.trials)
        report.triples = len(triples)
        report.warnings.extend(evidence.notes)
        if not evidence.trials:
            report.warnings.append("no trial found")
        return report, ntriples

    def ingest_document(self, doc: Document) -> ArticleReport:
        """Extract, map, validate and commit one document (one transaction).

        :raises StoreError: the store failed; the article was not written.
        """
        report, ntriples = self.prepare(doc)
        if ntriples is not None:
            name = str(self.minter.article_graph(report.article or ""))
            self.store.replace_graphs_ntriples({name: ntriples})
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
        """Ingest files, folders and ``-``; the callbacks drive a progress display.

        Accepted articles are committed ``batch_size`` at a time with one
        ``Store.replace_graphs_ntriples`` call (one transaction: each article whole, a kill loses at
        most the uncommitted batch); a rejected article is never part of a batch.
        """
        items = [item for path in paths for item in expand_path(path)]
        if on_total is not None:
            on_total(len(items))
        self.ensure_reference_graphs()
        summary = IngestSummary()
        pending: dict[str, str] = {}
        waiting: list[ArticleReport] = []

        def flush() -> None:
            if pending:
                self.store.replace_graphs_ntriples(pending)
                pending.clear()
            for done in waiting:
                if on_report is not None:
                    on_report(done)
            waiting.clear()

        for item in items:
            doc = read_input(item, max_bytes=self.max_bytes)
            if isinstance(doc, ReadError):
                report, ntriples = ArticleReport(source=doc.source, error=doc.message), None
            else:
                report, ntriples = self.prepare(doc)
            summary.reports.append(report)
            waiting.append(report)
            if ntriples is not None:
                pending[str(self.minter.article_graph(report.article or ""))] = ntriples
            if len(pending) >= self.batch_size:
                flush()
        flush()
        return summary


def _fingerprint(triples: Sequence[OxTriple]) -> str | None:
    """A hash equal for isomorphic graphs whose blank nodes form trees (each has exactly
    one incoming edge): each blank node is named by the hash of what hangs below it, the
    classic canonical form of trees. ``None`` for other shapes (shared or cyclic blank
    nodes), where only a full isomorphism test is exact."""
    below: dict[str, list[tuple[ox.NamedNode, Any]]] = {}
    parents: dict[str, int] = {}
    top: list[OxTriple] = []
    for s, p, o in triples:
        if isinstance(o, ox.BlankNode):
            parents[o.value] = parents.get(o.value, 0) + 1
        if isinstance(s, ox.BlankNode):
            below.setdefault(s.value, []).append((p, o))
            parents.setdefault(s.value, 0)
        else:
            top.append((s, p, o))
    if any(count != 1 for count in parents.values()):
        return None
    names: dict[str, str] = {}

    def term(node: Any) -> str:
        if not isinstance(node, ox.BlankNode):
            return str(node)
        if node.value not in names:
            lines = sorted(f"{p} {term(o)}" for p, o in below.get(node.value, []))
            names[node.value] = hashlib.sha256("\n".join(lines).encode()).hexdigest()
        return names[node.value]

    try:
        lines = sorted(f"{s} {p} {term(o)}" for s, p, o in top)
    except RecursionError:
        return None
    if len(names) != len(parents):  # blank nodes not reachable from the top: a cycle
        return None
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()
