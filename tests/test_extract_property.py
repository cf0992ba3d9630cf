"""Property: extraction never crashes and every offset quotes the text exactly."""

from __future__ import annotations

from helpers_extract import mini_catalogue
from hypothesis import given, settings
from hypothesis import strategies as st
from trialgraph.ingest.extract import extract_document
from trialgraph.ingest.sources.document import Document

CAT = mini_catalogue()
_WORDS = st.sampled_from(
    [
        "The",
        "ZETA-1",
        "trial",
        "randomized",
        "to",
        "zorbatinib",
        "or",
        "placebo",
        "plus",
        "docetaxel",
        "median",
        "PFS",
        "was",
        "12.5",
        "months",
        "vs",
        "8.1",
        "(HR,",
        "0.61;",
        "95%",
        "CI,",
        "0.4-0.9)",
        "ORR",
        "45%",
        "respectively.",
        "not",
        "reached",
        "(n",
        "=",
        "40)",
        "\n\n",
        ".",
        "HER2-positive",
        "the addition of",
        "alone",
        "NCT01234567",
    ]
)


def _check(text: str) -> None:
    ev = extract_document(Document(name="p.txt", text=text), catalogue=CAT)
    for t in ev.trials:
        provs = [t.provenance, *(a.provenance for a in t.arms), *(r.provenance for r in t.results)]
        for p in provs:
            if p is not None:
                assert text[p.start : p.end] == p.quote


@settings(max_examples=150, deadline=None)
@given(st.lists(_WORDS, max_size=60).map(" ".join))
def test_structured_noise(text: str) -> None:
    _check(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text(text: str) -> None:
    _check(text)
