"""API speed at scale: the running ``trialgraph serve`` beside pyoxigraph itself.

For each size (trials): generate the synthetic graph through the project's model
(:mod:`benchmarks.synthetic`), bulk-load it into an on-disk embedded store and optimise it;
then, in this one process run,

1. record the exact SPARQL each API request sends to the store (an in-process app on a
   recording store), and time those queries directly on a raw ``pyoxigraph.Store``
   (same query text, same substitutions, results consumed or serialised as the API does);
2. close the store, start the real server (``trialgraph serve`` subprocess on 127.0.0.1)
   on it, and time the same requests over HTTP with httpx (keep-alive, one client);
3. print p50/p95 for both and the ratio of the p50s.

    python -m benchmarks --sizes 1000,10000 --repeat 100
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
                list(result)

    return run


def _sparql_direct(store: ox.Store) -> Callable[[], None]:
    def run() -> None:
        result = store.query(_SPARQL, use_default_graph_as_union=True)
        assert isinstance(result, ox.QuerySolutions)
        result.serialize(format=ox.QueryResultsFormat.JSON)

    return run


def timings(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """p50 and p95 in milliseconds (after two warm-up calls)."""
    fn()
    fn()
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(0.95 * len(samples)))]


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


def time_direct(path: Path, todo: list[Case], repeat: int) -> dict[str, tuple[float, float]]:
    """p50/p95 of each case's queries run on a raw pyoxigraph store, no HTTP, no API code."""
    raw = ox.Store(str(path))
    direct: dict[str, tuple[float, float]] = {}
    for case in todo:
        fn = _sparql_direct(raw) if case.path == "/sparql" else _direct(raw, case.calls)
        direct[case.name] = timings(fn, repeat)
    return direct


def run_size(n: int, workdir: Path, repeat: int) -> list[tuple[str, float, float, float, float]]:
    path = build_store(n, workdir)
    todo = cases(f"nct{10_000_000 + n // 2:08d}")
    record(path, todo)
    direct = time_direct(path, todo, repeat)
    gc.collect()  # the raw store must be gone: RocksDB allows one writer process
    rows = []
    with server(path) as base, httpx.Client(base_url=base, timeout=60) as client:
        for case in todo:

            def call(case: Case = case) -> None:
                response = client.get(case.path, params=case.params, headers=case.headers)
                response.raise_for_status()

            api = timings(call, repeat)
            d = direct[case.name]
            rows.append((case.name, api[0], api[1], d[0], d[1]))
    return rows


def print_table(n: int, rows: list[tuple[str, float, float, float, float]]) -> None:
    print(f"\n{n:,} trials")
    print("| request | API p50 ms | API p95 ms | direct p50 ms | direct p95 ms | ratio p50 |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, a50, a95, d50, d95 in rows:
        print(
            f"| {name} | {a50:.2f} | {a95:.2f} | {d50:.2f} | {d95:.2f} | "
            f"{a50 / d50 if d50 else float('inf'):.2f}x |",
            flush=True,
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
        print_table(n, run_size(n, workdir, args.repeat))


if __name__ == "__main__":
    main()
