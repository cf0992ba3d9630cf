"""The SPARQL endpoint in-process (TestClient over an in-memory Oxigraph store).

Fast checks of the protocol surface: conneg, errors, update auth, limits, CORS, body size,
service description and the YASGUI page. The real-process behaviour (killable worker,
real clients, W3C suites) is in test_api_clients*.py and test_api_w3c*.py.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from trialgraph.api.app import create_app
from trialgraph.api.negotiation import FORMATS, negotiate, parse_accept
from trialgraph.api.row_cap import TRUNCATED_HEADER, truncation_marker
from trialgraph.api.sparql_text import add_using_clauses, has_dataset_clause

from trialgraph.config import Settings
from trialgraph.errors import NotAcceptable
from trialgraph.store import get_store
from trialgraph.store.base import Store

DATA = """
@prefix ex: <http://example.org/> .
ex:a ex:p 1 . ex:b ex:p 2 . ex:c ex:p 3 .
ex:a ex:label "alpha, \\"quoted\\"\\nline two" .
"""
SELECT = "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o } ORDER BY ?o"
CONSTRUCT = "CONSTRUCT { ?s <http://example.org/q> ?o } WHERE { ?s <http://example.org/p> ?o }"
SD = "http://www.w3.org/ns/sparql-service-description#"


@pytest.fixture
def store() -> Iterator[Store]:
    s = get_store("oxigraph:")
    s.load(DATA.encode(), fmt="turtle", graph="http://example.org/graph/one")
    yield s
    s.close()


def client_for(store: Store, **settings: object) -> TestClient:
    return TestClient(create_app(Settings(**settings), store), raise_server_exceptions=False)


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    with client_for(store, update_token="s3cret") as c:
        yield c


# ---------------------------------------------------------------- negotiation


def test_accept_q_values_pick_the_highest_and_ties_go_to_route_order() -> None:
    assert negotiate("text/turtle;q=0.5, application/ld+json", ["turtle", "jsonld"]).key == "jsonld"
    assert negotiate("*/*", ["turtle", "jsonld"]).key == "turtle"
    assert negotiate(None, ["jsonld", "turtle"]).key == "jsonld"
    # the more specific range decides: text/* at 0.9 but text/csv refused explicitly
    assert negotiate("text/*;q=0.9, text/csv;q=0", ["csv", "tsv"]).key == "tsv"
    assert [(i.media_range, i.q) for i in parse_accept("a/b;q=x, c/d;q=2")] == [
        ("a/b", 0.0),
        ("c/d", 1.0),
    ]


def test_format_parameter_overrides_accept_and_unknown_formats_are_406() -> None:
    assert negotiate(
        "application/sparql-results+json", ["json", "xml"], format_param="srx"
    ).key == ("xml")
    with pytest.raises(NotAcceptable, match="available"):
        negotiate("image/png", ["json", "xml"])
    with pytest.raises(NotAcceptable, match="not offered"):
        negotiate(None, ["json"], format_param="turtle")


# ---------------------------------------------------------------- queries


@pytest.mark.parametrize("key", ["json", "xml", "csv", "tsv"])
def test_select_in_every_result_format_by_accept_and_by_format(
    client: TestClient, key: str
) -> None:
    media = FORMATS[key].media_type
    by_accept = client.get("/sparql", params={"query": SELECT}, headers={"accept": media})
    by_param = client.get("/sparql", params={"query": SELECT, "format": key})
    for response in (by_accept, by_param):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].split(";")[0] == media
        assert response.headers["vary"] == "Accept"
    assert by_accept.content == by_param.content
    if key == "csv":
        rows = list(csv.reader(io.StringIO(by_accept.text)))
        assert rows[0] == ["s", "o"] and [r[1] for r in rows[1:]] == ["1", "2", "3"]
    if key == "json":
        values = [b["o"]["value"] for b in by_accept.json()["results"]["bindings"]]
        assert values == ["1", "2", "3"]


@pytest.mark.parametrize(
    ("key", "rdflib_format"),
    [("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld"), ("rdfxml", "xml")],
)
def test_construct_in_every_graph_format(client: TestClient, key: str, rdflib_format: str) -> None:
    media = FORMATS[key].media_type
    response = client.post(
        "/sparql", content=CONSTRUCT, headers={"content-type": "application/sparql-query",
                                                "accept": media},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media
    graph = Graph().parse(data=response.content, format=rdflib_format)
    assert len(graph) == 3
    assert (URIRef("http://example.org/a"), URIRef("http://example.org/q"), None) in graph


def test_ask_by_post_form(client: TestClient) -> None:
    response = client.post("/sparql", data={"query": "ASK { ?s ?p 2 }"})
    assert response.status_code == 200
    assert response.json()["boolean"] is True


def test_unacceptable_accept_is_406_with_the_available_list(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SELECT}, headers={"accept": "image/png"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.json()["detail"]


def test_graph_uris_restrict_the_dataset(client: TestClient, store: Store) -> None:
    store.load(b"<http://x/s> <http://x/p> <http://x/o> .", fmt="ntriples", graph="http://x/g2")
    count = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    union = client.get("/sparql", params={"query": count}).json()
    only = client.get("/sparql", params={"query": count, "default-graph-uri": "http://x/g2"}).json()
    assert union["results"]["bindings"][0]["n"]["value"] == "5"
    assert only["results"]["bindings"][0]["n"]["value"] == "1"


def test_malformed_sparql_is_400_with_the_parser_message_and_no_traceback(
    client: TestClient,
) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p "})
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "QuerySyntaxError"
    assert "error at 1:" in body["detail"]
    assert "Traceback" not in response.text


def test_errors_follow_the_client_accept(client: TestClient) -> None:
    html = client.post(
        "/sparql", content="SELEC", headers={"accept": "text/html, */*;q=0.1",
                                             "content-type": "application/sparql-query"},
    )  # fmt: skip
    text = client.get("/sparql", params={"query": "SELEC"}, headers={"accept": "text/plain"})
    assert html.status_code == text.status_code == 400
    assert html.headers["content-type"].startswith("text/html") and "<pre>" in html.text
    assert text.headers["content-type"].startswith("text/plain")
    assert text.text.startswith("400 Bad Request: malformed SPARQL")


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"params": {}}, 415),  # POST without a content type
        ({"data": {"default-graph-uri": "http://g"}}, 400),  # a form without query or update
        ({"content": b"\xff\xfe S", "headers": {"content-type": "application/sparql-query"}}, 400),
        ({"content": "ASK {}", "headers": {"content-type": "text/plain"}}, 415),
        ({"data": {"query": ["ASK {}", "ASK {}"]}}, 400),
        ({"data": {"query": "ASK {}", "update": "CLEAR ALL"}}, 400),
        ({"data": {"query": "   "}}, 400),
    ],
)
def test_bad_requests_are_4xx(client: TestClient, kwargs: dict[str, object], status: int) -> None:
    assert client.post("/sparql", **kwargs).status_code == status


# ---------------------------------------------------------------- updates


INSERT = "INSERT DATA { GRAPH <http://example.org/g/new> { <http://x/n> <http://x/p> 9 } }"


@pytest.mark.parametrize(
    ("token_setting", "headers", "status"),
    [
        ("", {"authorization": "Bearer s3cret"}, 403),  # updates switched off
        ("s3cret", {}, 401),
        ("s3cret", {"authorization": "Bearer wrong"}, 403),
        ("s3cret", {"authorization": "Basic czNjcmV0"}, 401),
    ],
)
def test_refused_updates_change_nothing(
    store: Store, token_setting: str, headers: dict[str, str], status: int
) -> None:
    before = store.count()
    with client_for(store, update_token=token_setting) as c:
        direct = c.post(
            "/sparql", content=INSERT,
            headers={"content-type": "application/sparql-update", **headers},
        )  # fmt: skip
        form = c.post("/sparql", data={"update": "CLEAR ALL"}, headers=headers)
    assert direct.status_code == form.status_code == status
    if status == 401:
        assert direct.headers["www-authenticate"].startswith("Bearer")
    assert store.count() == before


def test_update_with_the_token_writes(client: TestClient, store: Store) -> None:
    before = store.count()
    response = client.post(
        "/sparql", data={"update": INSERT}, headers={"authorization": "Bearer s3cret"}
    )
    assert response.status_code == 204, response.text
    assert store.count() == before + 1


def test_update_syntax_error_is_400_and_changes_nothing(client: TestClient, store: Store) -> None:
    before = store.count()
    response = client.post(
        "/sparql", data={"update": "INSERT DATA { <a> "}, headers={"authorization": "Bearer s3cret"}
    )
    assert response.status_code == 400
    assert store.count() == before


def test_using_graph_uri_becomes_using_clauses() -> None:
    rewritten = add_using_clauses(
        "INSERT { GRAPH <g> { ?s ?p ?o } } WHERE { ?s ?p ?o }", ["http://a"], ["http://b"]
    )
    assert "USING <http://a> USING NAMED <http://b> WHERE" in rewritten
    with pytest.raises(ValueError, match="USING or WITH"):
        add_using_clauses("WITH <g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", ["http://a"], [])
    assert has_dataset_clause("SELECT * FROM <http://g> { ?s ?p ?o }")
    assert not has_dataset_clause("SELECT * { ?s ?p 'FROM' } # from")


# ---------------------------------------------------------------- limits


def test_row_cap_is_an_error_unless_truncation_is_asked_for(store: Store) -> None:
    with client_for(store, max_rows=2) as c:
        refused = c.get("/sparql", params={"query": SELECT})
        assert refused.status_code == 422
        assert "max_rows" in refused.json()["detail"]
        cut = c.get("/sparql", params={"query": SELECT, "truncate": "true"})
        assert cut.status_code == 200
        assert cut.headers[TRUNCATED_HEADER] == "max_rows=2"
        assert len(cut.json()["results"]["bindings"]) == 2
        assert cut.json()["head"]["link"] == [truncation_marker(2)]
        for key in ("xml", "csv", "tsv"):
            body = c.get("/sparql", params={"query": SELECT, "truncate": "1", "format": key})
            assert body.status_code == 200 and body.headers[TRUNCATED_HEADER] == "max_rows=2"
            if key == "xml":
                assert body.text.count("<result>") == 2 and truncation_marker(2) in body.text
            else:
                assert len(body.text.strip().splitlines()) == 3  # header + 2 rows
        small = c.get("/sparql", params={"query": SELECT + " LIMIT 2"})
        assert small.status_code == 200 and TRUNCATED_HEADER not in small.headers


def test_oversize_bodies_are_413_declared_or_streamed(store: Store) -> None:
    with client_for(store, max_body_bytes=1000) as c:
        big = "ASK {} #" + "x" * 2000
        declared = c.post(
            "/sparql", content=big, headers={"content-type": "application/sparql-query"}
        )
        streamed = c.post(
            "/sparql",
            content=iter([big[:600].encode(), big[600:].encode()]),
            headers={"content-type": "application/sparql-query"},
        )
        ok = c.post(
            "/sparql", content="ASK {}", headers={"content-type": "application/sparql-query"}
        )
    assert declared.status_code == 413 and "1000 bytes" in declared.json()["detail"]
    assert streamed.status_code == 413
    assert ok.status_code == 200


def test_cors_only_when_configured(store: Store) -> None:
    origin = {"origin": "https://example.org"}
    with client_for(store) as c:
        assert "access-control-allow-origin" not in c.get("/health", headers=origin).headers
    with client_for(store, cors_origins="https://example.org") as c:
        response = c.get("/sparql", params={"query": "ASK {}"}, headers=origin)
        assert response.headers["access-control-allow-origin"] == "https://example.org"
        preflight = c.options(
            "/sparql",
            headers={**origin, "access-control-request-method": "POST",
                     "access-control-request-headers": "authorization"},
        )  # fmt: skip
        assert preflight.status_code == 200
        assert "POST" in preflight.headers["access-control-allow-methods"]
        other = c.get("/health", headers={"origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


# ---------------------------------------------------------------- pages


def test_service_description_without_a_query(client: TestClient) -> None:
    response = client.get("/sparql", headers={"accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    service = next(graph.subjects(RDF.type, URIRef(SD + "Service")))
    assert (service, URIRef(SD + "endpoint"), URIRef("http://testserver/sparql")) in graph
    assert (service, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Update")) in graph


def test_browser_gets_yasgui_from_bundled_files(client: TestClient) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = client.get("/sparql", headers={"accept": accept})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "/static/yasgui/yasgui.min.js" in page.text and "cdn" not in page.text.lower()
    config = json.loads(page.text.split("const cfg = ", 1)[1].split(";\n", 1)[0])
    assert config["endpoint"] == "http://testserver/sparql" and config["tabs"]
    script = client.get("/static/yasgui/yasgui.min.js")
    assert script.status_code == 200 and len(script.content) > 100_000


def test_health(client: TestClient) -> None:
    assert client.get("/health").json()["status"] == "ok"
