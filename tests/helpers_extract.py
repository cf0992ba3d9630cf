"""A small hand-made catalogue with the real catalogue's API, for extractor unit tests.

Unit tests must not depend on the full catalogue's contents, so they run against this
fixed lexicon: a few invented-style sentences need only a few drugs and endpoints.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["MiniCatalogue", "mini_catalogue"]


@dataclass(frozen=True)
class _Drug:
    key: str
    label: str
    synonyms: tuple[str, ...] = ()
    is_class: bool = False
    classes: tuple[str, ...] = ()
    components: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Endpoint:
    abbreviation: str
    label: str
    synonyms: tuple[str, ...] = ()
    kind: str = "time"


@dataclass
class MiniCatalogue:
    """Catalogue-like object: lookups by surface form, case-insensitive."""

    drugs: list[_Drug] = field(default_factory=list)
    endpoints: list[_Endpoint] = field(default_factory=list)

    def drug_surface_forms(self) -> dict[str, _Drug]:
        out: dict[str, _Drug] = {}
        for d in self.drugs:
            for form in (d.label, d.key, *d.synonyms):
                out[form.lower()] = d
        return out

    def endpoint_surface_forms(self) -> dict[str, _Endpoint]:
        out: dict[str, _Endpoint] = {}
        for e in self.endpoints:
            for form in (e.abbreviation, e.label, *e.synonyms):
                out[form.lower()] = e
        return out

    def lookup_drug(self, mention: str) -> _Drug | None:
        return self.drug_surface_forms().get(mention.lower())

    def lookup_endpoint(self, mention: str) -> _Endpoint | None:
        return self.endpoint_surface_forms().get(mention.lower())


def mini_catalogue() -> MiniCatalogue:
    """Invented drug names plus a few real structural classes."""
    chemo = "chemotherapy"
    drugs = [
        _Drug("zorbatinib", "zorbatinib", ("Zorbix",), classes=("kinase inhibitor",)),
        _Drug("quellumab", "quellumab", ("Quellra", "QMB")),
        _Drug("fennestrant", "fennestrant", classes=("endocrine therapy",)),
        _Drug("docetaxel", "docetaxel", classes=("taxane", chemo)),
        _Drug("paclitaxel", "paclitaxel", classes=("taxane", chemo)),
        _Drug("capecitabine", "capecitabine", classes=(chemo,)),
        _Drug("irinotecan", "irinotecan", classes=(chemo,)),
        _Drug("fluorouracil", "fluorouracil", ("5-FU",), classes=(chemo,)),
        _Drug("folinic acid", "folinic acid", ("leucovorin",)),
        _Drug("folfiri", "FOLFIRI", components=("fluorouracil", "folinic acid", "irinotecan")),
        _Drug("placebo", "placebo", ("placebos",)),
        _Drug(chemo, chemo, is_class=True),
        _Drug("taxane", "taxane", ("taxanes",), is_class=True),
        _Drug("endocrine therapy", "endocrine therapy", is_class=True),
        _Drug("aromatase inhibitor", "aromatase inhibitor", ("AI",), is_class=True),
        _Drug("kinase inhibitor", "kinase inhibitor", is_class=True),
    ]
    endpoints = [
        _Endpoint("PFS", "progression-free survival"),
        _Endpoint("OS", "overall survival", ("survival",)),
        _Endpoint(
            "ORR", "objective response rate", ("overall response rate", "response"), kind="rate"
        ),
        _Endpoint(
            "pCR",
            "pathologic complete response",
            ("pathologic complete response rate",),
            kind="rate",
        ),
        _Endpoint("CR", "complete response", ("complete responses",), kind="count"),
        _Endpoint("PR", "partial response", ("partial responses",), kind="count"),
        _Endpoint("DOR", "duration of response", ("response duration", "DoR")),
        _Endpoint("iDFS", "invasive disease-free survival", ("IDFS",)),
        _Endpoint("PSA50", "PSA decline of 50% or more", kind="rate"),
    ]
    return MiniCatalogue(drugs, endpoints)
