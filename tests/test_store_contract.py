"""One contract suite, run unchanged on every backend through the ``store`` fixture."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
from rdflib import RDF, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from trialgraph.errors import (
    BackendUnavailable,
    ConfigError,
    InputError,
    QuerySyntaxError,
    ReadOnlyStore,
    UnsupportedFormat,
)
from trialgraph.store import RDF_FORMATS, RESULT_FORMATS, Store, get_store

EX = Namespace("http://example.org/")
G1 = "http://example.org/graph/one"
G2 = "http://example.org/graph/two"

TTL_ONE = b"""@prefix ex: <http://example.org/> .
ex:trial1 a ex:Trial ; ex:name "Alpha"@en ; ex:size 120 ; ex:hr 0.65 .
ex:trial2 a ex:Trial ; ex:name "Beta" ; ex:size 80 .
"""
TTL_TWO = b"""@prefix ex: <http://example.org/> .
ex:trial3 a ex:Trial ; ex:name "Gamma" ; ex:arm [ ex:label "placebo" ] .
"""

RDFLIB_FORMAT = {
    "turtle": "turtle",
    "ntriples": "nt",
    "nquads": "nquads",
    "trig": "trig",
    "jsonld": "json-ld",
    "rdfxml": "xml",
}
QUAD = {"nquads", "trig"}


def _loaded(store: Store) -> Store:
    store.load(TTL_ONE, fmt="turtle", graph=G1)
    store.load(TTL_TWO, fmt="turtle", graph=G2)
    return store


def _graph_of(data: bytes, fmt: str) -> Graph:
    """Parse bytes back with rdflib; quad formats are flattened to their triples."""
    if fmt in QUAD:
        ds = Dataset()
        ds.parse(data=data, format=RDFLIB_FORMAT[fmt])
        flat = Graph()
        for s, p, o, _ in ds.quads((None, None, None, None)):
            flat.add((s, p, o))
        return flat
    return Graph().parse(data=data, format=RDFLIB_FORMAT[fmt])


def test_select_rows_are_rdflib_terms_and_unbound_is_absent(store: Store) -> None:
    _loaded(store)
    rows = store.select(
        "PREFIX ex: <http://example.org/> SELECT ?t ?name ?hr WHERE "
        "{ ?t ex:name ?name OPTIONAL { ?t ex:hr ?hr } } ORDER BY STR(?name)"
    )
    assert [str(r["name"]) for r in rows] == ["Alpha", "Beta", "Gamma"]
    assert rows[0]["name"] == Literal("Alpha", lang="en")
    assert rows[0]["hr"] == Literal("0.65", datatype=XSD.decimal)
    assert rows[0]["t"] == EX.trial1
    assert "hr" not in rows[1]


def test_ask_construct_describe(store: Store) -> None:
    _loaded(store)
    assert store.ask("ASK { <http://example.org/trial1> ?p ?o }") is True
    assert store.ask("ASK { <http://example.org/nothing> ?p ?o }") is False
    graph = store.construct(
        "PREFIX ex: <http://example.org/> CONSTRUCT { ?t ex:called ?n } WHERE { ?t ex:name ?n }"
    )
    assert len(graph) == 3
    assert (EX.trial2, EX.called, Literal("Beta")) in graph
    described = store.construct("DESCRIBE <http://example.org/trial2>")
    assert (EX.trial2, EX.size, Literal(80)) in described


def test_union_of_graphs_and_graph_clause(store: Store) -> None:
    _loaded(store)
    rows = store.select(
        "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a <http://example.org/Trial> }"
    )
    assert int(rows[0]["n"]) == 3
    rows = store.select(
        "SELECT ?g WHERE { GRAPH ?g { <http://example.org/trial3> ?p ?o } } GROUP BY ?g"
    )
    assert [str(r["g"]) for r in rows] == [G2]


def test_protocol_dataset_parameters_restrict_the_dataset(store: Store) -> None:
    _loaded(store)
    query = "SELECT ?t WHERE { ?t a <http://example.org/Trial> } ORDER BY ?t"
    out = store.query_bytes(query, default_graph_uris=[G2])
    names = [b["t"]["value"] for b in json.loads(out.body)["results"]["bindings"]]
    assert names == [str(EX.trial3)]
    out = store.query_bytes(
        "SELECT ?g ?t WHERE { GRAPH ?g { ?t a <http://example.org/Trial> } }",
        named_graph_uris=[G1],
    )
    graphs = {b["g"]["value"] for b in json.loads(out.body)["results"]["bindings"]}
    assert graphs == {G1}


@pytest.mark.parametrize("fmt", sorted(RESULT_FORMATS))
def test_query_bytes_result_formats_parse_back(store: Store, fmt: str) -> None:
    _loaded(store)
    query = "PREFIX ex: <http://example.org/> SELECT ?t ?size WHERE { ?t ex:size ?size }"
    out = store.query_bytes(query, result_format=fmt)
    assert out.kind == "select"
    assert out.media_type == RESULT_FORMATS[fmt]
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out.body.decode("utf-8"))))
        got = {(r["t"], r["size"]) for r in rows}
        assert got == {(str(EX.trial1), "120"), (str(EX.trial2), "80")}
        return
    parsed = ox.parse_query_results(out.body, format=getattr(ox.QueryResultsFormat, fmt.upper()))
    assert isinstance(parsed, ox.QuerySolutions)
    got_terms = {(s["t"].value, s["size"].value) for s in parsed}
    assert got_terms == {(str(EX.trial1), "120"), (str(EX.trial2), "80")}


@pytest.mark.parametrize("fmt", sorted(RESULT_FORMATS))
def test_query_bytes_ask(store: Store, fmt: str) -> None:
    _loaded(store)
    out = store.query_bytes("ASK { ?s a <http://example.org/Trial> }", result_format=fmt)
    assert out.kind == "ask"
    if fmt in ("json", "xml"):
        parsed = ox.parse_query_results(
            out.body, format=getattr(ox.QueryResultsFormat, fmt.upper())
        )
        assert bool(parsed) is True


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_query_bytes_graph_formats_parse_back(store: Store, fmt: str) -> None:
    _loaded(store)
    query = "CONSTRUCT { ?t ?p ?o } WHERE { ?t a <http://example.org/Trial> ; ?p ?o }"
    expected = store.construct(query)
    out = store.query_bytes(query, graph_format=fmt)
    assert out.kind == "graph"
    assert out.media_type == RDF_FORMATS[fmt][0]
    assert isomorphic(_graph_of(out.body, fmt), expected)


def test_unknown_formats_are_rejected(store: Store) -> None:
    with pytest.raises(UnsupportedFormat, match="valid formats"):
        store.query_bytes("ASK {}", result_format="yaml")
    with pytest.raises(UnsupportedFormat):
        store.load(b"", fmt="n3", graph=G1)


def test_bindings_are_terms_and_injection_stays_data(store: Store) -> None:
    _loaded(store)
    query = "PREFIX ex: <http://example.org/> SELECT ?t ?name WHERE { ?t ex:name ?name }"
    rows = store.select(query, bindings={"name": Literal("Beta")})
    assert [r["t"] for r in rows] == [EX.trial2]
    rows = store.select(query, bindings={"t": EX.trial1})
    assert [str(r["name"]) for r in rows] == ["Alpha"]
    # a parameter that is not projected still constrains the query
    rows = store.select(
        "PREFIX ex: <http://example.org/> SELECT ?name WHERE { ?t ex:name ?name }",
        bindings={"t": EX.trial3},
    )
    assert [str(r["name"]) for r in rows] == ["Gamma"]
    evil = 'x" } ; DROP ALL ; SELECT * WHERE { ?s ?p "'
    rows = store.select(query, bindings={"name": Literal(evil)})
    assert rows == []
    assert store.count() == 11


def test_update_insert_and_delete(store: Store) -> None:
    _loaded(store)
    store.update(
        f"INSERT DATA {{ GRAPH <{G1}> {{ "
        "<http://example.org/trial9> a <http://example.org/Trial> } }"
    )
    assert store.count(G1) == 8
    store.update(f"DELETE WHERE {{ GRAPH <{G1}> {{ <http://example.org/trial9> ?p ?o }} }}")
    assert store.count(G1) == 7


def test_malformed_sparql_raises_with_parser_message(store: Store) -> None:
    _loaded(store)
    with pytest.raises(QuerySyntaxError) as info:
        store.select("SELECT ?x WHERE { ?x ?p }")
    assert len(str(info.value)) > len("malformed SPARQL: ")
    with pytest.raises(QuerySyntaxError):
        store.update("INSERT DATA { <http://example.org/a> <http://example.org/b> }")
    assert store.count() == 11


def test_replace_graph_is_idempotent_and_replaces(store: Store) -> None:
    _loaded(store)
    new = Graph()
    for i in range(300):
        new.add((EX[f"r{i}"], RDF.type, EX.Result))
        new.add((EX[f"r{i}"], EX.value, Literal(f"{i}.5", datatype=XSD.decimal)))
    store.replace_graph(G1, new)
    assert store.count(G1) == 600
    store.replace_graph(G1, new)
    assert store.count(G1) == 600
    assert store.count(G2) == 4  # other graphs untouched
    dumped = _graph_of(b"".join(store.dump(fmt="ntriples", graph=G1)), "ntriples")
    assert isomorphic(dumped, new)
    assert not store.ask("ASK { <http://example.org/trial1> ?p ?o }")


def test_replace_graph_with_bad_term_changes_nothing(store: Store) -> None:
    _loaded(store)
    bad = Graph()
    bad.add((EX.ok, EX.p, Literal("fine")))
    bad.add((URIRef("http://example.org/has space"), EX.p, Literal("bad")))
    with pytest.raises(InputError):
        store.replace_graph(G1, bad)
    assert store.count(G1) == 7


def test_drop_graph(store: Store) -> None:
    _loaded(store)
    store.drop_graph(G1)
    assert store.graphs() == [G2]
    store.drop_graph(G1)  # absent: no error
    assert store.count() == 4


def test_graphs_and_count(store: Store) -> None:
    assert store.graphs() == []
    assert store.count() == 0
    _loaded(store)
    assert store.graphs() == [G1, G2]
    assert store.count(G1) == 7
    assert store.count() == 11


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_load_dump_roundtrip_every_format(store: Store, fmt: str) -> None:
    one = Graph().parse(data=TTL_ONE, format="turtle")
    if fmt in QUAD:
        ds = Dataset()
        ds.graph(URIRef(G1)).__iadd__(one)
        added = store.load(ds.serialize(format=RDFLIB_FORMAT[fmt], encoding="utf-8"), fmt=fmt)
    else:
        data = one.serialize(format=RDFLIB_FORMAT[fmt], encoding="utf-8")
        added = store.load(data, fmt=fmt, graph=G1)
    assert added == 7
    assert store.graphs() == [G1]
    dumped = b"".join(store.dump(fmt=fmt, graph=G1))
    assert isomorphic(_graph_of(dumped, fmt), one)
    whole = b"".join(store.dump(fmt=fmt))
    assert isomorphic(_graph_of(whole, fmt), one)


def test_dump_of_whole_dataset_keeps_graph_names(store: Store) -> None:
    _loaded(store)
    data = b"".join(store.dump(fmt="nquads"))
    ds = Dataset()
    ds.parse(data=data, format="nquads")
    assert {str(c.identifier) for c in ds.graphs() if len(c)} == {G1, G2}


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00\x01\x02\xff\xfe binary",
        b"@prefix ex: <http://e/> . ex:a ex:b ",
        "é".encode("latin-1"),
    ],
    ids=["empty-ok", "binary", "truncated", "latin1"],
)
def test_bad_input_loses_nothing(store: Store, data: bytes) -> None:
    _loaded(store)
    before = b"".join(store.dump(fmt="nquads"))
    if data:
        with pytest.raises(InputError):
            store.load(data, fmt="turtle", graph=G1)
    else:
        assert store.load(data, fmt="turtle", graph=G1) == 0
    assert store.count() == 11
    assert isomorphic(
        _graph_of(b"".join(store.dump(fmt="nquads")), "nquads"), _graph_of(before, "nquads")
    )


def test_triple_format_needs_a_graph(store: Store) -> None:
    with pytest.raises(InputError, match="graph"):
        store.load(TTL_ONE, fmt="turtle")
    with pytest.raises(InputError):
        store.load(TTL_ONE, fmt="turtle", graph="not an iri")


def test_store_attributes(store: Store) -> None:
    assert isinstance(store, Store)
    assert store.writable is True
    assert isinstance(store.location, str) and store.location


def test_unknown_store_string() -> None:
    with pytest.raises(ConfigError, match="oxigraph:PATH"):
        get_store("postgres://x")


def test_read_only_remote_refuses_writes_before_sending(oxigraph_server: object) -> None:
    from conftest import OxigraphServer

    assert isinstance(oxigraph_server, OxigraphServer)
    ro = get_store(oxigraph_server.read_only_location())
    assert ro.writable is False
    g = Graph()
    g.add((EX.a, EX.b, EX.c))
    for write in (
        lambda: ro.update("DROP ALL"),
        lambda: ro.load(TTL_ONE, fmt="turtle", graph=G1),
        lambda: ro.replace_graph(G1, g),
        lambda: ro.drop_graph(G1),
    ):
        with pytest.raises(ReadOnlyStore):
            write()
    assert ro.ask("ASK { ?s ?p ?o }") in (True, False)  # reads still work
    ro.close()


def test_endpoint_down_is_backend_unavailable() -> None:
    from conftest import free_port

    port = free_port()
    down = get_store(f"sparql+http://127.0.0.1:{port}/query?update=http://127.0.0.1:{port}/update")
    with pytest.raises(BackendUnavailable, match="cannot reach"):
        down.select("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(BackendUnavailable, match="cannot reach"):
        down.update("DROP ALL")
    down.close()


def test_bindings_reach_filters_and_aggregates(store: Store) -> None:
    """A parameter is pre-bound: FILTERs and GROUP BY see it, projected or not."""
    _loaded(store)
    rows = store.select(
        "PREFIX ex: <http://example.org/> SELECT ?t WHERE { ?t ex:size ?s FILTER(?s > ?min) }",
        bindings={"min": Literal(100)},
    )
    assert [r["t"] for r in rows] == [EX.trial1]
    rows = store.select(
        "PREFIX ex: <http://example.org/> SELECT (COUNT(?t) AS ?n) "
        "WHERE { ?t a ex:Trial ; ex:name ?name }",
        bindings={"name": Literal("Beta")},
    )
    assert int(rows[0]["n"]) == 1
    out = store.query_bytes(
        "PREFIX ex: <http://example.org/> CONSTRUCT { ?t ex:big true } "
        "WHERE { ?t ex:size ?s FILTER(?s > ?min) }",
        bindings={"min": Literal(100)},
    )
    assert isomorphic(
        _graph_of(out.body, "turtle"),
        Graph().add((EX.trial1, EX.big, Literal(True))),
    )
