"""Ingest throughput: the corpus replicated to >= 1,000 articles, stage by stage.

Rows (one process, one core; every row over the same texts, in the same run):

- ``baseline``: read the files and split them into sentences, nothing else: the floor
  any text pipeline pays, so the other rows read as multiples of it;
- ``extract``: :func:`extract_document` on texts already in memory;
- ``map``: Evidence -> RDF (:func:`trialgraph.rdf.evidence_to_graph`);
- ``validate``: the SHACL shapes on each article graph;
- ``end to end``: ``Pipeline.run`` on the folder into an embedded on-disk Oxigraph store
  (read, extract, map, validate, one transaction per article).

The corpus is read from ``../shared/corpus/**/articles/*.txt`` (or ``--corpus``); copies
get distinct file names, so each is its own article graph. The target is >= 1 MB of text
per second per core end to end.

Run: ``python -m benchmarks.bench_ingest [--articles N]`` (or ``python -m benchmarks``).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib import Graph

    from trialgraph.model import Evidence

__all__ = ["Row", "main", "measure"]

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
TARGET_MB_S = 1.0


@dataclass(frozen=True)
class Row:
    stage: str
    seconds: float
    articles: int
    megabytes: float

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds

    @property
    def mb_per_s(self) -> float:
        return self.megabytes / self.seconds


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def replicate(corpus: Path, folder: Path, count: int) -> list[Path]:
    """Write ``count`` article files cycling over the corpus texts (distinct names)."""
    sources = sorted(corpus.glob("**/articles/*.txt"))
    if not sources:
        raise SystemExit(f"no corpus articles under {corpus}")
    texts = [p.read_bytes() for p in sources]
    paths = []
    for i in range(count):
        path = folder / f"{i:05d}-{sources[i % len(sources)].name}"
        path.write_bytes(texts[i % len(texts)])
        paths.append(path)
    return paths


def measure(count: int, corpus: Path = DEFAULT_CORPUS) -> list[Row]:
    """Time every stage on ``count`` replicated articles; returns the table rows."""
    from trialgraph.ingest.extract.sentences import split_sentences
    from trialgraph.ingest.pipeline import Pipeline
    from trialgraph.ingest.sources.document import Document
    from trialgraph.ingest.sources.readers import read_file

    from trialgraph.rdf import evidence_to_graph
    from trialgraph.store import get_store

    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        folder = Path(tmp, "articles")
        folder.mkdir()
        paths = replicate(corpus, folder, count)
        megabytes = sum(p.stat().st_size for p in paths) / 1e6

        def baseline() -> None:
            for path in paths:
                split_sentences(path.read_text("utf-8"))

        docs: list[Document] = []
        for path in paths:
            doc = read_file(path)
            assert isinstance(doc, Document), doc
            docs.append(doc)
        store = get_store(f"oxigraph:{Path(tmp, 'store')}")
        try:
            pipeline = Pipeline(store)
            pipeline.ensure_reference_graphs()
            evidences: list[Evidence] = []
            graphs: list[Graph] = []

            def extract() -> None:
                evidences.extend(pipeline.extract(doc) for doc in docs)

            def map_() -> None:
                graphs.extend(
                    evidence_to_graph(
                        ev,
                        document_text=doc.text,
                        minter=pipeline.minter,
                        software_version=pipeline.version,
                        addon=pipeline.addon,
                    )
                    for ev, doc in zip(evidences, docs, strict=True)
                )

            def validate() -> None:
                for doc, graph in zip(docs, graphs, strict=True):
                    pipeline.validate(graph, article_text=doc.text)

            rows = [Row("baseline (read + split)", _timed(baseline), count, megabytes)]
            rows.append(Row("extract", _timed(extract), count, megabytes))
            rows.append(Row("map to RDF", _timed(map_), count, megabytes))
            rows.append(Row("SHACL validate", _timed(validate), count, megabytes))
            summary = None

            def end_to_end() -> None:
                nonlocal summary
                summary = pipeline.run([folder])

            rows.append(Row("end to end (into disk store)", _timed(end_to_end), count, megabytes))
            assert summary is not None and summary.errors == 0, "benchmark articles failed"
        finally:
            store.close()
    return rows


def render(rows: Sequence[Row]) -> str:
    base = rows[0]
    lines = [f"{'stage':32} {'seconds':>8} {'articles/s':>11} {'MB/s':>8} {'x baseline':>11}"]
    for row in rows:
        lines.append(
            f"{row.stage:32} {row.seconds:8.2f} {row.articles_per_s:11.1f} "
            f"{row.mb_per_s:8.3f} {row.seconds / base.seconds:11.1f}"
        )
    end = rows[-1]
    verdict = "meets" if end.mb_per_s >= TARGET_MB_S else "misses"
    lines.append(
        f"{end.articles} articles, {end.megabytes:.2f} MB; end to end {end.mb_per_s:.3f} MB/s "
        f"per core {verdict} the {TARGET_MB_S} MB/s target"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)
    print(render(measure(args.articles, args.corpus)))


if __name__ == "__main__":
    main()
