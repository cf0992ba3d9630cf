"""Unit tests of the general rules added for unseen articles (invented names and numbers)."""

from __future__ import annotations

from helpers_extract import mini_catalogue
from trialgraph.ingest.extract import extract_document, lexicon_for
from trialgraph.ingest.extract.arms import design_arms
from trialgraph.ingest.extract.mentions import find_drugs, introduced_trial_names
from trialgraph.ingest.extract.numbers import find_values
from trialgraph.ingest.sources.document import Document

CAT = mini_catalogue()
LEX = lexicon_for(CAT)


def _extract(text: str):
    return extract_document(Document(name="t.txt", text=text), catalogue=CAT)


def _arms(text: str) -> list[list[str]]:
    return [sorted(s.drugs) for s in design_arms(text, find_drugs(LEX, text))]


def test_trial_introduced_by_capitalised_trial_word_and_registry_number() -> None:
    assert introduced_trial_names(LEX, "Results of the Double-Blind KESTREL Trial") == ["KESTREL"]
    assert "OSPREY" in introduced_trial_names(
        LEX, "(Funded by X; OSPREY ClinicalTrials.gov number, NCT01234567.)"
    )


def test_trial_introduced_as_subject_of_design_verb() -> None:
    assert introduced_trial_names(LEX, "HERON-7 randomized 410 patients to zorbatinib.") == [
        "HERON-7"
    ]
    assert introduced_trial_names(LEX, "PLOVER was an open-label, randomized phase 3 trial.") == [
        "PLOVER"
    ]


def test_each_given_with_distributes_to_every_alternative() -> None:
    text = (
        "Patients were randomized to quellumab or placebo, each given together with "
        "docetaxel and capecitabine."
    )
    assert _arms(text) == [
        ["capecitabine", "docetaxel", "quellumab"],
        ["capecitabine", "docetaxel", "placebo"],
    ]


def test_in_both_cases_on_top_of_distributes() -> None:
    text = "Men were assigned to zorbatinib or placebo, in both cases on top of docetaxel."
    assert _arms(text) == [["docetaxel", "zorbatinib"], ["docetaxel", "placebo"]]


def test_choice_of_listed_agents_is_one_arm() -> None:
    text = (
        "Patients were randomized to zorbatinib or to the physician's choice of "
        "capecitabine, irinotecan, or paclitaxel."
    )
    assert _arms(text) == [["zorbatinib"], ["capecitabine", "irinotecan", "paclitaxel"]]


def test_with_either_shares_the_backbone() -> None:
    text = "All patients received FOLFIRI with either quellumab, the study arm, or zorbatinib."
    assert _arms(text) == [
        ["fluorouracil", "folinic acid", "irinotecan", "quellumab"],
        ["fluorouracil", "folinic acid", "irinotecan", "zorbatinib"],
    ]


def test_bracketed_semicolon_does_not_end_the_arm_phrase() -> None:
    text = "Patients were randomized to quellumab (QMB; Quellra) plus docetaxel, or to docetaxel."
    assert _arms(text) == [["docetaxel", "quellumab"], ["docetaxel"]]


def test_result_comparison_with_versus_is_not_a_design() -> None:
    text = "The rate was 41.0% with zorbatinib versus 30.0% with placebo."
    assert _arms(text) == [["zorbatinib"], ["placebo"]]


def test_ratio_label_may_name_its_event() -> None:
    (v,) = [v for v in find_values("The hazard ratio for relapse or death, 0.71.") if v.ratio]
    assert v.value == 0.71
    assert v.ratio_for == "relapse or death"


def test_hazard_ratio_for_death_is_overall_survival() -> None:
    ev = _extract(
        "The WREN trial randomized patients to zorbatinib plus docetaxel or docetaxel alone. "
        "Median progression-free survival was 9.0 vs 6.0 months. "
        "The hazard ratio for death was 0.77 (95% CI, 0.60-0.95)."
    )
    (t,) = ev.trials
    ratios = [r for r in t.results if r.measure == "hazard_ratio"]
    assert [(r.endpoint, r.value) for r in ratios] == [("OS", 0.77)]


def test_first_named_randomised_arm_is_experimental() -> None:
    ev = _extract(
        "The phase 3 FINCH trial randomly assigned 300 patients to zorbatinib or quellumab. "
        "Median PFS was 12.0 months with zorbatinib and 8.0 months with quellumab."
    )
    (t,) = ev.trials
    roles = {tuple(a.drugs): a.role for a in t.arms}
    assert roles == {("zorbatinib",): "experimental", ("quellumab",): "control"}


def test_known_arms_are_not_duplicated_by_group_comparisons() -> None:
    ev = _extract(
        "In the ROBIN trial, patients were randomized to quellumab or placebo, each given with "
        "docetaxel. The pCR rates were 50% and 40% in the quellumab and placebo groups, "
        "respectively. EFS rate was 80.0% in the quellumab group versus 70.0% in the placebo "
        "group."
    )
    (t,) = ev.trials
    assert len(t.arms) == 2
    rates = {
        (r.endpoint, r.value): sorted(t.arms[r.arm].drugs) for r in t.results if r.arm is not None
    }
    assert rates[("pCR", 50.0)] == ["docetaxel", "quellumab"]
    assert rates[("pCR", 40.0)] == ["docetaxel", "placebo"]


def test_number_inside_an_endpoint_name_is_not_a_result() -> None:
    ev = _extract(
        "The SWIFT trial randomized men to zorbatinib plus docetaxel or placebo plus docetaxel. "
        "A PSA decline of 50% or more occurred in 70.0% and 55.0% of patients, respectively."
    )
    (t,) = ev.trials
    values = sorted(r.value for r in t.results if r.endpoint == "PSA50")
    assert values == [55.0, 70.0]
    assert all(r.value != 50.0 for r in t.results)


def test_plural_placebo_resolves() -> None:
    text = "Patients were randomized to zorbatinib or to two matching placebos."
    assert _arms(text) == [["zorbatinib"], ["placebo"]]
