"""Real clients against a real ``trialgraph serve`` process on an on-disk Oxigraph store.

SPARQLWrapper, rdflib's SPARQLStore and plain httpx talk HTTP to the uvicorn subprocess
started by :func:`helpers_api.running_server`; queries go through the killable worker.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from helpers_api import running_server
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from trialgraph.store import get_store

TOKEN = "client-test-token"
DATA = (
    "\n".join(f"<http://example.org/t{i}> <http://example.org/p> {i} ." for i in range(1, 6))
    + '\n<http://example.org/t1> <http://www.w3.org/2000/01/rdf-schema#label> "first trial" .\n'
)
SELECT = "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o } ORDER BY ?o"
CONSTRUCT = "CONSTRUCT { ?s <http://example.org/q> ?o } WHERE { ?s <http://example.org/p> ?o }"


def make_store(path: Path, data: str = DATA) -> str:
    location = f"oxigraph:{path}"
    store = get_store(location)
    store.load(data.encode(), fmt="turtle", graph="http://example.org/graph/test")
    store.close()
    return location


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    location = make_store(tmp_path_factory.mktemp("clients") / "store")
    env = {"TRIALGRAPH_MAX_BODY_BYTES": "65536", "TRIALGRAPH_CORS_ORIGINS": "https://ui.example"}
    with running_server(location, update_token=TOKEN, extra_env=env) as base:
        yield base


def converted(sw: SPARQLWrapper) -> dict[str, Any]:
    """SPARQLWrapper's JSON answer, typed (its convert() is typed as a union)."""
    return cast(dict[str, Any], sw.query().convert())


def count(base: str) -> int:
    response = httpx.get(f"{base}/sparql", params={"query": "SELECT (COUNT(*) AS ?n) {?s ?p ?o}"})
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_sparqlwrapper_select_ask_construct(server: str) -> None:
    sw = SPARQLWrapper(f"{server}/sparql")
    sw.setQuery(SELECT)
    sw.setReturnFormat(JSON)
    rows = converted(sw)["results"]["bindings"]
    assert [r["o"]["value"] for r in rows] == ["1", "2", "3", "4", "5"]

    sw.setQuery("ASK { <http://example.org/t1> ?p 1 }")
    assert converted(sw)["boolean"] is True

    sw.setQuery(CONSTRUCT)
    sw.setReturnFormat(TURTLE)
    turtle = sw.query().convert()
    graph = Graph().parse(data=turtle, format="turtle")  # type: ignore[arg-type]
    assert len(graph) == 5


def test_sparqlwrapper_post_method(server: str) -> None:
    sw = SPARQLWrapper(f"{server}/sparql")
    sw.setMethod("POST")
    sw.setQuery("SELECT ?l { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }")
    sw.setReturnFormat(JSON)
    rows = converted(sw)["results"]["bindings"]
    assert rows[0]["l"]["value"] == "first trial"


def test_rdflib_sparqlstore(server: str) -> None:
    graph = Graph(store=SPARQLStore(f"{server}/sparql", returnFormat="xml"))
    try:
        rows = list(graph.query(SELECT))
        assert [int(row[1]) for row in rows] == [1, 2, 3, 4, 5]  # type: ignore[index, arg-type]
        assert (URIRef("http://example.org/t1"), None, None) in graph
    finally:
        graph.close()


@pytest.mark.parametrize(
    "media",
    ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
     "text/tab-separated-values"],
)  # fmt: skip
def test_httpx_result_formats(server: str, media: str) -> None:
    response = httpx.get(f"{server}/sparql", params={"query": SELECT}, headers={"accept": media})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert "Accept" in response.headers["vary"]
    if media == "text/csv":
        assert len(list(csv.reader(io.StringIO(response.text)))) == 6


