"""Letters that case-insensitive regexes equate with ASCII ones (long s, dotted and
dotless i, Kelvin sign) must not crash extraction or leak into the contract's values:
a rule that matched them has to map the match to the value it stands for."""

from __future__ import annotations

from trialgraph.ingest.extract import extract_document
from trialgraph.ingest.sources.document import Document

_TEXT = (
    "The randomised phase \u0130\u0130\u0130 ZELVA-2 trial enrolled 412 po\u017ftmenopau\u017fal "
    "women with HR-po\u017fitive, HER2-negative advanced breast cancer. Patients were "
    "randomly assigned to ribociclib plus letrozole and goserelin or to letrozole and "
    "goserelin alone. Median progression-free survival was 14.2 months with the "
    "tr\u0131plet versus 9.1 months with the doublet "
    "(hazard ratio 0.61; 95% CI, 0.48-0.77; P<0.001)."
)


def test_twin_letters_extract_without_error_and_fold_to_contract_values() -> None:
    evidence = extract_document(Document(name="twins", text=_TEXT))
    [trial] = evidence.trials
    assert trial.phase == "3"
    assert trial.population.menopausal_status == "postmenopausal"
    medians = sorted(r.value for r in trial.results if r.measure == "median" and r.value)
    assert medians == [9.1, 14.2]


def test_twin_letters_in_every_word_never_crash() -> None:
    twins = _TEXT.replace("s", "\u017f").replace("i", "\u0131").replace("K", "\u212a")
    for text in (twins, twins.upper(), _TEXT.replace("I", "\u0130")):
        extract_document(Document(name="twins", text=text))  # raises on a bad value
