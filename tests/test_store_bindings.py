"""Where a VALUES block goes when an engine cannot pre-bind natively."""

from __future__ import annotations

import pytest
from rdflib import BNode, Literal, URIRef

from trialgraph.errors import InputError
from trialgraph.store._common import bind_values, query_form

B = {"x": URIRef("http://example.org/x")}
BLOCK = "VALUES (?x) { (<http://example.org/x>) }"


@pytest.mark.parametrize(
    "query, form",
    [
        ("# DELETE everything\nSELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("PREFIX ask: <http://example.org/construct/> SELECT ?ask { ?ask ?p ?o }", "SELECT"),
        ('ASK { ?s ?p "SELECT" }', "ASK"),
        ("BASE <http://example.org/> CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("describe <http://example.org/x>", "DESCRIBE"),
        ("INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }", None),
    ],
)
def test_query_form_ignores_comments_iris_strings_and_prefixes(query: str, form: str) -> None:
    assert query_form(query) == form


@pytest.mark.parametrize(
    "query, expected",
    [
        ("SELECT ?y WHERE { ?x ?p ?y }", f"SELECT ?y WHERE {{ {BLOCK}\n ?x ?p ?y }}"),
        ("SELECT * {?x ?p ?y}", f"SELECT * {{ {BLOCK}\n?x ?p ?y}}"),
        (
            'CONSTRUCT { ?x ?p "{" . } WHERE { ?x ?p ?o }',
            f'CONSTRUCT {{ ?x ?p "{{" . }} WHERE {{ {BLOCK}\n ?x ?p ?o }}',
        ),
        ("CONSTRUCT WHERE { ?x ?p ?o }", f"CONSTRUCT WHERE {{ ?x ?p ?o }}\n{BLOCK}\n"),
        ("ASK # { not this\n{ ?x ?p ?o }", f"ASK # {{ not this\n{{ {BLOCK}\n ?x ?p ?o }}"),
    ],
)
def test_values_go_at_the_start_of_the_where_group(query: str, expected: str) -> None:
    assert bind_values(query, B) == expected


def test_literal_values_are_escaped_terms() -> None:
    text = bind_values("SELECT * { ?s ?p ?o }", {"o": Literal('a" } ; DROP ALL ; #\n', lang="en")})
    assert '("a\\" } ; DROP ALL ; #\\n"@en)' in text


@pytest.mark.parametrize(
    "bindings",
    [
        {"bad name": URIRef("http://example.org/x")},
        {"x": URIRef("http://example.org/a b")},
        {"x": URIRef("http://example.org/a>")},
        {"x": BNode()},
    ],
)
def test_bad_bindings_are_input_errors(bindings: dict[str, object]) -> None:
    with pytest.raises(InputError):
        bind_values("SELECT * { ?x ?p ?o }", bindings)  # type: ignore[arg-type]
