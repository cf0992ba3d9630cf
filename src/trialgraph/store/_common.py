"""Pieces every backend shares: format-name checks, the VALUES block used for bindings
where an engine has no native pre-binding, and the chunk size of streamed dumps."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from trialgraph.errors import InputError, UnsupportedFormat
from trialgraph.store._terms import to_oxigraph
from trialgraph.store.base import QUAD_FORMATS, RDF_FORMATS, RESULT_FORMATS

__all__ = [
    "CHUNK_SIZE",
    "bind_values",
    "check_iri",
    "check_rdf_format",
    "check_result_format",
    "chunked",
    "is_quad_format",
    "one_line",
    "query_form",
    "values_block",
]

#: bytes per chunk yielded by ``dump``
CHUNK_SIZE = 64 * 1024

_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def check_rdf_format(fmt: str) -> str:
    """Return ``fmt`` if it is an RDF_FORMATS key. :raises UnsupportedFormat: otherwise."""
    if fmt not in RDF_FORMATS:
        raise UnsupportedFormat(
            f"unknown RDF format {fmt!r}; valid formats: {', '.join(sorted(RDF_FORMATS))}"
        )
    return fmt


def check_result_format(fmt: str) -> str:
    """Return ``fmt`` if it is a RESULT_FORMATS key. :raises UnsupportedFormat: otherwise."""
    if fmt not in RESULT_FORMATS:
        raise UnsupportedFormat(
            f"unknown result format {fmt!r}; valid formats: {', '.join(sorted(RESULT_FORMATS))}"
        )
    return fmt


def is_quad_format(fmt: str) -> bool:
    """Whether the format can hold named graphs."""
    return check_rdf_format(fmt) in QUAD_FORMATS


def check_iri(iri: str) -> str:
    """Return ``iri`` if it is absolute and free of characters IRIs may not contain.

    :raises InputError: otherwise, so nothing malformed reaches a query or an HTTP URL.
    """
    if not _SCHEME.match(iri) or _IRI_FORBIDDEN.search(iri):
        raise InputError(f"not an absolute IRI: {iri!r}")
    return iri


def values_block(bindings: Mapping[str, Node]) -> str:
    """``VALUES (?a ?b) { (term term) }`` binding each variable to one term ('' if none).

    Terms are validated and written in pyoxigraph's N-Triples form (one line, every quote
    and newline escaped), so a value is always one RDF term: a literal containing SPARQL
    stays a literal.
    """
    names: list[str] = []
    terms: list[str] = []
    for name, term in bindings.items():
        if not _VARIABLE.match(name):
            raise InputError(f"not a SPARQL variable name: {name!r}")
        if isinstance(term, URIRef):
            terms.append(f"<{check_iri(str(term))}>")
        elif isinstance(term, Literal):
            terms.append(str(to_oxigraph(term)))
        elif isinstance(term, BNode):
            raise InputError(f"?{name}: a blank node cannot be a parameter value")
        else:
            raise InputError(f"?{name}: not an RDF term: {term!r}")
        names.append(f"?{name}")
    if not names:
        return ""
    return f"VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"


def bind_values(query: str, bindings: Mapping[str, Node]) -> str:
    """``query`` with ``bindings`` as a VALUES block at the start of its WHERE group.

    There, the values are joined before the group's FILTERs, OPTIONALs and any GROUP BY
    are evaluated, which is what pre-binding means (a trailing VALUES would be joined
    after them). Not seen inside sub-SELECTs or FILTERs of nested plain groups. The
    ``CONSTRUCT WHERE { }`` short form, whose group is also the template, gets a
    trailing VALUES instead.
    """
    block = values_block(bindings)
    if not block:
        return query
    position = _where_group(query)
    if position is None:
        return f"{query}\n{block}\n"
    return f"{query[:position]} {block}\n{query[position:]}"


def _where_group(query: str) -> int | None:
    """Offset just after the ``{`` that opens the query's WHERE group."""
    form: str | None = None
    template_depth = -1  # >0 while inside a CONSTRUCT template
    for match in _TOKENS.finditer(query):
        word, brace = match.group(1), match.group(2)
        if form is None:
            if word is not None and word.upper() in _FORMS:
                form = word.upper()
                template_depth = 0 if form == "CONSTRUCT" else -1
            continue
        if template_depth == 0:  # right after CONSTRUCT: a template, or the short form
            if word is not None and word.upper() == "WHERE":
                return None
            if brace == "{":
                template_depth = 1
            continue
        if template_depth > 0:
            template_depth += {"{": 1, "}": -1}.get(brace or "", 0)
            if template_depth == 0:
                template_depth = -1
            continue
        if brace == "{":
            return match.end()
    return None


def chunked(data: bytes, size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """Yield ``data`` in slices of ``size`` bytes."""
    for start in range(0, len(data), size):
        yield data[start : start + size]


def one_line(message: object, limit: int = 500) -> str:
    """A parser's message on one line, cut at ``limit`` characters: oxigraph lists every
    expected token across several lines, which would swamp a CLI error or a log."""
    text = " ".join(str(message).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# strings (long and short, both quotes), IRIs and comments are skipped; keywords (not
# variables or prefixed names) and braces are captured
_TOKENS = re.compile(
    r"'''(?:[^\\]|\\.)*?'''"
    r'|"""(?:[^\\]|\\.)*?"""'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|"(?:[^"\\\n]|\\.)*"'
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n]*"
    r"|(?<![\w?$:])([A-Za-z]+)(?![\w:-])"
    r"|([{}])",
    re.DOTALL,
)
_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})


def query_form(query: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first such keyword outside comments, IRIs
    and strings (a prologue holds nothing else), or None for anything else (an update)."""
    for match in _TOKENS.finditer(query):
        word = match.group(1)
        if word is not None and word.upper() in _FORMS:
            return word.upper()
    return None
