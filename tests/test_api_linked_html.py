"""The HTML page of a dereferenced resource, on every backend (embedded, memory, remote).

The sample evidence (``helpers_api_rest``, invented trials mapped by the project's own RDF
mapping) is loaded into the ``store`` fixture and the app runs in-process; the page is read
back as text: its results table, its "Referenced by" links, its prefixes and its escaping.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import pytest
from fastapi.testclient import TestClient
from helpers_api_rest import ADDON_TRIAL, BASE, load_sample
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from trialgraph.api.app import create_app

from trialgraph.config import Settings
from trialgraph.ids import Minter
from trialgraph.store import Store
from trialgraph.vocab import TG

HTML = {"accept": "text/html"}


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    load_sample(store)
    with TestClient(create_app(Settings(store=store.location), store=store)) as c:
        yield c


def rows(page: str, heading: str) -> list[list[str]]:
    """The cells (as plain text) of the table that follows the ``<h2>`` starting with
    ``heading``."""
    section = page.split(f"<h2>{heading}", 1)[1].split("</table>", 1)[0]
    return [
        [text(cell) for cell in re.findall(r"<td>(.*?)</td>", tr)]
        for tr in re.findall(r"<tr>(.*?)</tr>", section)
        if "<td>" in tr
    ]


def text(fragment: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_trial_page_has_one_heading_and_a_results_table(client: TestClient) -> None:
    r = client.get(f"/id/trial/{ADDON_TRIAL}", headers=HTML)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert page.count("<h1>") == 1 and "<h1>ALPHA-ONE</h1>" in page
    assert f"<code>{BASE}id/trial/{ADDON_TRIAL}</code>" in page  # the full IRI under it
    assert "tg:Trial" in page
    table = rows(page, "Results")
    assert len(table) == 4
    by_value = {row[3]: row for row in table}
    median = by_value["18.5 months"]
    assert median[0].startswith("PFS") and median[1] == "median"
    assert median[2].startswith("pertuzumab + trastuzumab + docetaxel")
    assert "“ALPHA-ONE arm A median PFS 18.5 months.”" in median[7]
    assert "evidence:" in median[7]
    hazard = by_value["0.62"]
    assert hazard[1] == "hazard ratio" and " vs " in hazard[2]
    assert hazard[4] == "0.52–0.72" and hazard[5] == "= 0.01"
    assert by_value["not reached"][0].startswith("OS")
    # the quote links to the evidence resource, which is itself dereferenceable
    evidence = re.search(r'href="(/id/evidence/[0-9a-f]+)"', page)
    assert evidence is not None
    assert client.get(evidence.group(1), headers=HTML).status_code == 200
    # an article mentioning the trial is listed under "Referenced by", with its title
    referenced = page.split("<h2>Referenced by</h2>", 1)[1]
    assert "tg:mentionsTrial" in referenced and "sample-article.txt" in referenced


def test_prefixes_are_readable_and_links_compact(client: TestClient) -> None:
    page = client.get(f"/id/trial/{ADDON_TRIAL}", headers=HTML).text
    assert "ns1:" not in page and "ns2:" not in page
    assert "&lt;tg:" not in page and "&lt;http" not in page  # no angle-bracketed links
    assert f'href="/id/arm/{ADDON_TRIAL}--' in page and f"arm:{ADDON_TRIAL}--" in page
    assert 'href="/ontology#hasArm">tg:hasArm</a>' in page
    assert '400 <span class="dt">xsd:integer</span>' in page  # literal with its datatype


def test_drug_page_lists_arms_and_trials_using_it(client: TestClient) -> None:
    page = client.get("/id/drug/pertuzumab", headers=HTML).text
    assert page.count("<h1>") == 1 and "<h1>pertuzumab</h1>" in page
    referenced = page.split("<h2>Referenced by</h2>", 1)[1]
    groups = dict(re.findall(r"<h3>(.*?)</h3><ul>(.*?)</ul>", referenced))
    uses = next(v for k, v in groups.items() if text(k) == "tg:hasIntervention (2)")
    assert "pertuzumab + trastuzumab + docetaxel" in uses
    assert "pertuzumab + trastuzumab + paclitaxel" in uses
    trials = next(v for k, v in groups.items() if text(k) == "tg:hasArm / tg:hasIntervention (2)")
    assert ">ALPHA-ONE</a>" in trials and ">BETA-TWO</a>" in trials
    assert "GAMMA-THREE" not in trials


def test_rdf_formats_stay_a_cbd(client: TestClient) -> None:
    r = client.get(f"/id/trial/{ADDON_TRIAL}", headers={"accept": "text/turtle"})
    g = Graph().parse(data=r.content, format="turtle")
    trial = URIRef(f"{BASE}id/trial/{ADDON_TRIAL}")
    assert (trial, RDF.type, TG.Trial) in g
    assert not list(g.subjects(TG.ofTrial, trial))  # incoming links are HTML only
    assert not list(g.subjects(TG.mentionsTrial, trial))


def test_labels_are_escaped_and_incoming_links_capped(client: TestClient, store: Store) -> None:
    minter = Minter(BASE)
    g = Graph()
    evil = minter.drug("evil")
    g.add((evil, RDF.type, TG.Drug))
    g.add((evil, RDFS.label, Literal('<script>alert("x")</script>')))
    for i in range(60):
        arm = URIRef(f"{BASE}id/arm/invented-{i:02d}--evil")
        g.add((arm, RDF.type, TG.Arm))
        g.add((arm, RDFS.label, Literal(f"evil arm <b>{i}</b>")))
        g.add((arm, TG.hasIntervention, evil))
    store.replace_graph(f"{BASE}graph/article/invented-escape", g)
    page = client.get("/id/drug/evil", headers=HTML).text
    assert "<script>" not in page and "<b>" not in page
    assert "<h1>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</h1>" in page
    assert len(re.findall(r"evil arm &lt;b&gt;\d+&lt;/b&gt;", page)) == 50  # labelled, escaped
    assert "(60)</h3>" in page and "… and 10 more" in page
    assert page.count('href="/id/arm/invented-') == 50
    arm_page = client.get("/id/arm/invented-07--evil", headers=HTML).text
    assert "<script>" not in arm_page and "&lt;script&gt;" in arm_page
