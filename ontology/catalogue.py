"""The drug and endpoint catalogue: the one lexicon ingest and queries share.

The catalogue is data (``catalogue-*.ttl`` beside this module, hand-maintained Turtle);
this module only reads it, so adding a drug, a brand name or an endpoint synonym is an
edit to Turtle, never to code. Individuals use relative IRIs (``<drug/pertuzumab>``)
resolved against ``{base}id/`` so that another base IRI needs no edit.

Lookup is deliberately forgiving about the ways papers write names (case, spaces, hyphens,
trademark signs, salts, biosimilar suffixes, ``ado-``/``fam-`` prefixes, plurals of class
names) and strict about everything else: an unknown mention gives ``None``, never a guess.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import TypeVar

from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from trialgraph.config import DEFAULT_BASE_IRI
from trialgraph.errors import TrialgraphError
from trialgraph.ids import slug
from trialgraph.vocab import SKOS, TG, TG_NS

__all__ = [
    "CATALOGUE_FILES",
    "Catalogue",
    "DrugEntry",
    "EndpointEntry",
    "build_catalogue",
    "load_catalogue",
    "surface_form",
]

#: the Turtle files that make up the catalogue, in load order
CATALOGUE_FILES = (
    "catalogue-classes.ttl",
    "catalogue-drugs.ttl",
    "catalogue-regimens.ttl",
    "catalogue-endpoints.ttl",
)

_TG = Namespace(TG_NS)
_E = TypeVar("_E", "DrugEntry", "EndpointEntry")
_DASHES = re.compile(r"[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]")
_MARKS = re.compile(r"[®™©\u00AE\u2122]")
_SPACES = re.compile(r"\s+")
_JOINERS = re.compile(r"[\s\-'.,()]+")
#: salt and form words papers append to an INN ("lapatinib ditosylate")
_SALTS = frozenset(
    [
        "acetate",
        "besylate",
        "bromide",
        "calcium",
        "camsylate",
        "citrate",
        "dihydrochloride",
        "dimaleate",
        "dimesylate",
        "disodium",
        "ditosylate",
        "fumarate",
        "hcl",
        "hydrobromide",
        "hydrochloride",
        "lactate",
        "malate",
        "maleate",
        "mesylate",
        "monohydrate",
        "phosphate",
        "potassium",
        "sodium",
        "succinate",
        "sulfate",
        "tartrate",
        "tosylate",
        "tromethamine",
        "anhydrous",
    ]
)
#: FDA-style four-letter suffix of a biologic ("trastuzumab-dkst", "...deruxtecan-nxki")
_BIOSIMILAR = re.compile(r"^(?P<base>.+\S)-(?P<suffix>[a-z]{4})$")
#: hyphenated English words that look like a four-letter suffix ("anthracycline-free")
_NOT_SUFFIXES = frozenset(
    [
        "free",
        "like",
        "type",
        "line",
        "dose",
        "time",
        "only",
        "fold",
        "rich",
        "high",
        "half",
        "week",
        "arms",
        "base",
        "mode",
        "naive",
        "risk",
        "arm",
        "alone",
    ]
)
_PREFIXES = re.compile(r"^(ado|fam|ziv)-")
_TRAILING_WORDS = (" therapy", " treatment", " regimen", " chemotherapy")


def surface_form(text: str) -> str:
    """Lower case, NFKC, ASCII hyphens and apostrophes, no trademark signs, single spaces.

    The keys of :meth:`Catalogue.drug_surface_forms` are in this form; an extractor that
    matches text should put the text in the same form and allow a space or hyphen (or
    nothing) wherever a key has one ("T-DM1", "TDM1", "T DM1" all mean the same).
    """
    text = unicodedata.normalize("NFKC", text)
    text = _MARKS.sub("", text).replace("\u2019", "'").replace("\u2018", "'")
    text = _DASHES.sub("-", text)
    return _SPACES.sub(" ", text).strip().lower()


def _match_key(text: str) -> str:
    """The comparison key: the surface form without spaces, hyphens, dots or apostrophes."""
    return _JOINERS.sub("", surface_form(text))


@dataclass(frozen=True)
class DrugEntry:
    """One agent, a class named as an agent, or a regimen / fixed-dose product."""

    key: str
    label: str
    synonyms: tuple[str, ...]
    is_class: bool
    classes: tuple[str, ...]
    components: tuple[str, ...]


@dataclass(frozen=True)
class EndpointEntry:
    """One endpoint: the contract abbreviation, its full name and how it is reported."""

    abbreviation: str
    label: str
    synonyms: tuple[str, ...]
    kind: str


_KINDS = {"TimeToEventEndpoint": "time", "RateEndpoint": "rate", "CountEndpoint": "count"}


def _local(iri: object) -> str | None:
    text = str(iri)
    return text[len(TG_NS) :] if text.startswith(TG_NS) else None


class Catalogue:
    """The parsed catalogue with its lookup indexes (built once, read-only afterwards)."""

    def __init__(
        self,
        drugs: tuple[DrugEntry, ...],
        endpoints: tuple[EndpointEntry, ...],
        classes: dict[str, tuple[str, ...]],
        turtle: tuple[str, ...] = (),
    ) -> None:
        self.drugs = drugs
        self.endpoints = endpoints
        self.classes = classes
        self._turtle = turtle
        self._drug_index = _index(
            ((form, entry) for entry in drugs for form in (entry.label, *entry.synonyms)),
            "drug",
        )
        self._endpoint_index = _index(
            (
                (form, entry)
                for entry in endpoints
                for form in (entry.abbreviation, entry.label, *entry.synonyms)
            ),
            "endpoint",
        )

    # lookups ---------------------------------------------------------------------------
    def lookup_drug(self, mention: str) -> DrugEntry | None:
        """The entry a drug mention names, or None; see the module docstring for the rules."""
        for candidate in _drug_candidates(surface_form(mention)):
            entry = self._drug_index.get(_match_key(candidate.text))
            if entry is not None and candidate.accepts(entry):
                return entry
        return None

    def lookup_endpoint(self, mention: str) -> EndpointEntry | None:
        """The endpoint a mention names ("median PFS", "pCR rate" included), or None."""
        form = surface_form(mention)
        candidates = [form]
        if form.startswith("median "):
            candidates.append(form.removeprefix("median "))
        candidates += [c.removesuffix(" rate") for c in list(candidates) if c.endswith(" rate")]
        for candidate in candidates:
            entry = self._endpoint_index.get(_match_key(candidate))
            if entry is not None:
                return entry
        return None

    def drug(self, label: str) -> DrugEntry:
        """The entry with exactly this contract label; KeyError names the label."""
        entry = self._drug_index.get(_match_key(label))
        if entry is None or entry.label != label:
            raise KeyError(f"no catalogue drug labelled {label!r}")
        return entry

    def drug_surface_forms(self) -> dict[str, DrugEntry]:
        """Surface form (see :func:`surface_form`) -> entry, for one big regex or trie."""
        return {
            surface_form(form): entry
            for entry in self.drugs
            for form in (entry.label, *entry.synonyms)
        }

    def endpoint_surface_forms(self) -> dict[str, EndpointEntry]:
        """Surface form -> endpoint entry (abbreviations, full names and synonyms)."""
        return {
            surface_form(form): entry
            for entry in self.endpoints
            for form in (entry.abbreviation, entry.label, *entry.synonyms)
        }

    # classes ---------------------------------------------------------------------------
    def ancestors(self, class_name: str) -> set[str]:
        """Every transitive superclass of a catalogue class (tg local names), not itself."""
        seen: set[str] = set()
        todo = list(self.classes.get(class_name, ()))
        while todo:
            parent = todo.pop()
            if parent not in seen:
                seen.add(parent)
                todo.extend(self.classes.get(parent, ()))
        return seen

    def drug_types(self, entry: DrugEntry) -> set[str]:
        """All classes of a drug: its direct classes, their ancestors, and Drug."""
        types = {"Drug", *entry.classes}
        for cls in entry.classes:
            types |= self.ancestors(cls)
        return types

    def to_graph(self, base_iri: str = DEFAULT_BASE_IRI, *, closure: bool = True) -> Graph:
        """The catalogue triples for ``{base}graph/catalogue``, with the class closure
        materialised (each drug typed with every ancestor class) so that plain SPARQL finds
        "all taxanes" without a reasoner, and a ``skos:prefLabel`` on every drug/endpoint.
        ``closure=False`` leaves only the direct types (to compare with a reasoner)."""
        graph = _parse(self._turtle, base_iri)
        for entry in self.drugs:
            iri = URIRef(f"{base_iri}id/drug/{entry.key}")
            for cls in self.drug_types(entry) if closure else ():
                graph.add((iri, RDF.type, _TG[cls]))
            graph.add((iri, SKOS.prefLabel, Literal(entry.label)))
        for endpoint in self.endpoints:
            iri = URIRef(f"{base_iri}id/endpoint/{slug(endpoint.abbreviation)}")
            graph.add((iri, SKOS.prefLabel, Literal(endpoint.label)))
        return graph


@dataclass(frozen=True)
class _Candidate:
    """A rewritten mention and which entries it may resolve to."""

    text: str
    needs: str = "any"  # "any" | "class" (plural / "... therapy") | "biologic"

    def accepts(self, entry: DrugEntry) -> bool:
        if self.needs == "class":
            return entry.is_class or bool(entry.components)
        if self.needs == "biologic":
            return _is_biologic(entry)
        return True


def _is_biologic(entry: DrugEntry) -> bool:
    """Biosimilar-style suffixes only exist on biologics: antibodies, ADCs, fusion
    proteins, cell therapies (names with a space are conjugates such as 'x deruxtecan')."""
    label = entry.label
    return not entry.is_class and (
        label.endswith(("mab", "cept", "leucel", "ase")) or (" " in label and "/" not in label)
    )


def _drug_candidates(form: str) -> Iterator[_Candidate]:
    """The mention, then its rewrites in order of decreasing confidence."""
    yield _Candidate(form)
    stripped = _PREFIXES.sub("", form)
    if stripped != form:
        yield _Candidate(stripped)
    for text in dict.fromkeys((form, stripped)):
        match = _BIOSIMILAR.match(text)
        if match and match["suffix"] not in _NOT_SUFFIXES:
            yield _Candidate(match["base"], "biologic")
            yield _Candidate(_PREFIXES.sub("", match["base"]), "biologic")
        words = text.split(" ")
        while len(words) > 1 and words[-1] in _SALTS:
            words = words[:-1]
            yield _Candidate(" ".join(words))
        while len(words) > 1 and words[0] in _SALTS:  # "calcium folinate" style
            words = words[1:]
            yield _Candidate(" ".join(words))
    for suffix in _TRAILING_WORDS:
        if form.endswith(suffix) and len(form) > len(suffix):
            yield _Candidate(form.removesuffix(suffix), "class")
    if form.endswith("s") and len(form) >= 3:
        yield _Candidate(form[:-1], "class")
        if form.endswith("es"):
            yield _Candidate(form[:-2], "class")


def _index(pairs: Iterator[tuple[str, _E]], what: str) -> dict[str, _E]:
    """Match key -> entry; two entries claiming one key is a data error, said loudly."""
    index: dict[str, _E] = {}
    for form, entry in pairs:
        key = _match_key(form)
        if not key:
            raise TrialgraphError(f"catalogue: empty {what} surface form in {entry!r}")
        other = index.setdefault(key, entry)
        if other is not entry and other != entry:
            raise TrialgraphError(
                f"catalogue: {what} surface form {form!r} names two entries: "
                f"{getattr(other, 'label', other)!r} and {getattr(entry, 'label', entry)!r}"
            )
    return index


def _parse(turtle: tuple[str, ...], base_iri: str) -> Graph:
    graph = Graph()
    for text in turtle:
        graph.parse(data=text, format="turtle", publicID=f"{base_iri}id/")
    graph.bind("tg", _TG)
    graph.bind("skos", SKOS)
    return graph


def _read_turtle() -> tuple[str, ...]:
    package = resources.files("trialgraph.ontology")
    return tuple(package.joinpath(name).read_text(encoding="utf-8") for name in CATALOGUE_FILES)


def _strings(graph: Graph, subject: Node, predicate: URIRef) -> tuple[str, ...]:
    return tuple(sorted(str(o) for o in graph.objects(subject, predicate)))


def build_catalogue(turtle: tuple[str, ...]) -> Catalogue:
    """Parse catalogue Turtle into entries (separate from the cache so tests can feed data)."""
    graph = _parse(turtle, DEFAULT_BASE_IRI)
    drug_prefix = f"{DEFAULT_BASE_IRI}id/drug/"
    classes: dict[str, tuple[str, ...]] = {}
    for cls in graph.subjects(RDF.type, TG.DrugClass):
        name = _local(cls)
        if name is not None:
            supers = (_local(s) for s in graph.objects(cls, RDFS.subClassOf))
            classes[name] = tuple(sorted(s for s in supers if s is not None))
    labels = {s: str(o) for s, o in graph.subject_objects(RDFS.label)}
    drugs = []
    for drug in sorted(graph.subjects(RDF.type, TG.Drug), key=str):
        if not isinstance(drug, URIRef) or not str(drug).startswith(drug_prefix):
            raise TrialgraphError(f"catalogue: drug {drug} is not under <drug/...>")
        if drug not in labels:
            raise TrialgraphError(f"catalogue: drug {drug} has no rdfs:label")
        direct = (_local(t) for t in graph.objects(drug, RDF.type))
        drugs.append(
            DrugEntry(
                key=str(drug)[len(drug_prefix) :],
                label=labels[drug],
                synonyms=_strings(graph, drug, SKOS.altLabel),
                is_class=(drug, TG.drugClass, None) in graph,
                classes=tuple(sorted(t for t in direct if t is not None and t != "Drug")),
                components=tuple(
                    sorted(labels.get(c, str(c)) for c in graph.objects(drug, TG.hasComponent))
                ),
            )
        )
    endpoints = []
    for endpoint in sorted(graph.subjects(RDF.type, TG.Endpoint), key=str):
        local_types = {_local(t) for t in graph.objects(endpoint, RDF.type)}
        kinds = [kind for name, kind in _KINDS.items() if name in local_types]
        notation = graph.value(endpoint, SKOS.notation)
        if len(kinds) != 1 or notation is None or endpoint not in labels:
            raise TrialgraphError(
                f"catalogue: endpoint {endpoint} needs one notation, one label and one kind"
            )
        endpoints.append(
            EndpointEntry(
                abbreviation=str(notation),
                label=labels[endpoint],
                synonyms=_strings(graph, endpoint, SKOS.altLabel),
                kind=kinds[0],
            )
        )
    return Catalogue(tuple(drugs), tuple(endpoints), classes, turtle)


@functools.cache
def load_catalogue() -> Catalogue:
    """The packaged catalogue, parsed once per process (the files are package data)."""
    return build_catalogue(_read_turtle())
