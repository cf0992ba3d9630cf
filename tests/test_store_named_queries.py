"""The named-query loader: headers, typed parameters, and every packaged query running
on every backend."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import XSD, Literal, URIRef
from trialgraph.queries.loader import (
    PARAM_TYPES,
    NamedQuery,
    get_named_query,
    load_named_queries,
    parse_named_query,
)

from trialgraph.errors import ConfigError, InputError, NotFound
from trialgraph.store import Store

EXAMPLE = """# title: Things by label
# description: Things whose label is ?label, at most ?limit of them.
# param: ?label string "the label"
# param: ?thing iri "a thing, e.g. http://example.org/a"
# param: ?size integer = 10 "minimum size"
# param: ?ratio decimal "a ratio" = 0.5
# param: ?active boolean = true
SELECT ?thing ?label WHERE {
  ?thing <http://example.org/label> ?label ; <http://example.org/size> ?s .
  FILTER(?s >= ?size && ?ratio > 0 && ?active)
}
"""


@pytest.fixture
def query_dir(tmp_path: Path) -> Path:
    (tmp_path / "things_by_label.rq").write_text(EXAMPLE, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a query", encoding="utf-8")
    return tmp_path


def test_header_is_parsed(query_dir: Path) -> None:
    queries = load_named_queries(query_dir)
    assert list(queries) == ["things_by_label"]
    q = queries["things_by_label"]
    assert q.title == "Things by label"
    assert q.description.startswith("Things whose label")
    assert [(p.name, p.type, p.default) for p in q.params] == [
        ("label", "string", None),
        ("thing", "iri", None),
        ("size", "integer", "10"),
        ("ratio", "decimal", "0.5"),
        ("active", "boolean", "true"),
    ]
    assert q.params[0].description == "the label"
    assert q.params[3].description == "a ratio"
    assert [p.required for p in q.params] == [True, True, False, False, False]
    assert q.text == EXAMPLE


def test_bind_gives_typed_terms_and_defaults(query_dir: Path) -> None:
    q = load_named_queries(query_dir)["things_by_label"]
    bound = q.bind({"label": "Alpha", "thing": "http://example.org/a", "ratio": "-1.25"})
    assert bound == {
        "label": Literal("Alpha"),
        "thing": URIRef("http://example.org/a"),
        "size": Literal("10", datatype=XSD.integer),
        "ratio": Literal("-1.25", datatype=XSD.decimal),
        "active": Literal("true", datatype=XSD.boolean),
    }
    assert q.bind({"label": "x", "thing": "urn:x", "active": "0"})["active"] == Literal(
        "false", datatype=XSD.boolean
    )


@pytest.mark.parametrize(
    "raw, needle",
    [
        ({"label": "x"}, "missing parameter thing"),
        ({"label": "x", "thing": "urn:x", "colour": "red"}, "unknown parameter(s) colour"),
        ({"label": "x", "thing": "not an iri"}, "absolute IRI"),
        ({"label": "x", "thing": "relative/path"}, "absolute IRI"),
        ({"label": "x", "thing": "http://e.org/a>} ; DROP ALL"}, "absolute IRI"),
        ({"label": "x", "thing": 'http://e.org/"q"'}, "absolute IRI"),
        ({"label": "x", "thing": "urn:x", "size": "1e3"}, "integer"),
        ({"label": "x", "thing": "urn:x", "ratio": "abc"}, "decimal"),
        ({"label": "x", "thing": "urn:x", "active": "maybe"}, "true or false"),
    ],
)
def test_bad_parameters_are_input_errors(query_dir: Path, raw: dict[str, str], needle: str) -> None:
    q = load_named_queries(query_dir)["things_by_label"]
    with pytest.raises(InputError) as info:
        q.bind(raw)
    assert needle in str(info.value)
    if "missing" in needle or "unknown" in needle:
        assert "label (string)" in str(info.value)  # lists the valid parameters


@pytest.mark.parametrize(
    "header, needle",
    [
        ("# param: ?x colour", "unknown type"),
        ("# param: x iri", "must start with"),
        ("# param: ?x integer = ten", "bad default"),
        ("# param: ?unused iri", "never uses it"),
        ('# param: ?x iri "unterminated', "bad param line"),
    ],
)
def test_malformed_headers_are_config_errors(header: str, needle: str) -> None:
    with pytest.raises(ConfigError, match=needle):
        parse_named_query("bad", f"{header}\nSELECT ?x WHERE {{ ?x ?p ?o }}\n")


def test_unknown_query_name_is_not_found(query_dir: Path) -> None:
    with pytest.raises(NotFound, match="things_by_label"):
        get_named_query("nope", query_dir)


def test_string_parameter_is_data_not_sparql(store: Store, query_dir: Path) -> None:
    store.load(
        b'<http://example.org/a> <http://example.org/label> "Alpha" .\n'
        b"<http://example.org/a> <http://example.org/size> 20 .\n",
        fmt="turtle",
        graph="http://example.org/g",
    )
    q = load_named_queries(query_dir)["things_by_label"]
    rows = store.select(
        q.text, bindings=q.bind({"label": "Alpha", "thing": "http://example.org/a"})
    )
    assert [r["thing"] for r in rows] == [URIRef("http://example.org/a")]
    evil = q.bind({"label": '" } } ; DROP ALL ; #', "thing": "http://example.org/a"})
    assert store.select(q.text, bindings=evil) == []
    assert store.count() == 2


def _dummy(kind: str) -> str:
    return {
        "iri": "http://example.org/x",
        "string": "x",
        "integer": "1",
        "decimal": "1.5",
        "boolean": "true",
        "drug": "pertuzumab",
        "endpoint": "PFS",
        "drugclass": "Taxane",
        "measure": "hazard_ratio",
        "her2": "positive",
        "hormone_receptor": "positive",
        "setting": "metastatic",
        "line": "first",
        "menopausal_status": "postmenopausal",
    }[kind]


def test_every_packaged_query_runs_on_every_backend(store: Store) -> None:
    queries = load_named_queries()
    for name, q in queries.items():
        assert isinstance(q, NamedQuery)
        assert all(p.type in PARAM_TYPES for p in q.params), name
        bindings = q.bind({p.name: _dummy(p.type) for p in q.params if p.required})
        output = store.query_bytes(q.text, bindings=bindings or None, timeout=10)
        assert output.kind in ("select", "ask", "graph"), name
