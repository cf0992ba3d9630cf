"""The store commands, run as real ``trialgraph`` subprocesses against every backend."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import OxigraphServer, free_port
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

TRIALGRAPH = Path(sys.executable).parent / "trialgraph"
TTL = """@prefix ex: <http://example.org/> .
@prefix tg: <https://w3id.org/trialgraph/ontology#> .
ex:t1 a tg:Trial ; ex:name "Alpha" ; ex:size 120 .
ex:t2 a tg:Trial ; ex:name "Beta" .
ex:r1 a tg:Result ; ex:of ex:t1 .
"""
GRAPH = "http://example.org/graph/cli"


def run(
    *args: str, store: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIALGRAPH_")}
    if store is not None:
        env["TRIALGRAPH_STORE"] = store
    return subprocess.run(
        [str(TRIALGRAPH), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=cwd,
    )


@pytest.fixture
def ttl_file(tmp_path: Path) -> Path:
    path = tmp_path / "trials.ttl"
    path.write_text(TTL, encoding="utf-8")
    return path


def _stores(tmp_path: Path, server: OxigraphServer) -> dict[str, str]:
    return {"oxigraph": f"oxigraph:{tmp_path / 'db'}", "remote": server.location()}


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["oxigraph", "remote"])
def test_load_query_export_stats(
    kind: str, tmp_path: Path, ttl_file: Path, oxigraph_server: OxigraphServer
) -> None:
    store = _stores(tmp_path, oxigraph_server)[kind]
    if kind == "remote":
        run("query", "ASK {}", store=store)  # reachable
        import httpx

        httpx.post(f"{oxigraph_server.url}/update", data={"update": "DROP ALL"}, timeout=10)
    loaded = run("load", str(ttl_file), "--graph", GRAPH, store=store)
    assert loaded.returncode == 0, loaded.stderr
    assert "loaded 7 statements" in loaded.stdout

    table = run(
        "query", "SELECT ?n WHERE { ?t <http://example.org/name> ?n } ORDER BY ?n", store=store
    )
    assert table.returncode == 0, table.stderr
    assert "Alpha" in table.stdout and "Beta" in table.stdout and "2 row(s)" in table.stdout

    csv_out = run(
        "query",
        "SELECT ?n WHERE { ?t <http://example.org/name> ?n } ORDER BY ?n",
        "--format",
        "csv",
        "--store",
        store,
    )
    assert csv_out.stdout.splitlines() == ["n", "Alpha", "Beta"]

    construct = run("query", "CONSTRUCT WHERE { ?t <http://example.org/name> ?n }", store=store)
    assert len(Graph().parse(data=construct.stdout, format="turtle")) == 2

    out = tmp_path / "dump.trig"
    exported = run("export", "--format", "trig", "--output", str(out), store=store)
    assert exported.returncode == 0, exported.stderr
    ds = Dataset()
    ds.parse(out, format="trig")
    assert isomorphic(ds.graph(GRAPH), Graph().parse(data=TTL, format="turtle"))

    stdout_export = run("export", "--format", "ntriples", "--graph", GRAPH, store=store)
    assert len(Graph().parse(data=stdout_export.stdout, format="nt")) == 7

    stats = run("stats", store=store)
    assert stats.returncode == 0, stats.stderr
    assert "graphs:  1" in stats.stdout
    assert "triples: 7" in stats.stdout
    assert "trials:  2" in stats.stdout
    assert "results: 1" in stats.stdout


@pytest.mark.slow
def test_memory_store_runs_each_command(ttl_file: Path) -> None:
    """memory: lives in one process, so each command sees its own empty store."""
    loaded = run("load", str(ttl_file), "--graph", GRAPH, store="memory:")
    assert loaded.returncode == 0 and "loaded 7 statements" in loaded.stdout
    table = run("query", "SELECT * WHERE { ?s ?p ?o }", "--format", "json", store="memory:")
    assert table.returncode == 0 and '"bindings":[]' in table.stdout.replace(" ", "")
    assert run("export", "--format", "turtle", store="memory:").returncode == 0


@pytest.mark.slow
def test_named_query_with_params(tmp_path: Path, oxigraph_server: OxigraphServer) -> None:
    store = f"oxigraph:{tmp_path / 'db'}"
    data = tmp_path / "drugs.ttl"
    data.write_text(
        "@prefix tg: <https://w3id.org/trialgraph/ontology#> .\n"
        "<http://example.org/arm1> tg:hasIntervention <http://example.org/drugA> .\n"
        '<http://example.org/t1> tg:hasArm <http://example.org/arm1> ; tg:trialName "T1" .\n',
        encoding="utf-8",
    )
    assert run("load", str(data), store=store).returncode == 0
    hit = run(
        "query",
        "trials_using_drug",
        "--param",
        "drug=http://example.org/drugA",
        "--format",
        "csv",
        store=store,
    )
    assert hit.returncode == 0, hit.stderr
    assert "http://example.org/t1" in hit.stdout
    miss = run(
        "query",
        "trials_using_drug",
        "--param",
        "drug=http://example.org/drugB",
        "--format",
        "csv",
        store=store,
    )
    assert "http://example.org/t1" not in miss.stdout


def _one_line_error(result: subprocess.CompletedProcess[str], needle: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error:") and needle in lines[0], lines[0]


@pytest.mark.slow
def test_errors_are_one_line(
    tmp_path: Path, ttl_file: Path, oxigraph_server: OxigraphServer
) -> None:
    store = f"oxigraph:{tmp_path / 'db'}"
    _one_line_error(run("load", str(tmp_path / "missing.ttl"), store=store), "no such file")
    odd = tmp_path / "data.xyz"
    odd.write_text("x", encoding="utf-8")
    _one_line_error(run("load", str(odd), store=store), "--format")
    _one_line_error(run("load", str(ttl_file), "--format", "yaml", store=store), "unknown format")
    binary = tmp_path / "binary.ttl"
    binary.write_bytes(b"\x00\xff\xfe\x01garbage")
    _one_line_error(run("load", str(binary), store=store), "cannot parse")
    _one_line_error(run("query", "SELECT * WHERE { ?s ?p", store=store), "malformed SPARQL")
    port = free_port()
    _one_line_error(
        run("query", "ASK {}", store=f"sparql+http://127.0.0.1:{port}/query"), "cannot reach"
    )
    _one_line_error(
        run("load", str(ttl_file), store=oxigraph_server.read_only_location()), "read-only"
    )
    _one_line_error(run("stats", store="nosuch:thing"), "valid forms")
    _one_line_error(
        run("query", "trials_using_drug", "--param", "drug=not an iri", store=store), "drug"
    )
    # nothing was written by the failed loads
    assert "triples: 0" in run("stats", store=store).stdout
