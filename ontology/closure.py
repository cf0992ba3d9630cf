"""Derived facts that queries need at scale, computed without Java.

HermiT (``trialgraph reason``) derives the same facts, but queries must not depend on a
JVM or on a reasoning pass over the whole store: the drug-class closure is materialised in
the catalogue graph (:meth:`Catalogue.to_graph`), and the add-on drugs of an experimental
arm are computed at ingest by :func:`addon_drugs` and written as ``tg:addsDrug``. The
defined class ``tg:AddOnComparison`` is exactly "a comparison whose experimental arm has an
``addsDrug``", so :func:`addon_comparison` gives its members without a reasoner;
``tests/test_ontology_closure.py`` checks both against HermiT.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import RDF, Graph, Namespace, URIRef
from trialgraph.ontology.catalogue import Catalogue, load_catalogue

from trialgraph.vocab import TG, TG_NS

__all__ = ["PLACEBO", "addon_comparisons", "addon_drugs", "class_closure_triples"]

#: contract name of placebo: never an added drug, ignored when comparing arms
PLACEBO = "placebo"
_TG = Namespace(TG_NS)


def _covers(drug: str, wanted: str, catalogue: Catalogue) -> bool:
    """True when experimental-arm ``drug`` is control-arm ``wanted`` or a member of the class
    ``wanted`` names ('docetaxel' covers 'taxane'), so a class in the control arm does not
    hide an add-on."""
    if drug == wanted:
        return True
    named = catalogue.lookup_drug(wanted)
    entry = catalogue.lookup_drug(drug)
    if named is None or entry is None or not named.is_class or named.label != wanted:
        return False
    return bool(set(named.classes) & catalogue.drug_types(entry))


def addon_drugs(
    experimental: set[str], control: set[str], catalogue: Catalogue | None = None
) -> set[str]:
    """The drugs the experimental arm adds over its control arm, or an empty set.

    Only a true add-on counts: every control drug (placebo aside) must also be in the
    experimental arm, either as itself or as a member of the class the control arm names.
    An unknown (empty) control arm gives nothing, since nothing can be said about it;
    a placebo-only control makes every experimental drug an add-on.
    """
    if not control or not experimental:
        return set()
    cat = catalogue or load_catalogue()
    exp = experimental - {PLACEBO}
    matched: set[str] = set()
    for wanted in control - {PLACEBO}:
        covering = {drug for drug in exp if _covers(drug, wanted, cat)}
        if not covering:
            return set()
        matched |= covering
    return exp - matched


def addon_comparisons(graph: Graph) -> set[URIRef]:
    """Members of tg:AddOnComparison by its definition: comparisons whose experimental arm
    adds at least one drug (``tg:addsDrug``)."""
    members: set[URIRef] = set()
    for comparison in graph.subjects(RDF.type, TG.Comparison):
        for arm in graph.objects(comparison, TG.experimentalArm):
            if isinstance(comparison, URIRef) and (arm, TG.addsDrug, None) in graph:
                members.add(comparison)
    return members


def class_closure_triples(
    drugs: Iterable[URIRef], catalogue: Catalogue | None = None
) -> Iterable[tuple[URIRef, URIRef, URIRef]]:
    """``drug rdf:type class`` for every catalogue class of each drug IRI (by its key)."""
    cat = catalogue or load_catalogue()
    by_key = {entry.key: entry for entry in cat.drugs}
    for drug in drugs:
        entry = by_key.get(str(drug).rsplit("/", 1)[-1])
        if entry is not None:
            for cls in sorted(cat.drug_types(entry)):
                yield drug, RDF.type, _TG[cls]
