"""Ingest throughput: the corpus replicated to >= 1,000 articles, stage by stage.

Rows (every row over the same texts, in the same run):

- ``baseline``: read the files and split them into sentences, nothing else: the floor
  any text pipeline pays, so the other rows read as multiples of it;
- ``extract``: :func:`extract_document` on texts already in memory;
- ``map``: Evidence -> triples -> N-Triples (:func:`trialgraph.rdf.evidence_triples`),
  what ingest does (no rdflib Graph);
- ``validate``: the SHACL shapes (and the quote check) on each article's triples;
- ``commit``: the N-Triples into a fresh embedded on-disk store, 32 articles a transaction;
- ``end to end``: ``Pipeline.run`` on the folder into another fresh embedded on-disk store
  (read, extract, map, validate, commit in batches of 32).

Per core, honestly: everything runs in ONE process on ONE thread (no parallelism), so
wall-clock MB/s is per core, as long as the core is not shared. The machine may be busy,
so the table also gives CPU seconds (``time.process_time``: this process, all its threads,
RocksDB's background ones included) and MB per CPU-second, which other load does not
inflate; the load average at the start is printed to judge the wall-clock figures.

The corpus is read from ``../shared/corpus/**/articles/*.txt`` (or ``--corpus``); copies
get distinct file names, so each is its own article graph. The target is >= 1 MB of text
per second per core end to end.

Run: ``python -m benchmarks.bench_ingest [--articles N]`` (or ``python -m benchmarks``).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trialgraph.model import Evidence
    from trialgraph.store._terms import OxTriple

__all__ = ["Row", "main", "measure"]

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
TARGET_MB_S = 1.0


@dataclass(frozen=True)
class Row:
    stage: str
    seconds: float
    cpu_seconds: float
    articles: int
    megabytes: float

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds

    @property
    def mb_per_s(self) -> float:
        return self.megabytes / self.seconds

    @property
    def mb_per_cpu_s(self) -> float:
        return self.megabytes / self.cpu_seconds if self.cpu_seconds > 0 else float("nan")


def _timed(work: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) taken by ``work``."""
    start, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - start, time.process_time() - cpu


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

    from trialgraph.rdf import evidence_triples
    from trialgraph.store import get_store
    from trialgraph.store._terms import to_ntriples

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
        commit_store = get_store(f"oxigraph:{Path(tmp, 'commit-store')}")
        try:
            pipeline = Pipeline(store)
            pipeline.ensure_reference_graphs()
            evidences: list[Evidence] = []
            triples: list[list[OxTriple]] = []
            texts: list[str] = []

            def extract() -> None:
                evidences.extend(pipeline.extract(doc) for doc in docs)

            def map_() -> None:
                for ev, doc in zip(evidences, docs, strict=True):
                    article = evidence_triples(
                        ev,
                        document_text=doc.text,
                        minter=pipeline.minter,
                        software_version=pipeline.version,
                        addon=pipeline.addon,
                    )
                    triples.append(article)
                    texts.append(to_ntriples(article))

            def validate() -> None:
                for doc, article, text in zip(docs, triples, texts, strict=True):
                    pipeline.validate(article, ntriples=text, article_text=doc.text)

            def commit() -> None:
                names = [str(pipeline.minter.article_graph(f"bench-{i}")) for i in range(count)]
                for i in range(0, count, pipeline.batch_size):
                    batch = range(i, min(count, i + pipeline.batch_size))
                    commit_store.replace_graphs_ntriples({names[j]: texts[j] for j in batch})

            rows = [Row("baseline (read + split)", *_timed(baseline), count, megabytes)]
            rows.append(Row("extract", *_timed(extract), count, megabytes))
            rows.append(Row("map to RDF (N-Triples)", *_timed(map_), count, megabytes))
            rows.append(Row("SHACL validate", *_timed(validate), count, megabytes))
            rows.append(Row("commit (batches of 32)", *_timed(commit), count, megabytes))
            summary = None

            def end_to_end() -> None:
                nonlocal summary
                summary = pipeline.run([folder])

            rows.append(Row("end to end (into disk store)", *_timed(end_to_end), count, megabytes))
            assert summary is not None and summary.errors == 0, "benchmark articles failed"
        finally:
            store.close()
            commit_store.close()
    return rows


def render(rows: Sequence[Row]) -> str:
    base = rows[0]
    lines = [
        f"{'stage':30} {'seconds':>8} {'cpu s':>7} {'articles/s':>11} {'MB/s':>7} "
        f"{'MB/cpu-s':>9} {'x baseline':>11}"
    ]
    for row in rows:
        lines.append(
            f"{row.stage:30} {row.seconds:8.2f} {row.cpu_seconds:7.2f} "
            f"{row.articles_per_s:11.1f} {row.mb_per_s:7.3f} {row.mb_per_cpu_s:9.3f} "
            f"{row.seconds / base.seconds:11.1f}"
        )
    end = rows[-1]
    verdict = "meets" if end.mb_per_s >= TARGET_MB_S else "misses"
    lines.append(
        f"{end.articles} articles, {end.megabytes:.2f} MB; one process, one thread, so these "
        f"are per-core figures. End to end {end.mb_per_s:.3f} MB/s wall "
        f"({end.mb_per_cpu_s:.3f} MB per CPU-second) {verdict} the {TARGET_MB_S} MB/s target"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average at start: {load} ({os.cpu_count()} CPUs)", flush=True)
    print(render(measure(args.articles, args.corpus)))


if __name__ == "__main__":
    main()
