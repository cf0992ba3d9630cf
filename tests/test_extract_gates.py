"""The cheap gates in front of the extraction rules never skip a sentence a rule would
match: a gate only saves time, so the extractor's output must not depend on it."""

from __future__ import annotations

import importlib
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from trialgraph.ingest.extract import arms, backbone, enrollment, numbers, population, results
from trialgraph.ingest.extract.gates import contains_any, folded, has_any, has_digit
from trialgraph.ingest.extract.mentions import _INTRO_NEEDS, _INTRO_RES
from trialgraph.ingest.extract.numbers import find_values

#: the module (the package re-exports its function under the same name)
assemble_module = importlib.import_module("trialgraph.ingest.extract.assemble")


def test_a_sentence_without_digits_still_yields_not_reached() -> None:
    text = "Median overall survival was not reached in the zelvatinib group and NR in the other."
    values = find_values(text)
    assert [v.kind for v in values] == ["nr", "nr"]
    assert [text[v.start : v.end] for v in values] == ["not reached", "NR"]
    assert find_values("No figures at all in this sentence.") == []


def test_has_digit_sees_any_decimal_digit() -> None:
    assert has_digit("arm A 7")
    assert has_digit("\u0663 patients")  # ARABIC-INDIC DIGIT THREE is a \d too
    assert not has_digit("seven patients")


def test_folding_matches_what_ignorecase_matches() -> None:
    # re.IGNORECASE equates these with ASCII letters; a gate must see them the same way
    for text, word in (
        ("a \u017ftudy", "study"),  # LATIN SMALL LETTER LONG S
        ("TR\u0130AL", "trial"),  # CAPITAL I WITH DOT ABOVE
        ("tr\u0131al", "trial"),  # DOTLESS I
        ("\u212aNOWN AS", "known as"),  # KELVIN SIGN
    ):
        assert re.search(word, text, re.IGNORECASE)
        assert has_any(text, (word,))
    assert len(folded("TR\u0130AL")) == len("TR\u0130AL")
    assert not has_any("a trial", ("study",))
    assert contains_any("NCT01234567", ("NCT",)) and not contains_any("nct0123", ("NCT",))


#: (pattern, the words its gate needs, whether the gate ignores case)
_GATED: list[tuple[re.Pattern[str], tuple[str, ...], bool]] = [
    *((rx, words, True) for _, rx, words in population._LINE),
    (population._HER2, population._HER2_WORDS, True),
    (population._SETTING, population._SETTING_WORDS, True),
    (population._CONDITION, population._CONDITION_WORDS, True),
    (population._MENO, ("menopausal",), True),
    (population._TNBC, ("triple",), True),
    *zip(arms._DESIGN_CUES, arms._DESIGN_CUE_WORDS, [True] * len(arms._DESIGN_CUES), strict=True),
    (backbone.ADDON_TAIL, backbone.ADDON_WORDS, True),
    (arms._EITHER, ("either",), True),
    (arms._EACH, ("each", "both"), True),
    (arms._ADDITION, ("addition", "adding"), True),
    (arms._WITH_OR_WITHOUT, arms._WITH_OR_WITHOUT_WORDS, True),
    *((rx, words, True) for rx, _, words in results._KEYWORD_REFS),
    (results._SUBGROUP, results._SUBGROUP_WORDS, True),
    (results._IMPROVE, results._IMPROVE_WORDS, True),
    (results._RISK_CHANGE, results._RISK_WORDS, True),
    (results._RISK_CHANGE_AFTER, results._RISK_WORDS, True),
    (enrollment._ENROLL, enrollment._PEOPLE, True),
    (enrollment._STUDY_COMMA_N, enrollment._PEOPLE, True),
    *zip(_INTRO_RES, _INTRO_NEEDS, [False] * len(_INTRO_RES), strict=True),
    (numbers._RATIO_RE, ("ratio", "HR", "OR"), False),
    (numbers._CI_RE, ("95",), False),
    (numbers._CI_ANY_RE, ("95",), False),
    (numbers._NR_RE, ("reached", "NR"), False),
    (assemble_module._UNNAMED_STUDY, ("trial", "study"), True),
    (assemble_module._RANDOM, ("random",), True),
]
#: patterns whose gate is another, cheaper pattern
_CUED = [
    (numbers._PCT_RANGE_RE, numbers._PCT_PAIR),
    (results._RESPONDER, results._RESPONDER_CUE),
    (numbers._P_RE, numbers._P_OPERATOR),
]

