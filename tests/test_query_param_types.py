"""Named-query parameter types that take names: catalogue drugs, endpoints, classes,
measures and population facets resolve to the same terms as their IRIs."""

from __future__ import annotations

import pytest
from rdflib import URIRef
from trialgraph.queries.param_types import PARAM_TYPES, convert

from trialgraph.vocab import TG, TG_NS

BASE = "https://example.org/tg/"


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("drug", "Perjeta", URIRef(BASE + "id/drug/pertuzumab")),
        ("drug", "T-DM1", URIRef(BASE + "id/drug/trastuzumab-emtansine")),
        ("drug", "https://w3id.org/x", URIRef("https://w3id.org/x")),
        ("endpoint", "progression-free survival", URIRef(BASE + "id/endpoint/pfs")),
        ("endpoint", "OS", URIRef(BASE + "id/endpoint/os")),
        ("drugclass", "taxane", URIRef(TG_NS + "Taxane")),
        ("drugclass", "HER2TargetedTherapy", URIRef(TG_NS + "HER2TargetedTherapy")),
        ("measure", "hazard_ratio", TG.HazardRatio),
        ("hormone_receptor", "Positive", TG.HormoneReceptorPositive),
        ("her2", "low", TG.HER2Low),
        ("setting", "neoadjuvant", TG.Neoadjuvant),
        ("line", "first", TG.FirstLine),
        ("menopausal_status", "premenopausal", TG.Premenopausal),
    ],
)
def test_names_resolve_to_terms_under_the_configured_base(
    kind: str, raw: str, expected: URIRef
) -> None:
    assert convert(kind, raw, BASE) == expected


@pytest.mark.parametrize("kind", sorted(set(PARAM_TYPES) - {"string"}))
def test_injection_text_is_refused_by_every_non_string_type(kind: str) -> None:
    with pytest.raises(ValueError):
        convert(kind, 'x" } ; DROP ALL ; #', BASE)


def test_an_unknown_name_says_what_is_accepted() -> None:
    with pytest.raises(ValueError, match="catalogue"):
        convert("drug", "notadrugumab", BASE)
    with pytest.raises(ValueError, match="positive"):
        convert("her2", "maybe", BASE)
