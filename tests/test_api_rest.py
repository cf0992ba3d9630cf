"""REST resources (/trials, /drugs, /results, /articles, /stats) on every backend.

The sample evidence (``helpers_api_rest``) is mapped by the project's own RDF mapping and
loaded into the ``store`` fixture (embedded Oxigraph, rdflib memory, a real Oxigraph
server); each test runs the app in-process with ``TestClient``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from helpers_api_rest import ADDON_TRIAL, BASE, HR_NEGATIVE_TRIAL, load_sample, sample_evidence
from rdflib import RDF, Graph, URIRef
from trialgraph.api.app import create_app

from trialgraph.config import Settings
from trialgraph.store import Store
from trialgraph.vocab import TG


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    load_sample(store)
    with TestClient(create_app(Settings(store=store.location), store=store)) as c:
        yield c


def names(body: dict[str, object]) -> set[str]:
    items = body["items"]
    assert isinstance(items, list)
    return {item["name"] for item in items}


def test_trials_filters(client: TestClient) -> None:
    assert client.get("/trials").json()["total"] == 3
    cases = {
        "hormone_receptor=positive": {"ALPHA-ONE", "GAMMA-THREE"},
        "adds=pertuzumab&hormone_receptor=positive": {"ALPHA-ONE"},
        "adds=Perjeta": {"ALPHA-ONE", "BETA-TWO"},  # a brand name resolves via the catalogue
        "drug=letrozole": {"GAMMA-THREE"},
        "drug_class=HER2TargetedTherapy&hormone_receptor=negative": {"BETA-TWO"},
        "drug_class=Taxane": {"ALPHA-ONE", "BETA-TWO"},
        "her2=positive&setting=metastatic&line=first": {"ALPHA-ONE", "BETA-TWO", "GAMMA-THREE"},
        "endpoint=OS&phase=3": {"ALPHA-ONE", "BETA-TWO", "GAMMA-THREE"},
        "endpoint=DFS": set(),
        "phase=2": set(),
        "q=beta": {"BETA-TWO"},
        "q=nct9000000": {"ALPHA-ONE", "BETA-TWO", "GAMMA-THREE"},
        "q=gam thr": {"GAMMA-THREE"},
        "q=zzz": set(),
        "q=alpha&adds=palbociclib": set(),
    }
    for query, expected in cases.items():
        body = client.get(f"/trials?{query}").json()
        assert names(body) == expected, query
        assert body["total"] == len(expected), query


def test_trials_pagination_covers_every_trial_once(client: TestClient) -> None:
    seen: list[str] = []
    for offset in range(4):
        body = client.get("/trials", params={"limit": 1, "offset": offset}).json()
        assert body["total"] == 3 and body["limit"] == 1 and body["offset"] == offset
        seen += [item["id"] for item in body["items"]]
    assert len(seen) == 3 and len(set(seen)) == 3


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("adds=perjetta", "perjeta"),  # a typo gets a hint
        ("drug=not-a-drug-at-all", "catalogue"),
        ("hormone_receptor=maybe", "hormone_receptor"),
        ("limit=0", "limit"),
        ("limit=100000", "limit"),
        ("drug_class=%22%7D%20DROP", "drug class"),
        ("endpoint=%3E", "endpoint"),
    ],
)
def test_bad_filters_are_422_with_a_hint(client: TestClient, query: str, fragment: str) -> None:
    response = client.get(f"/trials?{query}")
    assert response.status_code == 422
    assert fragment in response.json()["detail"]


def test_trial_detail(client: TestClient) -> None:
    evidence, text = sample_evidence()
    body = client.get(f"/trials/{ADDON_TRIAL}").json()
    assert body["name"] == "ALPHA-ONE" and body["nct_id"] == "NCT90000001"
    assert body["randomised"] is True and body["enrollment"] == 400
    roles = {arm["role"]: arm for arm in body["arms"]}
    assert [d["label"] for d in roles["experimental"]["adds"]] == ["pertuzumab"]
    assert {d["id"] for d in roles["control"]["drugs"]} == {"trastuzumab", "docetaxel"}
    assert roles["experimental"]["compared_with"] == [roles["control"]["iri"]]
    (population,) = body["populations"]
    assert population["hormone_receptor"] == "positive" and population["line"] == "first"
    assert len(body["results"]) == 4
    (hr,) = [r for r in body["results"] if r["measure"] == "hazard_ratio"]
    assert (hr["endpoint"], hr["value"], hr["p_operator"]) == ("PFS", 0.62, "=")
    assert hr["ci_lower"] == pytest.approx(0.52) and hr["ci_upper"] == pytest.approx(0.72)
    assert hr["experimental_arm"] == roles["experimental"]["iri"]
    (os_result,) = [r for r in body["results"] if r["endpoint"] == "OS"]
    assert os_result["not_reached"] is True and os_result["value"] is None
    for result in body["results"]:
        (ev,) = result["evidence"]
        assert text[ev["start"] : ev["end"]] == ev["quote"]
        assert ev["article_title"] == evidence.article
    assert len(body["articles"]) == 1


def test_unknown_trial_is_404(client: TestClient) -> None:
    assert client.get("/trials/nct00000000").status_code == 404
    assert client.get("/trials/%22%3E%20DROP").status_code == 404


def test_drugs_and_endpoints(client: TestClient) -> None:
    drugs = client.get("/drugs", params={"limit": 100}).json()
    assert drugs["total"] == 6 and len(drugs["items"]) == 6
    assert client.get("/drugs?drug_class=Taxane").json()["total"] == 2
    detail = client.get("/drugs/pertuzumab").json()
    assert detail["synonyms"] == ["Perjeta"]
    assert any(c.endswith("#HER2TargetedTherapy") for c in detail["classes"])
    assert {t["name"] for t in detail["trials"]["items"]} == {"ALPHA-ONE", "BETA-TWO"}
    assert detail["trials"]["total"] == 2
    assert client.get("/drugs/unknown-drug").status_code == 404
    endpoints = client.get("/endpoints").json()
    assert {e["notation"] for e in endpoints["items"]} == {"PFS", "OS"}


def test_results_filters(client: TestClient) -> None:
    assert client.get("/results").json()["total"] == 12
    hrs = client.get("/results?endpoint=PFS&measure=hazard_ratio").json()
    assert hrs["total"] == 3 and {r["value"] for r in hrs["items"]} == {0.62, 0.7, 0.58}
    own = client.get(f"/results?trial={HR_NEGATIVE_TRIAL}").json()
    assert own["total"] == 4 and all(r["trial"].endswith(HR_NEGATIVE_TRIAL) for r in own["items"])
    # results about an arm giving palbociclib: that arm's two values and the comparison
    palbo = client.get("/results?drug=palbociclib").json()
    assert palbo["total"] == 3
    assert all(r["trial"].endswith("nct90000003") for r in palbo["items"])
    assert client.get("/results?measure=nonsense").status_code == 422


def test_articles_and_stats(client: TestClient) -> None:
    articles = client.get("/articles").json()
    assert articles["total"] == 1
    key = articles["items"][0]["id"]
    detail = client.get(f"/articles/{key}").json()
    assert {t["name"] for t in detail["trials"]} == {"ALPHA-ONE", "BETA-TWO", "GAMMA-THREE"}
    assert detail["result_count"] == 12
    assert client.get("/articles/nope").status_code == 404
    stats = client.get("/stats").json()
    assert (stats["trials"], stats["arms"], stats["results"], stats["evidence"]) == (3, 6, 12, 12)
    assert stats["graphs"] == 2 and stats["quads"] > 100


def test_openapi_documents_the_response_models(store: Store) -> None:
    with TestClient(create_app(Settings(store=store.location), store=store)) as c:
        spec = c.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert "TrialDetail" in schemas and "Page_TrialSummary_" in schemas
    params = {p["name"] for p in spec["paths"]["/trials"]["get"]["parameters"]}
    assert {
        "drug",
        "adds",
        "drug_class",
        "her2",
        "hormone_receptor",
        "setting",
        "line",
        "endpoint",
        "phase",
        "q",
        "limit",
        "offset",
    } <= params


def test_a_drug_missing_from_the_catalogue_is_found_in_the_store(client: TestClient) -> None:
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    graph = Graph()
    drug = URIRef(f"{BASE}id/drug/zz-experimental-9")
    arm = URIRef(f"{BASE}id/arm/{ADDON_TRIAL}--zz")
    graph.add((drug, RDF.type, TG.Drug))
    graph.add((URIRef(f"{BASE}id/trial/{ADDON_TRIAL}"), TG.hasArm, arm))
    graph.add((arm, TG.hasIntervention, drug))
    store.replace_graph(f"{BASE}graph/article/extra", graph)
    body = client.get("/trials", params={"drug": "ZZ-Experimental-9"}).json()
    assert names(body) == {"ALPHA-ONE"}


def test_facets_must_hold_in_one_population(client: TestClient) -> None:
    """Two articles describing two populations of a trial do not combine into a third."""
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    trial = URIRef(f"{BASE}id/trial/{HR_NEGATIVE_TRIAL}")  # HER2+ / HR- in the sample
    other = URIRef(f"{BASE}id/population/{HR_NEGATIVE_TRIAL}--other")
    graph = Graph()
    graph.add((trial, TG.hasPopulation, other))
    graph.add((other, TG.her2Status, TG.HER2Negative))
    graph.add((other, TG.hormoneReceptorStatus, TG.HormoneReceptorPositive))
    store.replace_graph(f"{BASE}graph/article/other-population", graph)
    both = client.get("/trials", params={"her2": "positive", "hormone_receptor": "positive"})
    assert names(both.json()) == {"ALPHA-ONE", "GAMMA-THREE"}
    hr_only = client.get("/trials", params={"hormone_receptor": "positive"})
    assert names(hr_only.json()) == {"ALPHA-ONE", "BETA-TWO", "GAMMA-THREE"}