#: invented phrases, at least one matching each pattern above (checked below)
_PHRASES = [
    "postmenopausal women with triple-negative disease",
    "a trial comparing zelvatinib and placebo",
    "the study of zelvatinib with either A or B, each given with C",
    "in the control arm and the combination arm and both arms",
    "the doublet therapy",
    "among patients with advanced disease",
    "in 300 patients with early-stage breast cancer, second-line or later lines",
    "after two or more prior regimens, first-line, previously untreated",
    "reduced the risk of death by",
    "a 30% reduction in the risk",
    "enrolled 120 patients",
    "In the ZETA-3 trial, 300 patients",
    "ZETA-3 (NCT01234567)",
    "ZETA-3 was an open-label phase 3 trial",
    "ZETA-3 randomized 300 patients",
    "In ZETA-3, a phase 3 study",
    "a randomized comparison, called ZETA-3",
    "In ZETAX, which compared A with B",
    "Results From the ZETA-3",
    "randomly assigned to receive",
    "the addition of zelvatinib to placebo",
    "zelvatinib with or without placebo",
    "patients received zelvatinib, either alone or together with placebo",
    "zelvatinib or placebo in addition to A, each on top of B, added to C",
    "HER2-positive, hormone receptor-negative, metastatic melanoma",
    "improved survival",
    "hazard ratio 0.55 (95% CI 0.41-0.72; P = .001)",
    "12% to 30% subgroup",
    "12 (40%) of 30 patients had a",
    "not reached versus NR",
]
_PIECES = [
    *_PHRASES,
    *sorted({w for _, words, _ in _GATED for w in words}),
    "Zelvatinib",
    "ZETA-3",
    "the",
    "a",
    "of",
    "patients",
    "with",
    "versus",
    "12",
    "45.5",
    "%",
    "(",
    ")",
    ",",
    ";",
    ".",
    "-",
    "\u2013",
    "and",
    "or",
]


def _vary(piece: str, style: int) -> str:
    """Case and the letters IGNORECASE equates with ASCII ones."""
    if style == 1:
        return piece.upper()
    if style == 2:
        return piece.title()
    if style == 3:
        return piece.replace("s", "\u017f").replace("i", "\u0131").replace("k", "\u212a")
    return piece


_TEXT = st.lists(
    st.tuples(st.sampled_from(_PIECES), st.integers(0, 3)).map(lambda t: _vary(*t)),
    min_size=1,
    max_size=8,
).flatmap(lambda parts: st.sampled_from([" ", "", "  "]).map(lambda sep: sep.join(parts)))


def test_every_gated_pattern_is_exercised() -> None:
    """Each pattern matches one of the phrases: the property below is not vacuous."""
    for rx, _, _ in _GATED:
        assert any(rx.search(p) for p in _PHRASES), rx.pattern[:60]
    for rx, _ in _CUED:
        assert any(rx.search(p) for p in _PHRASES), rx.pattern[:60]


def _check_gates(text: str) -> None:
    for rx, words, ignore_case in _GATED:
        if rx.search(text):
            gate = has_any if ignore_case else contains_any
            assert gate(text, words), (rx.pattern[:60], words, text)
    for rx, cue in _CUED:
        if rx.search(text):
            assert cue.search(text), (rx.pattern[:60], text)


def test_gates_pass_on_every_phrase_in_every_case() -> None:
    for phrase in _PHRASES:
        for style in range(4):
            _check_gates(_vary(phrase, style))


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_every_gate_passes_whatever_its_pattern_matches(text: str) -> None:
    _check_gates(text)
