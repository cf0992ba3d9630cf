"""The ontology parses, declares exactly the terms of vocab.TG (plus catalogue classes),
labels and defines all of them, aligns only to verified external ids, and HermiT finds
ontology + catalogue consistent."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from trialgraph.ontology.catalogue import load_catalogue
from trialgraph.ontology.packaged import ONTOLOGY_IRI, ontology_graph

from trialgraph.vocab import SKOS, TG, TG_NS

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)


def _vocab_terms() -> set[str]:
    return {name for name in TG.__annotations__ if not name.startswith("_")}


def _ours(graph: Graph) -> set[str]:
    return {str(s)[len(TG_NS) :] for s in graph.subjects() if str(s).startswith(TG_NS)}


def test_ontology_header() -> None:
    g = ontology_graph()
    onto = URIRef(ONTOLOGY_IRI)
    assert (onto, RDF.type, OWL.Ontology) in g
    assert g.value(onto, OWL.versionIRI) is not None
    assert "creativecommons.org/licenses/by/4.0" in str(
        g.value(onto, URIRef("http://purl.org/dc/terms/license"))
    )


def test_every_vocab_term_is_declared_with_label_and_definition() -> None:
    g = ontology_graph()
    terms = _vocab_terms()
    assert len(terms) > 90
    for name in sorted(terms):
        iri = TG[name]
        assert any((iri, RDF.type, k) in g for k in KINDS), f"tg:{name} not declared"
        assert g.value(iri, RDFS.label) is not None, f"tg:{name} has no rdfs:label"
        assert g.value(iri, SKOS.definition) is not None, f"tg:{name} has no skos:definition"


def test_every_declared_term_is_in_vocab_or_a_catalogue_class() -> None:
    catalogue_classes = set(load_catalogue().classes) | {
        "TimeToEventEndpoint",
        "RateEndpoint",
        "CountEndpoint",
    }
    extra = _ours(ontology_graph()) - _vocab_terms() - catalogue_classes
    assert extra == set()
    # and the catalogue declares no tg: term besides its classes
    cat = load_catalogue().to_graph()
    declared = {
        str(s)[len(TG_NS) :]
        for k in KINDS
        for s in cat.subjects(RDF.type, k)
        if str(s).startswith(TG_NS)
    }
    assert declared <= catalogue_classes


def test_every_class_and_property_is_labelled_and_defined() -> None:
    g = ontology_graph(copy=True) + load_catalogue().to_graph()
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in g.subjects(RDF.type, kind):
            if str(term).startswith(TG_NS):
                assert g.value(term, RDFS.label) is not None, term
                assert g.value(term, SKOS.definition) is not None, term


def test_property_kinds_are_unambiguous() -> None:
    """OWL 2 DL forbids one IRI as both object and datatype (or annotation) property."""
    g = ontology_graph()
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    for prop in set(g.subjects(RDF.type, None)):
        assert sum((prop, RDF.type, k) in g for k in kinds) <= 1, prop


def _verified() -> set[str]:
    with (SHARED / "vocab" / "terms.tsv").open(encoding="utf-8") as fh:
        return {
            r["full IRI"]
            for r in csv.DictReader(fh, delimiter="\t")
            if r["id/CURIE"] != "UNVERIFIED" and r["full IRI"]
        }


@pytest.mark.skipif(not (SHARED / "vocab" / "terms.tsv").exists(), reason="no shared vocab")
def test_alignments_use_only_verified_ids() -> None:
    verified = _verified()
    g = ontology_graph(copy=True) + load_catalogue().to_graph()
    external: set[str] = set()
    for p in (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch):
        external |= {str(o) for o in g.objects(None, p)}
    for s, o in g.subject_objects(RDFS.subClassOf):
        if isinstance(o, URIRef) and str(s).startswith(TG_NS) and not str(o).startswith(TG_NS):
            external.add(str(o))
    assert len(external) >= 40
    assert external - verified == set()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")
def test_hermit_finds_ontology_and_catalogue_consistent() -> None:
    from trialgraph.ontology.reasoning import reason

    report = reason(Graph())
    assert report.consistent, report.text()
    assert report.unsatisfiable == ()
