"""Named queries: ``queries/*.rq`` files whose leading comment lines describe them.

::

    # title: Trials using a drug
    # description: Trials with an arm that gives ?drug.
    # param: ?drug iri "the drug IRI"
    # param: ?limit integer = 100 "most rows to return"
    SELECT ...

Parameter types (:mod:`trialgraph.queries.param_types`): ``iri``, ``string``, ``integer``,
``decimal``, ``boolean``, and domain types that also take names: ``drug`` (catalogue name,
brand or abbreviation), ``endpoint``, ``drugclass``, ``measure`` and the population facets
``her2``, ``hormone_receptor``, ``setting``, ``line``, ``menopausal_status`` (contract
values such as ``positive``). ``= value`` gives a default and makes the parameter
optional. :meth:`NamedQuery.bind` turns the raw strings of a request into TYPED rdflib
terms, so a value is always one RDF term handed to the store as a binding, never text
pasted into the query.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from rdflib.term import Node
from trialgraph.queries.param_types import PARAM_TYPES, convert

from trialgraph.config import DEFAULT_BASE_IRI
from trialgraph.errors import ConfigError, InputError, NotFound

__all__ = [
    "PARAM_TYPES",
    "NamedQuery",
    "QueryParam",
    "get_named_query",
    "load_named_queries",
    "parse_named_query",
]

_HEADER = re.compile(r"#\s*(title|description|param)\s*:\s*(.*)\Z")
_PARAM_NAME = re.compile(r"\?([A-Za-z_][A-Za-z0-9_]*)\Z")


@dataclass(frozen=True)
class QueryParam:
    """One declared parameter; ``name`` is without the '?'."""

    name: str
    type: str
    description: str = ""
    default: str | None = None

    @property
    def required(self) -> bool:
        return self.default is None

    def convert(self, raw: str, base_iri: str = DEFAULT_BASE_IRI) -> Node:
        """The typed term for ``raw``. :raises InputError: when it is not of this type."""
        try:
            return convert(self.type, raw, base_iri)
        except ValueError as exc:
            raise InputError(f"parameter {self.name}={raw!r}: {exc}") from exc


@dataclass(frozen=True)
class NamedQuery:
    """A query file: its name (file stem), header fields and full SPARQL text."""

    name: str
    title: str
    description: str
    params: tuple[QueryParam, ...] = field(default_factory=tuple)
    text: str = ""

    def signature(self) -> str:
        """``name(type), ...`` for error messages."""
        return (
            ", ".join(
                f"{p.name} ({p.type}{'' if p.required else ', optional'})" for p in self.params
            )
            or "no parameters"
        )

    def bind(self, raw: Mapping[str, str], *, base_iri: str = DEFAULT_BASE_IRI) -> dict[str, Node]:
        """Typed bindings for ``raw`` request values, defaults filled in.

        :raises InputError: unknown, missing or ill-typed parameters (the message lists
            the valid ones).
        """
        known = {p.name: p for p in self.params}
        unknown = sorted(set(raw) - set(known))
        if unknown:
            raise InputError(
                f"{self.name}: unknown parameter(s) {', '.join(unknown)}; valid: {self.signature()}"
            )
        bindings: dict[str, Node] = {}
        for param in self.params:
            value = raw.get(param.name, param.default)
            if value is None:
                raise InputError(
                    f"{self.name}: missing parameter {param.name}; valid: {self.signature()}"
                )
            bindings[param.name] = param.convert(value, base_iri)
        return bindings


def parse_named_query(name: str, text: str) -> NamedQuery:
    """Read the header of one query file. :raises ConfigError: a malformed header."""
    fields: dict[str, str] = {}
    params: list[QueryParam] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _HEADER.match(stripped)
        if match is None:
            continue
        key, value = match.groups()
        if key == "param":
            params.append(_parse_param(name, value))
        else:
            fields[key] = value.strip()
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    for param in params:
        if not re.search(rf"[?$]{param.name}\b", body):
            raise ConfigError(f"{name}.rq declares ?{param.name} but its query never uses it")
    return NamedQuery(
        name=name,
        title=fields.get("title", name),
        description=fields.get("description", ""),
        params=tuple(params),
        text=text,
    )


def _parse_param(query: str, spec: str) -> QueryParam:
    """``?name type [= default] ["description"]`` (description and default in any order)."""
    try:
        tokens = shlex.split(spec, posix=True)
    except ValueError as exc:
        raise ConfigError(f"{query}.rq: bad param line {spec!r}: {exc}") from exc
    if len(tokens) < 2 or not _PARAM_NAME.match(tokens[0]):
        raise ConfigError(f"{query}.rq: param line must start with '?name type': {spec!r}")
    name, kind = tokens[0][1:], tokens[1]
    if kind not in PARAM_TYPES:
        raise ConfigError(
            f"{query}.rq: ?{name} has unknown type {kind!r}; valid: {', '.join(PARAM_TYPES)}"
        )
    default: str | None = None
    words: list[str] = []
    rest = iter(tokens[2:])
    for token in rest:
        if token == "=":
            default = next(rest, None)
            if default is None:
                raise ConfigError(f"{query}.rq: ?{name} has '=' but no default value")
        elif token.startswith("=") and len(token) > 1:
            default = token[1:]
        else:
            words.append(token)
    param = QueryParam(name=name, type=kind, description=" ".join(words), default=default)
    if default is not None:
        try:
            param.convert(default)
        except InputError as exc:
            raise ConfigError(f"{query}.rq: bad default: {exc}") from exc
    return param


def _files(directory: Path | None) -> Iterable[Traversable]:
    root: Traversable = (
        directory if directory is not None else resources.files("trialgraph.queries")
    )
    return sorted((f for f in root.iterdir() if f.name.endswith(".rq")), key=lambda f: f.name)


def load_named_queries(directory: Path | None = None) -> dict[str, NamedQuery]:
    """Every ``.rq`` file of the package (or of ``directory``), by file stem."""
    return {
        f.name.removesuffix(".rq"): parse_named_query(
            f.name.removesuffix(".rq"), f.read_text(encoding="utf-8")
        )
        for f in _files(directory)
    }


def get_named_query(name: str, directory: Path | None = None) -> NamedQuery:
    """One named query. :raises NotFound: unknown name (the message lists valid ones)."""
    queries = load_named_queries(directory)
    if name not in queries:
        raise NotFound(f"no named query {name!r}; valid: {', '.join(sorted(queries))}")
    return queries[name]
