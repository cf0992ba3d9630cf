"""Linked data, dumps, VoID and the JSON-LD context on a real ``trialgraph serve`` process.

The sample evidence is loaded into an on-disk embedded store, then served by the CLI on a
free 127.0.0.1 port (``helpers_api.running_server``) and read with plain httpx, the W3C-style
``rdf_export_check.py`` tool and independent parsers.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from helpers_api import running_server
from helpers_api_rest import ADDON_TRIAL, BASE, load_sample
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from trialgraph.store import get_store
from trialgraph.vocab import OA, TG, VOID

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
TRIAL = f"/id/trial/{ADDON_TRIAL}"
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    location = f"oxigraph:{tmp_path_factory.mktemp('linked') / 'store'}"
    store = get_store(location)
    load_sample(store)
    store.close()
    with running_server(location) as base:
        yield base


def parse(body: bytes, fmt: str) -> Graph:
    return Graph().parse(data=body, format=fmt)


def test_resource_in_every_format_is_the_same_graph(server: str) -> None:
    graphs = []
    for media, fmt in RDF_TYPES.items():
        r = httpx.get(server + TRIAL, headers={"accept": media}, timeout=10)
        assert r.status_code == 200
        assert r.headers["content-type"].split(";")[0] == media
        assert r.headers["vary"] == "Accept"
        for other in RDF_TYPES:
            assert f'type="{other}"' in r.headers["link"]
        graphs.append(parse(r.content, fmt))
    trial = URIRef(BASE + TRIAL[1:])
    assert (trial, RDF.type, TG.Trial) in graphs[0]
    assert (trial, TG.trialName, Literal("ALPHA-ONE")) in graphs[0]
    # names of linked resources come along (the arms' labels)
    arms = list(graphs[0].objects(trial, TG.hasArm))
    assert len(arms) == 2 and all(graphs[0].value(a, RDFS.label) for a in arms)
    for g in graphs[1:]:
        assert isomorphic(graphs[0], g)


def test_html_for_browsers_links_to_other_resources(server: str) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = httpx.get(server + TRIAL, headers={"accept": browser}, timeout=10)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "ALPHA-ONE" in r.text
    assert f'href="/id/arm/{ADDON_TRIAL}--' in r.text  # linked resources are local links
    assert "?format=turtle" in r.text


def test_evidence_is_dereferenceable_with_its_selectors(server: str) -> None:
    detail = httpx.get(f"{server}/trials/{ADDON_TRIAL}", timeout=10).json()
    evidence = detail["results"][0]["evidence"][0]
    path = "/" + evidence["iri"].removeprefix(BASE)
    g = parse(
        httpx.get(server + path, headers={"accept": "text/turtle"}, timeout=10).content, "turtle"
    )
    quotes = {str(o) for o in g.objects(None, OA.exact)}
    starts = {int(str(o)) for o in g.objects(None, OA.start)}
    assert quotes == {evidence["quote"]} and starts == {evidence["start"]}


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("text/html", "text/html"),
        ("application/n-triples", "application/n-triples"),
    ],
)
def test_unknown_id_is_404_in_the_requested_format(server: str, accept: str, media: str) -> None:
    r = httpx.get(f"{server}/id/trial/no-such-trial", headers={"accept": accept}, timeout=10)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith(media)
    if media in RDF_TYPES:
        assert len(parse(r.content, RDF_TYPES[media])) == 0


def test_rdf_export_check_tool(server: str) -> None:
    tool = SHARED / "tools" / "rdf_export_check.py"
    run = subprocess.run(
        [
            sys.executable,
            str(tool),
            server + TRIAL,
            "--types",
            "ttl,nt,jsonld,rdf",
            "--same-as-first",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.strip().splitlines()[-1] == "4 passed, 0 failed"


def test_export_streams_every_quad(server: str) -> None:
    with httpx.stream("GET", f"{server}/export", params={"format": "nquads"}, timeout=30) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("application/n-quads")
        assert "content-length" not in r.headers  # streamed (chunked), not buffered
        body = b"".join(r.iter_bytes())
    quads = list(ox.parse(body, format=ox.RdfFormat.N_QUADS))
    stats = httpx.get(f"{server}/stats", timeout=10).json()
    assert len(quads) == stats["quads"] and stats["quads"] > 100
    assert len({q.graph_name for q in quads}) == stats["graphs"] == 2
    for fmt, ox_format in (
        ("trig", ox.RdfFormat.TRIG),
        ("turtle", ox.RdfFormat.TURTLE),
        ("jsonld", ox.RdfFormat.JSON_LD),
        ("rdfxml", ox.RdfFormat.RDF_XML),
    ):
        r = httpx.get(f"{server}/export", params={"format": fmt}, timeout=30)
        assert r.status_code == 200, fmt
        assert len(list(ox.parse(r.content, format=ox_format))) > 100, fmt
    assert httpx.get(f"{server}/export", params={"format": "yaml"}, timeout=10).status_code == 406


def test_void_describes_the_dataset(server: str) -> None:
    r = httpx.get(f"{server}/.well-known/void", headers={"accept": "text/turtle"}, timeout=10)
    assert r.status_code == 200
    g = parse(r.content, "turtle")
    dataset = URIRef(BASE + "dataset")
    stats = httpx.get(f"{server}/stats", timeout=10).json()
    assert int(g.value(dataset, VOID.triples)) == stats["quads"]
    assert g.value(dataset, VOID.sparqlEndpoint) == URIRef(f"{server}/sparql")
    examples = set(g.objects(dataset, VOID.exampleResource))
    assert URIRef(BASE + TRIAL[1:]) in examples
    dumps = {str(d) for d in g.objects(dataset, VOID.dataDump)}
    assert f"{server}/export?format=nquads" in dumps
    assert httpx.get(f"{server}/export?format=turtle", timeout=30).status_code == 200
    assert g.value(dataset, URIRef("http://purl.org/dc/terms/license")) is not None


def test_jsonld_context(server: str) -> None:
    r = httpx.get(f"{server}/context.jsonld", timeout=10)
    assert r.headers["content-type"].startswith("application/ld+json")
    assert r.json()["@context"]["tg"] == "https://w3id.org/trialgraph/ontology#"


def test_ontology_html_and_turtle(server: str) -> None:
    html = httpx.get(f"{server}/ontology", headers={"accept": "text/html"}, timeout=30)
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "Trial" in html.text
    ttl = httpx.get(f"{server}/ontology", headers={"accept": "text/turtle"}, timeout=30)
    g = parse(ttl.content, "turtle")
    assert (TG.Trial, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in g


def test_rest_and_named_queries_over_http(server: str) -> None:
    with httpx.Client(base_url=server, timeout=10) as client:
        trials = client.get("/trials", params={"adds": "Perjeta", "hormone_receptor": "positive"})
        assert trials.status_code == 200
        assert [t["name"] for t in trials.json()["items"]] == ["ALPHA-ONE"]
        csv_rows = client.get(
            "/queries/trials_by_name",
            params={"name": "ALPHA-ONE"},
            headers={"accept": "text/csv;q=0.9, application/json;q=0.1"},
        )
        assert csv_rows.headers["content-type"].startswith("text/csv")
        assert "NCT90000001" in csv_rows.text
        xml = client.get("/queries/trials_by_name", params={"name": "ALPHA-ONE", "format": "xml"})
        assert xml.headers["content-type"].startswith("application/sparql-results+xml")
        assert client.get("/queries/nope").status_code == 404
        assert client.get("/trials", params={"adds": "no-such-drug"}).status_code == 422
