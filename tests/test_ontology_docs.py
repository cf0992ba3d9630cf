"""The HTML documentation page: complete, self-contained and escaped."""

from __future__ import annotations

from html.parser import HTMLParser

from rdflib import Literal
from trialgraph.ontology.catalogue import load_catalogue
from trialgraph.ontology.docs import render_ontology_html
from trialgraph.ontology.packaged import ontology_graph

from trialgraph.vocab import SKOS, TG


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag in {"script", "link", "img"}:
            self.external.append(tag)


def test_page_documents_every_term_with_anchor() -> None:
    page = render_ontology_html(ontology_graph())
    parser = _Collector()
    parser.feed(page)
    for name in (
        "Trial",
        "HER2PositivePopulation",
        "AddOnComparison",
        "hasArm",
        "value",
        "HazardRatio",
        "FirstLine",
    ):
        assert name in parser.ids, name
    assert parser.external == []  # no scripts, stylesheets or images from elsewhere
    assert "http://purl.obolibrary.org/obo/NCIT_C93150" in page  # an alignment is shown
    assert "creativecommons.org/licenses/by/4.0" in page
    assert page.count('class="defined"') == 5
    assert "Defined class: a population whose HER2 status is positive." in page


def test_page_with_catalogue_lists_drug_classes_in_hierarchy() -> None:
    page = render_ontology_html(ontology_graph(copy=True) + load_catalogue().to_graph())
    assert 'id="AntiHER2MonoclonalAntibody"' in page
    assert page.index('href="#HER2TargetedTherapy"') < page.index(
        'href="#AntiHER2MonoclonalAntibody"'
    )


def test_labels_are_escaped() -> None:
    g = ontology_graph(copy=True)
    g.set((TG.Trial, SKOS.definition, Literal("<script>alert(1)</script> & more")))
    page = render_ontology_html(g)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
