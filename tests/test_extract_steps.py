"""Unit tests of the extraction steps on invented sentences (names and numbers made up)."""

from __future__ import annotations

import pytest
from helpers_extract import mini_catalogue
from trialgraph.ingest.extract import extract_document, lexicon_for
from trialgraph.ingest.extract.arms import addition_arms, design_arms
from trialgraph.ingest.extract.mentions import find_drugs, find_phase, introduced_trial_names
from trialgraph.ingest.extract.numbers import find_values, word_number
from trialgraph.ingest.extract.sentences import split_sentences
from trialgraph.ingest.sources.document import Document

CAT = mini_catalogue()
LEX = lexicon_for(CAT)


def _extract(text: str):
    return extract_document(Document(name="t.txt", text=text), catalogue=CAT)


def test_sentences_keep_offsets_and_do_not_split_abbreviations() -> None:
    text = "Median PFS was 9.1 vs. 4.2 months (P = .004; 95% CI, 0.41-0.82). Next one."
    sents = split_sentences(text)
    assert [s.text for s in sents][-1] == "Next one."
    assert len(sents) == 2
    for s in sents:
        assert text[s.start : s.end] == s.text


def test_reference_entries_are_flagged() -> None:
    sents = split_sentences(
        "Body text.\n\n3. Doe J, Roe K, Poe L, et al: A ZETA trial. J 1:1, 2020."
    )
    flags = [s.is_reference for s in sents]
    assert flags[0] is False
    assert len(flags) > 1 and all(flags[1:])


def test_values_ci_p_and_ratio() -> None:
    vals = find_values(
        "Median OS was 14.2 months (95% CI: 11.0, 17.5) vs 9.9 months "
        "(hazard ratio 0.71; 95% CI, 0.55-0.92; p<0.001)."
    )
    kinds = [(v.kind, v.value) for v in vals]
    assert kinds == [("time", 14.2), ("time", 9.9), ("ratio", 0.71)]
    assert vals[0].ci == (11.0, 17.5)
    assert (vals[2].ci, vals[2].p_value, vals[2].p_operator) == ((0.55, 0.92), 0.001, "<")


def test_follow_up_and_ranges_are_not_results() -> None:
    vals = find_values(
        "After a median follow-up of 22 months, survival of 6-7 months and "
        "a 1.5-month difference were seen at 12 months."
    )
    assert vals == []


def test_unit_written_once_serves_the_pair_and_not_reached() -> None:
    vals = find_values("Median PFS was 7.5 and 3.1 months; median OS was not reached.")
    assert [(v.kind, v.value) for v in vals] == [("time", 7.5), ("time", 3.1), ("nr", None)]


def test_number_words() -> None:
    assert word_number("Sixty-two") == 62
    assert word_number("eleven") == 11


def test_drugs_resolve_brands_and_regimens() -> None:
    names = [m.info.names for m in find_drugs(LEX, "Zorbix plus FOLFIRI or QMB")]
    assert names == [
        ("zorbatinib",),
        ("fluorouracil", "folinic acid", "irinotecan"),
        ("quellumab",),
    ]


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("The phase III ZEPHYR-3 trial enrolled 410 women.", "ZEPHYR-3"),
        ("Approval was based on KORALINE (NCT01234567), an open-label trial.", "KORALINE"),
        ("Efficacy was shown in ArcLight, a randomized, double-blind study.", "ArcLight"),
    ],
)
def test_trial_names_by_how_trials_are_introduced(sentence: str, name: str) -> None:
    assert introduced_trial_names(LEX, sentence) == [name]


def test_agencies_are_not_trials() -> None:
    assert introduced_trial_names(LEX, "The FDA study of safety was published.") == []


def test_phase() -> None:
    assert find_phase("a randomized phase I/II study") == "1/2"
    assert find_phase("the phase III trial") == "3"


def test_design_or_with_shared_tail_and_n() -> None:
    s = "Patients were randomized to zorbatinib (n = 120) or placebo (n = 118) in combination with fennestrant."  # noqa: E501
    arms = design_arms(s, find_drugs(LEX, s))
    assert [(a.drugs, a.n) for a in arms] == [
        (["zorbatinib", "fennestrant"], 120),
        (["placebo", "fennestrant"], 118),
    ]


