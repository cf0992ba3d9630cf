"""Parameter types of named queries: raw request strings to typed RDF terms.

A researcher should be able to write ``drug=Perjeta`` or ``hormoneReceptor=positive``
rather than an IRI, so besides the plain literal types there are domain types that accept
either an absolute IRI or a name resolved through the catalogue and the contract's facet
values. Resolution never builds query text: the result is always an rdflib term, and a
value that resolves to nothing is an error naming what would have been accepted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from trialgraph.config import DEFAULT_BASE_IRI
from trialgraph.ids import Minter
from trialgraph.vocab import FACETS, MEASURES, TG_NS

__all__ = ["PARAM_TYPES", "Converter", "convert"]

Converter = Callable[[str, str], Node]

_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)\Z")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S")
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_BOOLEANS = {"true": "true", "false": "false", "1": "true", "0": "false"}
_CLASS_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*\Z")


def _is_iri(raw: str) -> bool:
    return bool(_SCHEME.match(raw)) and not _IRI_FORBIDDEN.search(raw)


def _iri(raw: str, base: str) -> Node:
    if not _is_iri(raw):
        raise ValueError('expected an absolute IRI without spaces or any of <>"{}|^`\\')
    return URIRef(raw)


def _integer(raw: str, base: str) -> Node:
    if not _INTEGER.match(raw):
        raise ValueError("expected an integer")
    return Literal(str(int(raw)), datatype=XSD.integer)


def _decimal(raw: str, base: str) -> Node:
    if not _DECIMAL.match(raw):
        raise ValueError("expected a decimal number such as 0.65")
    return Literal(raw, datatype=XSD.decimal)


def _boolean(raw: str, base: str) -> Node:
    if raw.lower() not in _BOOLEANS:
        raise ValueError("expected true or false")
    return Literal(_BOOLEANS[raw.lower()], datatype=XSD.boolean)


def _string(raw: str, base: str) -> Node:
    return Literal(raw)


def _catalogue_term(raw: str, base: str, kind: str) -> Node:
    """A drug or endpoint IRI as given, or the catalogue entry the name resolves to."""
    if _is_iri(raw):
        return URIRef(raw)
    from trialgraph.ontology.catalogue import load_catalogue

    catalogue, minter = load_catalogue(), Minter(base)
    if kind == "drug":
        drug = catalogue.lookup_drug(raw)
        if drug is not None:
            return minter.drug(drug.label)
        raise ValueError(
            "expected a drug IRI or a drug name, brand or abbreviation the "
            "catalogue knows (e.g. pertuzumab, Perjeta, T-DM1)"
        )
    endpoint = catalogue.lookup_endpoint(raw)
    if endpoint is not None:
        return minter.endpoint(endpoint.abbreviation)
    raise ValueError(
        "expected an endpoint IRI or an endpoint name or abbreviation (e.g. PFS, overall survival)"
    )


def _drug_class(raw: str, base: str) -> Node:
    if _is_iri(raw):
        return URIRef(raw)
    from trialgraph.ontology.catalogue import load_catalogue

    classes = load_catalogue().classes
    wanted = re.sub(r"[^a-z0-9]", "", raw.lower())
    for name in classes:
        if name.lower() == wanted:
            return URIRef(TG_NS + name)
    raise ValueError(f"expected a drug-class IRI or one of: {', '.join(sorted(classes))}")


def _choice(table: Mapping[str, URIRef], what: str) -> Converter:
    def convert(raw: str, base: str) -> Node:
        if _is_iri(raw):
            return URIRef(raw)
        try:
            return table[raw.lower()]
        except KeyError:
            raise ValueError(f"expected a {what} IRI or one of: {', '.join(table)}") from None

    return convert


#: parameter type -> converter from (raw request string, base IRI) to a typed term
PARAM_TYPES: dict[str, Converter] = {
    "iri": _iri,
    "string": _string,
    "integer": _integer,
    "decimal": _decimal,
    "boolean": _boolean,
    "drug": lambda raw, base: _catalogue_term(raw, base, "drug"),
    "endpoint": lambda raw, base: _catalogue_term(raw, base, "endpoint"),
    "drugclass": _drug_class,
    "measure": _choice(MEASURES, "measure"),
    **{field: _choice(values, field.replace("_", " ")) for field, (_, values) in FACETS.items()},
}


def convert(kind: str, raw: str, base_iri: str = DEFAULT_BASE_IRI) -> Node:
    """The term for ``raw`` as a ``kind`` parameter. :raises ValueError: when it is not one."""
    return PARAM_TYPES[kind](raw, base_iri)
