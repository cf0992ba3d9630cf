"""SHACL validation of article graphs and stores, with reports that name the failed shape.

Ingest validates every article graph before it commits, so this must be fast: pyshacl runs
with ``inference="none"`` and, as ontology graph, only the ``tg:`` subclass axioms (so a
node typed ``tg:ArmResult`` alone is still a ``tg:Result`` target) rather than the whole
TBox and catalogue. When the article text is at hand, the quotes are also checked against
the text at their offsets, which SHACL cannot see.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import NamedTuple

from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.term import Node
from trialgraph.ontology.packaged import ontology_graph, shapes_graph

from trialgraph.errors import TrialgraphError
from trialgraph.vocab import OA, TG, TG_NS

__all__ = ["SHAPES_NS", "ValidationReport", "Violation", "validate_graph"]

SHAPES_NS = "https://w3id.org/trialgraph/shapes#"
SH = Namespace("http://www.w3.org/ns/shacl#")
#: the name used for the Python check of quotes against the article text
QUOTE_CHECK = "QuoteTextCheck"


class Violation(NamedTuple):
    """One failed constraint: the shape's short name, the focus node, the message."""

    shape: str
    focus: str
    message: str


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate_graph`; ``text`` is what the CLI prints."""

    conforms: bool
    text: str
    violations: list[Violation] = field(default_factory=list)


@functools.cache
def _subclass_axioms() -> Graph:
    graph = Graph()
    for s, o in ontology_graph().subject_objects(RDFS.subClassOf):
        if str(s).startswith(TG_NS) and str(o).startswith(TG_NS):
            graph.add((s, RDFS.subClassOf, o))
    return graph


@functools.cache
def _owner_shapes() -> dict[Node, str]:
    """Shape node (node shape or its property shapes) -> short name of the node shape."""
    shapes = shapes_graph()
    owners: dict[Node, str] = {}
    for node in shapes.subjects(RDF.type, SH.NodeShape):
        name = str(node).removeprefix(SHAPES_NS)
        owners[node] = name
        for prop in shapes.objects(node, SH.property):
            owners[prop] = name
        for constraint in shapes.objects(node, SH.sparql):
            owners[constraint] = name
    return owners


def validate_graph(data: Graph, *, article_text: str | None = None) -> ValidationReport:
    """Validate ``data`` against ``ontology/shapes.ttl`` (and the quotes against the text)."""
    from pyshacl import validate  # heavy import, only when validating

    _conforms, results, _report_text = validate(
        data,
        shacl_graph=shapes_graph(),
        ont_graph=_subclass_axioms(),
        inference="none",
        abort_on_first=False,
        allow_infos=True,
        allow_warnings=True,
        meta_shacl=False,
        advanced=False,
        js=False,
        debug=False,
    )
    if not isinstance(results, Graph):  # pyshacl returns (not raises) a failure of the shapes
        raise TrialgraphError(f"SHACL validation could not run: {results}")
    violations = _violations(results)
    if article_text is not None:
        violations += _check_quotes(data, article_text)
    violations.sort()
    ok = not violations
    return ValidationReport(conforms=ok, text=_text(violations), violations=violations)


def _violations(results: Graph) -> list[Violation]:
    owners = _owner_shapes()
    found: list[Violation] = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        source = results.value(result, SH.sourceShape)
        shape = owners.get(source) if source is not None else None
        shape = shape or str(source)
        message = str(results.value(result, SH.resultMessage) or "constraint violated")
        if not message.startswith(shape):
            message = f"{shape}: {message}"
        focus = results.value(result, SH.focusNode)
        found.append(Violation(shape, str(focus), message))
    return sorted(set(found))


def _check_quotes(data: Graph, text: str) -> list[Violation]:
    """Each target's quote must be the article text between its offsets, and the
    article's characterCount must be the text's length."""
    found: list[Violation] = []
    for article in set(data.subjects(RDF.type, TG.Article)):
        count = data.value(article, TG.characterCount)
        if isinstance(count, Literal) and count.toPython() != len(text):
            found.append(
                Violation(
                    QUOTE_CHECK,
                    str(article),
                    f"{QUOTE_CHECK}: characterCount {count} but the text has "
                    f"{len(text)} characters",
                )
            )
    for target in set(data.subjects(OA.hasSelector, None)):
        exact: str | None = None
        span: tuple[int, int] | None = None
        for selector in data.objects(target, OA.hasSelector):
            quote = data.value(selector, OA.exact)
            start, end = data.value(selector, OA.start), data.value(selector, OA.end)
            if quote is not None:
                exact = str(quote)
            if isinstance(start, Literal) and isinstance(end, Literal):
                span = (int(start.toPython()), int(end.toPython()))
        if exact is not None and span is not None and text[span[0] : span[1]] != exact:
            found.append(
                Violation(
                    QUOTE_CHECK,
                    str(target),
                    f"{QUOTE_CHECK}: the text at {span[0]}..{span[1]} is not "
                    f"the quote {exact[:60]!r}",
                )
            )
    return found


def _text(violations: list[Violation]) -> str:
    if not violations:
        return "Validation: conforms (0 violations)"
    lines = [f"Validation: {len(violations)} violation(s)"]
    lines += [f"- [{v.shape}] {v.focus}\n    {v.message}" for v in violations]
    return "\n".join(lines)


def shape_names() -> list[str]:
    """Short names of every node shape (for docs and tests)."""
    return sorted(
        str(s).removeprefix(SHAPES_NS)
        for s in shapes_graph().subjects(RDF.type, SH.NodeShape)
        if isinstance(s, URIRef)
    )