def test_design_choice_of_chemotherapy_is_its_list() -> None:
    s = "Patients were randomized to receive zorbatinib or physician's choice of chemotherapy (capecitabine or irinotecan)."  # noqa: E501
    arms = design_arms(s, find_drugs(LEX, s))
    assert [a.drugs for a in arms] == [["zorbatinib"], ["capecitabine", "irinotecan"]]


def test_design_either_inside_an_arm_is_a_union() -> None:
    s = "A total of 50 patients were randomised to quellumab with docetaxel and 49 patients were randomised to the control arm of either irinotecan or FOLFIRI with docetaxel."  # noqa: E501
    arms = design_arms(s, find_drugs(LEX, s))
    assert [set(a.drugs) for a in arms] == [
        {"quellumab", "docetaxel"},
        {"irinotecan", "fluorouracil", "folinic acid", "docetaxel"},
    ]
    assert [a.n for a in arms] == [50, 49]


def test_addition_of_x_to_y() -> None:
    s = "The addition of quellumab to docetaxel improved survival."
    arms = addition_arms(s, find_drugs(LEX, s))
    assert [a.drugs for a in arms] == [["quellumab", "docetaxel"], ["docetaxel"]]


def test_improvement_pair_gives_the_better_value_to_the_experimental_arm() -> None:
    ev = _extract(
        "In the ORCA trial, the addition of quellumab to docetaxel was associated "
        "with improvement in median progression-free survival (6.1 vs 9.4 months)."
    )
    (trial,) = ev.trials
    exp = next(i for i, a in enumerate(trial.arms) if a.role == "experimental")
    by_arm = {r.arm: r.value for r in trial.results}
    assert by_arm[exp] == 9.4


def test_respectively_follows_the_arm_order() -> None:
    ev = _extract(
        "The LYNX-2 trial compared zorbatinib plus fennestrant versus placebo plus "
        "fennestrant. Median PFS was 11.2 and 5.3 months, respectively (HR, 0.52; P < .001)."
    )
    (trial,) = ev.trials
    drugs = {r.value: trial.arms[r.arm].drugs for r in trial.results if r.arm is not None}
    assert drugs[11.2] == ["zorbatinib", "fennestrant"]
    assert drugs[5.3] == ["placebo", "fennestrant"]
    hr = next(r for r in trial.results if r.measure == "hazard_ratio")
    assert trial.arms[hr.arms[0]].role == "experimental"  # type: ignore[index]
    assert (hr.p_value, hr.p_operator) == (0.001, "<")


def test_value_before_its_arm_phrase_and_after_a_subject() -> None:
    ev = _extract(
        "The PUMA trial randomized patients to quellumab plus docetaxel or docetaxel "
        "alone. In patients with measurable disease, the ORR with the quellumab "
        "combination was 61.0% compared with 42.5% for docetaxel alone."
    )
    (trial,) = ev.trials
    got = {r.value: trial.arms[r.arm].drugs for r in trial.results if r.arm is not None}
    assert got == {61.0: ["quellumab", "docetaxel"], 42.5: ["docetaxel"]}
    assert all(r.subgroup == "measurable disease" for r in trial.results)


def test_population_facets() -> None:
    ev = _extract(
        "The HERON trial enrolled 300 postmenopausal women with HR-positive, "
        "HER2-negative metastatic breast cancer in the first-line setting. Patients "
        "were randomized to zorbatinib or placebo. Median PFS was 8.0 months vs "
        "4.0 months, respectively."
    )
    pop = ev.trials[0].population
    assert (pop.her2, pop.hormone_receptor, pop.setting, pop.line, pop.menopausal_status) == (
        "negative",
        "positive",
        "metastatic",
        "first",
        "postmenopausal",
    )
    assert ev.trials[0].enrollment == 300


def test_every_provenance_quote_matches_its_offsets() -> None:
    text = (
        "The phase II OTTER study enrolled 80 patients. Patients received quellumab with "
        "capecitabine. The ORR was 35% and median DOR was 7.2 months."
    )
    ev = _extract(text)
    (trial,) = ev.trials
    assert trial.arms[0].role == "single"
    assert {(r.endpoint, r.measure, r.value) for r in trial.results} == {
        ("ORR", "rate", 35.0),
        ("DOR", "median", 7.2),
    }
    for p in [
        trial.provenance,
        *(a.provenance for a in trial.arms),
        *(r.provenance for r in trial.results),
    ]:
        assert p is not None and text[p.start : p.end] == p.quote
