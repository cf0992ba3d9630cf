"""Named queries: listing, running, formats, errors, injection as data, backend contract.

Every test runs on every backend (the ``store`` fixture: embedded Oxigraph, rdflib memory,
a real Oxigraph server). The contract test runs every ``queries/*.rq`` on the backend and
on a reference embedded store loaded with the same data and requires the same bindings.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from helpers_api_rest import BASE, load_conflicting_report, load_sample
from rdflib import Literal
from rdflib.term import Node
from trialgraph.api.app import create_app
from trialgraph.queries.loader import load_named_queries

from trialgraph.config import Settings
from trialgraph.store import Store, get_store
from trialgraph.vocab import TG_NS

QUERY_DIR = Path(__file__).resolve().parents[1] / "queries"
INJECTION = 'x" } ; DROP ALL ; #'

#: parameter values that select something in the sample data
SAMPLE_VALUES = {
    "drug": f"{BASE}id/drug/pertuzumab",
    "hormoneReceptor": f"{TG_NS}HormoneReceptorPositive",
    "trial": f"{BASE}id/trial/nct90000001",
    "endpoint": f"{BASE}id/endpoint/pfs",
    "measure": f"{TG_NS}HazardRatio",
    "drugClass": f"{TG_NS}HER2TargetedTherapy",
    "her2": f"{TG_NS}HER2Positive",
    "setting": f"{TG_NS}Metastatic",
    "name": "ALPHA-ONE",
    "phase": "3",
    "randomised": "true",
    "minEnrollment": "300",
    "maxHazardRatio": "0.65",
}
#: for each parameter type, a shipped query and the parameter of that type
BY_TYPE = {
    "iri": ("result_evidence", "result"),
    "drug": ("trials_using_drug", "drug"),
    "endpoint": ("strong_effects", "endpoint"),
    "measure": ("endpoint_comparisons", "measure"),
    "drugclass": ("trials_using_drug_class", "drugClass"),
    "her2": ("trials_by_population", "her2"),
    "hormone_receptor": ("trials_adding_drug", "hormoneReceptor"),
    "setting": ("trials_by_population", "setting"),
    "string": ("trials_by_name", "name"),
    "integer": ("large_trials", "minEnrollment"),
    "decimal": ("strong_effects", "maxHazardRatio"),
    "boolean": ("trials_by_design", "randomised"),
}


def load(store: Store) -> None:
    load_sample(store)
    load_conflicting_report(store)


def result_iri(store: Store) -> str:
    rows = store.select(
        "PREFIX tg: <https://w3id.org/trialgraph/ontology#> SELECT ?r WHERE { "
        f"?r tg:measure tg:HazardRatio . ?r tg:ofTrial <{SAMPLE_VALUES['trial']}> }}"
    )
    return str(rows[0]["r"])


def values_for(name: str, store: Store) -> dict[str, str]:
    query = load_named_queries()[name]
    values = {p.name: SAMPLE_VALUES.get(p.name, "") for p in query.params}
    if "result" in values:
        values["result"] = result_iri(store)
    return values


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    load(store)
    with TestClient(create_app(Settings(store=store.location), store=store)) as c:
        yield c


def test_every_rq_file_is_listed_with_typed_params(client: TestClient) -> None:
    listed = {q["name"]: q for q in client.get("/queries").json()}
    assert set(listed) == {p.stem for p in QUERY_DIR.glob("*.rq")}
    assert "conflicts" in listed and "trials_adding_drug" in listed
    assert {p["type"] for q in listed.values() for p in q["params"]} == set(BY_TYPE)
    adding = listed["trials_adding_drug"]
    assert [(p["name"], p["type"], p["required"]) for p in adding["params"]] == [
        ("drug", "drug", True),
        ("hormoneReceptor", "hormone_receptor", True),
    ]
    # the example URL runs as is (it names the owner's pertuzumab / HR+ example)
    example = adding["example"].removeprefix("http://testserver")
    assert client.get(example).status_code == 200


def rows_of(client: TestClient, name: str, params: dict[str, str]) -> list[dict[str, Any]]:
    response = client.get(f"/queries/{name}", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    bindings: list[dict[str, Any]] = response.json()["results"]["bindings"]
    return bindings


def test_owner_example_and_conflicts(client: TestClient) -> None:
    rows = rows_of(
        client, "trials_adding_drug", values_for("trials_adding_drug", client_store(client))
    )
    assert {r["trialName"]["value"] for r in rows} == {"ALPHA-ONE"}  # not BETA-TWO (HR-)
    conflicts = rows_of(client, "conflicts", {})
    assert conflicts and {r["trialName"]["value"] for r in conflicts} == {"ALPHA-ONE"}


def client_store(client: TestClient) -> Store:
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    return store


@pytest.mark.parametrize(
    ("accept", "fmt", "media"),
    [
        ("application/sparql-results+xml", None, "application/sparql-results+xml"),
        ("text/csv", None, "text/csv"),
        ("text/tab-separated-values", None, "text/tab-separated-values"),
        ("text/html;q=0.5, application/json", None, "application/sparql-results+json"),
        ("application/sparql-results+json", "csv", "text/csv"),
    ],
)
def test_result_formats(client: TestClient, accept: str, fmt: str | None, media: str) -> None:
    params = {"name": "ALPHA-ONE", **({"format": fmt} if fmt else {})}
    response = client.get("/queries/trials_by_name", params=params, headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert response.headers["vary"] == "Accept"
    if media == "text/csv":
        (row,) = list(csv.DictReader(io.StringIO(response.text)))
        assert row["name"] == "ALPHA-ONE" and row["nctId"] == "NCT90000001"


def test_unknown_query_and_bad_params(client: TestClient) -> None:
    missing = client.get("/queries/no_such_query")
    assert missing.status_code == 404
    assert "trials_adding_drug" in missing.json()["detail"]  # the valid names are listed
    for params in (
        {"drug": SAMPLE_VALUES["drug"], "colour": "red"},  # unknown
        {"drug": SAMPLE_VALUES["drug"]},
    ):  # hormoneReceptor missing
        response = client.get("/queries/trials_adding_drug", params=params)
        assert response.status_code == 422
        assert "hormoneReceptor (hormone_receptor)" in response.json()["detail"]
    typed = client.get("/queries/large_trials", params={"minEnrollment": "many"})
    assert typed.status_code == 422 and "minEnrollment (integer" in typed.json()["detail"]
    params = {**values_for("trials_adding_drug", client_store(client)), "format": "yaml"}
    assert client.get("/queries/trials_adding_drug", params=params).status_code == 406


@pytest.mark.parametrize("param_type", sorted(BY_TYPE))
def test_injection_is_data_for_every_param_type(client: TestClient, param_type: str) -> None:
    store = client_store(client)
    before = store.count()
    name, param = BY_TYPE[param_type]
    for value in (INJECTION, f"http://example.org/{INJECTION}", f"{INJECTION}>"):
        params = {**values_for(name, store), param: value}
        response = client.get(f"/queries/{name}", params=params)
        if param_type == "string":  # a string is always valid: it runs and matches nothing
            assert response.status_code == 200, response.text
            assert response.json()["results"]["bindings"] == []
        else:  # not a value of the type: refused as such, never a syntax error
            assert response.status_code == 422, response.text
            assert param in response.json()["detail"]
    assert store.count() == before
    assert rows_of(client, "trials_by_name", {"name": "ALPHA-ONE"})  # data still there
    assert client.get("/trials", params={"q": INJECTION}).json()["total"] == 0


def _normalised(rows: list[dict[str, Node]]) -> list[tuple[tuple[str, object], ...]]:
    def term(v: Node) -> object:
        return (v.toPython(), str(v.datatype)) if isinstance(v, Literal) else str(v)

    return sorted(tuple(sorted((k, term(v)) for k, v in row.items())) for row in rows)


def test_every_named_query_gives_the_same_bindings_on_every_backend(store: Store) -> None:
    load(store)
    reference = get_store("oxigraph:")
    load(reference)
    try:
        for name, query in sorted(load_named_queries().items()):
            bindings = query.bind(values_for(name, reference))
            expected = _normalised(reference.select(query.text, bindings=bindings))
            assert expected, f"{name} selects nothing in the sample data"
            got = _normalised(store.select(query.text, bindings=bindings))
            assert got == expected, name
    finally:
        reference.close()