@pytest.mark.parametrize(
    ("media", "fmt"),
    [("text/turtle", "turtle"), ("application/n-triples", "nt"),
     ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")],
)  # fmt: skip
def test_httpx_graph_formats(server: str, media: str, fmt: str) -> None:
    response = httpx.post(
        f"{server}/sparql", content=CONSTRUCT,
        headers={"content-type": "application/sparql-query", "accept": media},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert len(Graph().parse(data=response.content, format=fmt)) == 5


def test_httpx_q_values_and_406(server: str) -> None:
    accept = "application/sparql-results+json;q=0.2, text/csv;q=0.9, */*;q=0.1"
    response = httpx.get(f"{server}/sparql", params={"query": SELECT}, headers={"accept": accept})
    assert response.headers["content-type"].startswith("text/csv")
    refused = httpx.get(f"{server}/sparql", params={"query": SELECT},
                        headers={"accept": "image/png"})  # fmt: skip
    assert refused.status_code == 406
    assert "text/csv" in refused.json()["detail"]


def test_malformed_sparql_gives_the_parser_message(server: str) -> None:
    response = httpx.get(f"{server}/sparql", params={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert response.status_code == 400
    assert "malformed SPARQL: error at 1:" in response.json()["detail"]


def test_update_auth_and_nothing_changes_without_it(server: str) -> None:
    before = count(server)
    update = "INSERT DATA { GRAPH <http://example.org/g2> { <http://x/a> <http://x/b> 1 } }"
    headers = {"content-type": "application/sparql-update"}
    missing = httpx.post(f"{server}/sparql", content=update, headers=headers)
    wrong = httpx.post(f"{server}/sparql", content=update,
                       headers={**headers, "authorization": "Bearer nope"})  # fmt: skip
    assert (missing.status_code, wrong.status_code) == (401, 403)
    assert count(server) == before
    ok = httpx.post(f"{server}/sparql", content=update,
                    headers={**headers, "authorization": f"Bearer {TOKEN}"})  # fmt: skip
    assert ok.status_code == 204
    assert count(server) == before + 1  # the worker sees the write
    cleanup = httpx.post(f"{server}/sparql", data={"update": "DROP GRAPH <http://example.org/g2>"},
                         headers={"authorization": f"Bearer {TOKEN}"})  # fmt: skip
    assert cleanup.status_code == 204 and count(server) == before


def test_body_too_large_is_413(server: str) -> None:
    big = "ASK {} # " + "x" * 70_000
    response = httpx.post(f"{server}/sparql", content=big,
                          headers={"content-type": "application/sparql-query"})  # fmt: skip
    assert response.status_code == 413


def test_cors_headers_when_configured(server: str) -> None:
    response = httpx.get(f"{server}/sparql", params={"query": "ASK {}"},
                         headers={"origin": "https://ui.example"})  # fmt: skip
    assert response.headers["access-control-allow-origin"] == "https://ui.example"


UNSUPPORTED_FUNCTION = "PREFIX : <http://e/> SELECT (:f(1) AS ?x) {}"
DIRECT = {"content-type": "application/sparql-query"}


def test_no_stack_traces_anywhere(server: str) -> None:
    """Every error path answers a message, never a Python traceback."""
    responses = [
        httpx.get(f"{server}/sparql", params={"query": "SELEC"}),
        httpx.get(f"{server}/sparql", params={"query": "SELECT * { ?s ?p ?o }"},
                  headers={"accept": "image/png"}),
        httpx.get(f"{server}/sparql", params={"query": UNSUPPORTED_FUNCTION}),
        httpx.get(f"{server}/sparql", params={"update": "CLEAR ALL"}),
        httpx.put(f"{server}/sparql", content=b"x"),
        httpx.post(f"{server}/sparql", content=b"\x00\xff\xfe", headers=DIRECT),
        httpx.post(f"{server}/sparql", content=b"x", headers={"content-type": "image/png"}),
        httpx.post(f"{server}/sparql", data={"update": "CLEAR ALL"}),
        httpx.get(f"{server}/no/such/path"),
    ]  # fmt: skip
    for response in responses:
        assert 400 <= response.status_code < 500, (response.request.url, response.text)
        assert "Traceback" not in response.text and 'File "' not in response.text
        assert response.text.strip()
    assert json.loads(responses[2].text)["detail"].startswith("query failed:")
