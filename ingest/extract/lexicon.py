"""The catalogue as the extractor sees it: one compiled regex per lexicon.

The catalogue (:mod:`trialgraph.ontology.catalogue`) is the only drug and endpoint
lexicon. Scanning a sentence once per surface form would be quadratic in catalogue size,
so every surface form is folded into one alternation, longest first, compiled once per
catalogue object and reused for every document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from trialgraph.ingest.extract.matcher import FormMatcher

__all__ = [
    "CatalogueLike",
    "DrugInfo",
    "EndpointInfo",
    "Lexicon",
    "compile_lexicon",
]


class _DrugEntryLike(Protocol):
    @property
    def label(self) -> str: ...
    @property
    def is_class(self) -> bool: ...
    @property
    def classes(self) -> Iterable[str]: ...
    @property
    def components(self) -> Iterable[str]: ...


class _EndpointEntryLike(Protocol):
    @property
    def abbreviation(self) -> str: ...
    @property
    def kind(self) -> str: ...


class CatalogueLike(Protocol):
    """What the extractor needs from ``trialgraph.ontology.catalogue.Catalogue``."""

    def lookup_drug(self, mention: str) -> _DrugEntryLike | None: ...
    def drug_surface_forms(self) -> Mapping[str, _DrugEntryLike]: ...
    def endpoint_surface_forms(self) -> Mapping[str, _EndpointEntryLike]: ...


@dataclass(frozen=True)
class DrugInfo:
    """A resolved drug: the contract names it expands to and the classes it belongs to."""

    label: str
    names: tuple[str, ...]
    is_class: bool
    classes: frozenset[str]
    own_classes: frozenset[str] = frozenset()

    def covers(self, other: DrugInfo) -> bool:
        """A class mention ('chemotherapy') covers a drug of that class ('capecitabine')."""
        return self.is_class and bool(self.own_classes) and self.own_classes <= other.classes


@dataclass(frozen=True)
class EndpointInfo:
    """A resolved endpoint: contract abbreviation and kind (time, rate or count)."""

    abbreviation: str
    kind: str


@dataclass
class Lexicon:
    """Compiled surface-form matchers over one catalogue."""

    drug_re: re.Pattern[str]
    drugs: dict[str, DrugInfo]
    endpoint_re: re.Pattern[str]
    endpoints: dict[str, EndpointInfo]
    _cache: dict[str, str] = field(default_factory=dict)
    #: the same matches as ``drug_re``/``endpoint_re``, in linear time (:mod:`.matcher`)
    drug_matcher: FormMatcher | None = None
    endpoint_matcher: FormMatcher | None = None

    def drug(self, surface: str) -> DrugInfo | None:
        """The drug a matched surface form stands for."""
        return self.drugs.get(_fold(surface))

    def endpoint(self, surface: str) -> EndpointInfo | None:
        """The endpoint a matched surface form stands for."""
        return self.endpoints.get(_fold(surface))


def _fold(surface: str) -> str:
    """Case, dash and space variants of one form fold to one key."""
    s = surface.lower().replace("\u2011", "-").replace("\u2010", "-").replace("\u2013", "-")
    return " ".join(s.split())


def _alternation(forms: Iterable[str]) -> re.Pattern[str]:
    parts = []
    for form in sorted(set(forms), key=lambda f: (-len(f), f)):
        words = [re.escape(w) for w in form.split()]
        pattern = r"\s+".join(words)
        parts.append(pattern.replace(r"\-", r"[-\u2010\u2011\u2013]"))
    if not parts:
        return re.compile(r"(?!x)x")
    return re.compile(r"(?<![\w])(?:" + "|".join(parts) + r")(?![\w])", re.IGNORECASE)


def _resolve_names(catalogue: CatalogueLike, entry: _DrugEntryLike) -> tuple[str, ...]:
    components = list(entry.components or ())
    if not components:
        return (entry.label,)
    names: list[str] = []
    for comp in components:
        found = catalogue.lookup_drug(comp)
        names.append(found.label if found is not None else comp)
    return tuple(names)


def _resolve_classes(catalogue: CatalogueLike, entry: _DrugEntryLike) -> frozenset[str]:
    """Every class the entry belongs to, transitively when the catalogue can say so."""
    types = getattr(catalogue, "drug_types", None)
    if callable(types):
        return frozenset(types(entry))
    return frozenset(entry.classes or ())


def compile_lexicon(catalogue: CatalogueLike) -> Lexicon:
    """Fold the catalogue's surface forms into two compiled matchers."""
    drugs: dict[str, DrugInfo] = {}
    for form, entry in catalogue.drug_surface_forms().items():
        drugs[_fold(form)] = DrugInfo(
            label=entry.label,
            names=_resolve_names(catalogue, entry),
            is_class=bool(entry.is_class),
            classes=_resolve_classes(catalogue, entry),
            own_classes=frozenset(entry.classes or ()),
        )
    endpoints = {
        _fold(form): EndpointInfo(abbreviation=e.abbreviation, kind=e.kind)
        for form, e in catalogue.endpoint_surface_forms().items()
    }
    drug_re, endpoint_re = _alternation(drugs), _alternation(endpoints)
    return Lexicon(
        drug_re=drug_re,
        drugs=drugs,
        endpoint_re=endpoint_re,
        endpoints=endpoints,
        drug_matcher=FormMatcher(drugs, drug_re),
        endpoint_matcher=FormMatcher(endpoints, endpoint_re),
    )
