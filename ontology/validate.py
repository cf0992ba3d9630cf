"""SHACL validation of article graphs and stores, with reports that name the failed shape.

Ingest validates every article graph before it commits, so this must be fast: pyshacl runs
with ``inference="none"`` and, as ontology graph, only the ``tg:`` subclass axioms (so a
node typed ``tg:ArmResult`` alone is still a ``tg:Result`` target) rather than the whole
TBox and catalogue. When the article text is at hand, the quotes are also checked against
the text at their offsets, which SHACL cannot see.

Two engines run the same shapes. The default is ``shacl`` (a compiled Rust validator from
PyPI), about 10x faster than pyshacl on an article graph; pyshacl stays as the reference
(``engine="pyshacl"``), and a test checks that both report the same (shape, focus node)
pairs on every broken and passing graph of the shapes suite and on the corpus graphs.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple
from typing import Literal as TypingLiteral

from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.term import Node
from trialgraph.ontology.packaged import ontology_graph, shapes_graph

from trialgraph.errors import TrialgraphError
from trialgraph.vocab import OA, TG, TG_NS

if TYPE_CHECKING:
    from collections.abc import Sequence

    import shacl

    from trialgraph.store._terms import OxTriple

__all__ = ["SHAPES_NS", "ValidationReport", "Violation", "validate_graph", "validate_triples"]

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


Engine = TypingLiteral["shacl", "pyshacl"]


def validate_graph(
    data: Graph, *, article_text: str | None = None, engine: Engine = "shacl"
) -> ValidationReport:
    """Validate ``data`` against ``ontology/shapes.ttl`` (and the quotes against the text).

    ``engine="pyshacl"`` is the reference implementation (slow: for tests and debugging).
    """
    from trialgraph.store._terms import to_oxigraph

    triples: list[OxTriple] = [
        (to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[misc]
        for s, p, o in data
    ]
    if engine == "shacl":
        return validate_triples(triples, article_text=article_text)
    violations = _pyshacl_violations(data)
    if article_text is not None:
        violations += _check_quotes(triples, article_text)
    return _report(violations)


def validate_triples(
    triples: Sequence[OxTriple], *, ntriples: str | None = None, article_text: str | None = None
) -> ValidationReport:
    """:func:`validate_graph` (compiled engine) on pyoxigraph-term triples, the form
    ingest builds; ``ntriples`` is their N-Triples text when the caller already has it."""
    from trialgraph.store._terms import to_ntriples

    text = ntriples if ntriples is not None else to_ntriples(triples)
    violations = _compiled_violations(text)
    if article_text is not None:
        violations += _check_quotes(triples, article_text)
    return _report(violations)


def _report(violations: list[Violation]) -> ValidationReport:
    violations.sort()
    ok = not violations
    return ValidationReport(conforms=ok, text=_text(violations), violations=violations)


@functools.cache
def _compiled_shapes() -> shacl.Shapes:
    from importlib import resources

    import shacl  # compiled once per process, only when validating
    from trialgraph.ontology.packaged import SHAPES_FILE

    turtle = resources.files("trialgraph.ontology").joinpath(SHAPES_FILE).read_text("utf-8")
    return shacl.Shapes.from_turtle(turtle)


@functools.cache
def _subclass_ntriples() -> str:
    import pyoxigraph as ox

    from trialgraph.store._terms import to_oxigraph_triples

    data = _subclass_axioms()
    body = ox.serialize(to_oxigraph_triples(data), format=ox.RdfFormat.N_TRIPLES) or b""
    return body.decode("utf-8")


def _plain(term: str) -> str:
    """N-Triples IRI ``<x>`` -> ``x`` (how pyshacl's report, read by rdflib, prints it)."""
    return term[1:-1] if term.startswith("<") and term.endswith(">") else term


def _compiled_violations(ntriples: str) -> list[Violation]:
    """The shapes on the data plus the subclass axioms (pyshacl's ``ont_graph`` merge)."""
    text = ntriples + _subclass_ntriples()
    try:
        report = _compiled_shapes().validate_text(text, "ntriples")
    except ValueError as exc:
        raise TrialgraphError(f"SHACL validation could not run: {exc}") from exc
    found: list[Violation] = []
    for result in report.results:
        shape = _plain(str(result.root_shape)).removeprefix(SHAPES_NS)
        message = str(result.message or "constraint violated")
        if not message.startswith(shape):
            message = f"{shape}: {message}"
        found.append(Violation(shape, _plain(str(result.focus_node)), message))
    return sorted(set(found))


def _pyshacl_violations(data: Graph) -> list[Violation]:
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
    return _violations(results)


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


def _check_quotes(triples: Sequence[OxTriple], text: str) -> list[Violation]:
    """Each target's quote must be the article text between its offsets, and the
    article's characterCount must be the text's length."""
    articles: list[str] = []
    counts: dict[str, str] = {}
    selectors: dict[str, list[str]] = {}
    exact: dict[str, str] = {}
    starts: dict[str, str] = {}
    ends: dict[str, str] = {}
    for s, p, o in triples:
        pred = p.value
        if pred == _TYPE:
            if o.value == _ARTICLE and s.value not in articles:
                articles.append(s.value)
        elif pred == _SELECTOR:
            selectors.setdefault(s.value, []).append(o.value)
        elif pred == _EXACT:
            exact[s.value] = o.value
        elif pred == _START:
            starts[s.value] = o.value
        elif pred == _END:
            ends[s.value] = o.value
        elif pred == _COUNT:
            counts[s.value] = o.value
    found: list[Violation] = []
    for article in articles:
        count = counts.get(article)
        if count is not None and _int(count) != len(text):
            found.append(
                Violation(
                    QUOTE_CHECK,
                    article,
                    f"{QUOTE_CHECK}: characterCount {count} but the text has "
                    f"{len(text)} characters",
                )
            )
    for target, chosen in selectors.items():
        quote: str | None = None
        span: tuple[int, int] | None = None
        for selector in chosen:
            if selector in exact:
                quote = exact[selector]
            start, end = _int(starts.get(selector)), _int(ends.get(selector))
            if start is not None and end is not None:
                span = (start, end)
        if quote is not None and span is not None and text[span[0] : span[1]] != quote:
            found.append(
                Violation(
                    QUOTE_CHECK,
                    target,
                    f"{QUOTE_CHECK}: the text at {span[0]}..{span[1]} is not "
                    f"the quote {quote[:60]!r}",
                )
            )
    return found


_TYPE, _ARTICLE, _COUNT = str(RDF.type), str(TG.Article), str(TG.characterCount)
_SELECTOR, _EXACT = str(OA.hasSelector), str(OA.exact)
_START, _END = str(OA.start), str(OA.end)


def _int(lexical: str | None) -> int | None:
    """An offset's value; ``None`` when absent or not an integer (the shapes report it)."""
    if lexical is None:
        return None
    try:
        return int(lexical)
    except ValueError:
        return None


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
