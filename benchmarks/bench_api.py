"""API speed at scale: the running ``trialgraph serve`` beside pyoxigraph itself.

For each size (trials): generate the synthetic graph through the project's model
(:mod:`benchmarks.synthetic`), bulk-load it into an on-disk embedded store and optimise it;
then, in this one process run,

1. record the exact SPARQL each API request sends to the store (an in-process app on a
   recording store): these are what "direct" runs, on a raw ``pyoxigraph.Store`` (same
   query texts, same substitutions, every row materialised as a tuple of terms, or the
   results serialised to SPARQL JSON where the API sends the store's bytes);
2. close the store, start the real server (``trialgraph serve`` subprocess on 127.0.0.1,
   no access log) on it, open the store read-only beside it, and time each request over
   HTTP (httpx, keep-alive, one client) and its direct queries in alternation, sample by
   sample, so load from other processes on the machine hits both columns alike;
3. print p50/p95 for both, the ratio of the p50s, the first (cold) API request, the
   direct cost of the list total alone (the API reuses a total for 30 s, so its steady
   state runs only the page queries; the first request of a filter pays the count), and a
   bare HTTP round trip (``/health``: one ``ASK {}``) as the floor any request pays.

    python -m benchmarks.bench_api --sizes 1000,10000,100000 --repeat 100
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
from rdflib.term import Node

from trialgraph.store._terms import to_oxigraph
from trialgraph.store.oxigraph_store import OxigraphStore

__all__ = ["Case", "main", "run_size"]

BASE = "https://w3id.org/trialgraph/"
_SPARQL = (
    "PREFIX tg: <https://w3id.org/trialgraph/ontology#>\n"
    "SELECT ?trial ?name WHERE { ?arm tg:addsDrug <" + BASE + "id/drug/pertuzumab> . "
    "?trial tg:hasArm ?arm . ?trial tg:trialName ?name } LIMIT 50"
)


@dataclass
class Case:
    """One API request and the store calls it makes (recorded, then replayed directly)."""

    name: str
    path: str
    params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    calls: list[tuple[str, str, Mapping[str, Node] | None]] = field(default_factory=list)
    #: why the case could not be measured (the request failed in-process)
    error: str = ""


def cases(trial_key: str) -> list[Case]:
    drug = f"{BASE}id/drug/pertuzumab"
    tg = "https://w3id.org/trialgraph/ontology#"
    return [
        Case("GET /trials/{id}", f"/trials/{trial_key}"),
        Case(
            "GET /trials?adds&hormone_receptor",
            "/trials",
            {"adds": "pertuzumab", "hormone_receptor": "positive"},
        ),
        Case("GET /results?endpoint=PFS", "/results", {"endpoint": "PFS"}),
        Case(
            "GET /queries/trials_adding_drug",
            "/queries/trials_adding_drug",
            {"drug": drug, "hormoneReceptor": tg + "HormoneReceptorPositive"},
        ),
        Case(
            "GET /queries/trial_results",
            "/queries/trial_results",
            {"trial": f"{BASE}id/trial/{trial_key}"},
        ),
        Case(
            "GET /queries/endpoint_comparisons",
            "/queries/endpoint_comparisons",
            {"endpoint": f"{BASE}id/endpoint/pfs", "measure": tg + "HazardRatio"},
        ),
        Case(
            "GET /queries/trials_using_drug_class",
            "/queries/trials_using_drug_class",
            {"drugClass": tg + "HER2TargetedTherapy"},
        ),
        Case(
            "GET /queries/trials_by_population",
            "/queries/trials_by_population",
            {
                "her2": tg + "HER2Positive",
                "hormoneReceptor": tg + "HormoneReceptorPositive",
                "setting": tg + "Metastatic",
            },
        ),
        Case(
            "GET /sparql (SELECT)",
            "/sparql",
            {"query": _SPARQL},
            {"accept": "application/sparql-results+json"},
        ),
    ]


class _Recorder:
    """Wraps a store and records the queries routes send (method, text, bindings)."""

    def __init__(self, inner: OxigraphStore) -> None:
        self.inner = inner
        self.calls: list[tuple[str, str, Mapping[str, Node] | None]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def select(
        self,
        query: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        timeout: float | None = None,
    ) -> list[dict[str, Node]]:
        self.calls.append(("select", query, bindings))
        return self.inner.select(query, bindings=bindings, timeout=timeout)

    def query_bytes(self, query: str, **kwargs: Any) -> Any:
        self.calls.append(("bytes", query, kwargs.get("bindings")))
        return self.inner.query_bytes(query, **kwargs)


def build_store(n: int, workdir: Path) -> Path:
    """Generate and bulk-load ``n`` synthetic trials (reused when already built)."""
    from trialgraph.ontology.catalogue import load_catalogue

    from benchmarks.synthetic import write_nquads

    path = workdir / f"store-{n}"
    if (path / "READY").exists():
        return path
    shutil.rmtree(path, ignore_errors=True)
    dump = workdir / f"synthetic-{n}.nq"
    t0 = time.perf_counter()
    with dump.open("w", encoding="utf-8") as out:
        quads = write_nquads(n, out, base_iri=BASE)
        catalogue = load_catalogue().to_graph(BASE)
        name = f"<{BASE}graph/catalogue>"
        out.writelines(f"{s.n3()} {p.n3()} {o.n3()} {name} .\n" for s, p, o in catalogue)
    t1 = time.perf_counter()
    store = OxigraphStore(str(path))
    store.bulk_load_file(str(dump), fmt="nquads")
    store.optimize()
    store.close()
    t2 = time.perf_counter()
    dump.unlink()
    (path / "READY").write_text(f"{quads}\n")
    print(
        f"  built {n} trials: {quads} quads, generated in {t1 - t0:.0f} s, "
        f"loaded + optimised in {t2 - t1:.0f} s",
        flush=True,
    )
    return path


def record(path: Path, todo: list[Case]) -> None:
    """Run each case once in-process on a recording store to learn its exact queries."""
    from fastapi.testclient import TestClient
    from trialgraph.api.app import create_app

    from trialgraph.config import Settings

    inner = OxigraphStore(str(path))
    recorder = _Recorder(inner)
    settings = Settings(store=f"oxigraph:{path}")
    app = create_app(settings, store=recorder)
    with TestClient(app, raise_server_exceptions=False) as client:
        for case in todo:
            recorder.calls = []
            response = client.get(case.path, params=case.params, headers=case.headers)
            if response.status_code != 200:
                case.error = f"{response.status_code} {response.text[:200]}"
            case.calls = list(recorder.calls)
    inner.close()
    del app, recorder, inner
    gc.collect()


def _direct(
    store: ox.Store, calls: list[tuple[str, str, Mapping[str, Node] | None]]
) -> Callable[[], None]:
    prepared = [
        (kind, text, {ox.Variable(k): to_oxigraph(v) for k, v in (b or {}).items()})
        for kind, text, b in calls
    ]

    def run() -> None:
        for kind, text, subs in prepared:
            result = store.query(text, substitutions=subs or None, use_default_graph_as_union=True)
            assert isinstance(result, ox.QuerySolutions)
            if kind == "bytes":
                result.serialize(format=ox.QueryResultsFormat.JSON)
            else:
                [tuple(solution) for solution in result]  # every row and term, as a caller reads

    return run


def _sparql_direct(store: ox.Store) -> Callable[[], None]:
    def run() -> None:
        result = store.query(_SPARQL, use_default_graph_as_union=True)
        assert isinstance(result, ox.QuerySolutions)
        result.serialize(format=ox.QueryResultsFormat.JSON)

    return run


def _p50_p95(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples), samples[min(len(samples) - 1, int(0.95 * len(samples)))]


def _once(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def timings(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """p50 and p95 in milliseconds (after two warm-up calls)."""
    fn()
    fn()
    return _p50_p95([_once(fn) for _ in range(repeat)])


def paired_timings(
    a: Callable[[], object], b: Callable[[], object], repeat: int
) -> tuple[tuple[float, float], tuple[float, float]]:
    """p50/p95 of ``a`` and of ``b``, sampled alternately (after two warm-ups each)."""
    for fn in (a, b, a, b):
        fn()
    samples_a, samples_b = [], []
    for _ in range(repeat):
        samples_a.append(_once(a))
        samples_b.append(_once(b))
    return _p50_p95(samples_a), _p50_p95(samples_b)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def server(path: Path) -> Iterator[str]:
    """A real ``trialgraph serve`` on the store; always stopped."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIALGRAPH_")}
    log = (path.parent / f"serve-{port}.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "trialgraph.cli",
            "serve",
            "--store",
            f"oxigraph:{path}",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"server did not start; see {log.name}")
            time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def _is_total(query: str) -> bool:
    """The list total (``COUNT(DISTINCT ...) AS ?total``), which the API reuses for 30 s."""
    return "(COUNT(DISTINCT" in query and "AS ?total)" in query


