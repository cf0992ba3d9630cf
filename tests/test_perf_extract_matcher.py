"""The Aho-Corasick form matcher gives exactly the spans of the lexicon's regex
alternation (which it replaces on the hot path): on every sentence of the corpus and on
generated text full of catalogue forms with odd case, dashes and spacing."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from trialgraph.ingest.extract import lexicon_for
from trialgraph.ingest.extract.sentences import split_sentences

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _both(text: str) -> None:
    lex = lexicon_for()
    assert lex.drug_matcher is not None and lex.endpoint_matcher is not None
    assert list(lex.drug_matcher.spans(text)) == [m.span() for m in lex.drug_re.finditer(text)]
    assert list(lex.endpoint_matcher.spans(text)) == [
        m.span() for m in lex.endpoint_re.finditer(text)
    ]


def test_same_spans_on_every_corpus_sentence() -> None:
    paths = sorted(SHARED.glob("corpus/*/articles/*.txt"))
    assert paths
    found = 0
    for path in paths:
        text = path.read_text("utf-8")
        _both(text)
        for sentence in split_sentences(text):
            _both(sentence.text)
        found += len(list(lexicon_for().drug_matcher.spans(text)))
    assert found > 50  # the corpus does name drugs: the comparison is not vacuous


_FORMS = sorted(lexicon_for().drugs)[:400] + sorted(lexicon_for().endpoints)


def _variant(form: str, style: int) -> str:
    if style == 1:
        form = form.upper()
    elif style == 2:
        form = form.title()
    elif style == 3:
        form = form.replace("-", "\u2011").replace(" ", "\n")
    elif style == 4:
        form = form.replace(" ", "  ")
    return form


_PIECE = st.one_of(
    st.tuples(st.sampled_from(_FORMS), st.integers(0, 4)).map(lambda t: _variant(*t)),
    st.sampled_from([" ", ", ", "-", "_", "x", "1", "(", ") ", " plus ", "ſ", "\u0130", "é"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECE, max_size=12).map("".join))
def test_same_spans_on_generated_text(text: str) -> None:
    _both(text)