Call = tuple[str, str, Mapping[str, Node] | None]
Timing = tuple[float, float]
Row = tuple[str, float, float, float, Timing, Timing | None]


def _direct_for(raw: ox.Store, case: Case) -> tuple[Callable[[], None], list[Call]]:
    """The direct work of a steady-state request, and the list-total queries apart."""
    if case.path == "/sparql":
        return _sparql_direct(raw), []
    page = [c for c in case.calls if not _is_total(c[1])]
    return _direct(raw, page), [c for c in case.calls if _is_total(c[1])]


def run_size(n: int, workdir: Path, repeat: int) -> tuple[list[Row], Timing]:
    """The rows of the table, and ``/health`` (the bare HTTP round trip) for context."""
    path = build_store(n, workdir)
    todo = cases(f"nct{10_000_000 + n // 2:08d}")
    record(path, todo)
    gc.collect()  # the recording store must be gone: RocksDB allows one writer process
    rows: list[Row] = []
    with server(path) as base, httpx.Client(base_url=base, timeout=60) as client:
        raw = ox.Store.read_only(str(path))  # beside the server, as its query workers do
        health = timings(lambda: client.get("/health").raise_for_status(), repeat)
        for case in todo:

            def call(case: Case = case) -> None:
                response = client.get(case.path, params=case.params, headers=case.headers)
                response.raise_for_status()

            direct, totals = _direct_for(raw, case)
            first = _once(call)  # the first request: cold caches, the total counted for real
            api, steady = paired_timings(call, direct, repeat)
            total = timings(_direct(raw, totals), max(5, repeat // 10)) if totals else None
            rows.append((case.name, api[0], api[1], first, steady, total))
        del raw
    return rows, health


def print_table(n: int, rows: list[Row], health: Timing) -> None:
    print(f"\n{n:,} trials")
    print(
        "| request | API p50 ms | API p95 ms | API first ms | direct p50 ms | direct p95 ms "
        "| ratio p50 | total count alone, direct p50 ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, a50, a95, first, (d50, d95), total in rows:
        count = f"{total[0]:.2f}" if total else "-"
        print(
            f"| {name} | {a50:.2f} | {a95:.2f} | {first:.2f} | {d50:.2f} | {d95:.2f} | "
            f"{a50 / d50 if d50 else float('inf'):.2f}x | {count} |",
            flush=True,
        )
    print(
        f"Bare HTTP round trip (GET /health, one ASK {{}}): p50 {health[0]:.2f} ms, "
        f"p95 {health[1]:.2f} ms."
    )
    print(
        "API totals are reused for 30 s (api/routes/rest_sparql.py CountCache): the steady "
        "state runs the page queries only; the first request of a filter also pays the count."
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated trial counts")
    parser.add_argument("--repeat", type=int, default=100, help="timed requests per case")
    parser.add_argument("--workdir", default="/tmp/trialgraph-bench", help="stores go here")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore", DeprecationWarning)  # TestClient's httpx notice
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    for n in (int(s) for s in args.sizes.split(",")):
        print_table(n, *run_size(n, workdir, args.repeat))


if __name__ == "__main__":
    main()
