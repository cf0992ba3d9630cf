"""Unit tests of the second round of general extraction rules (invented names and numbers)."""

from __future__ import annotations

from helpers_extract import mini_catalogue
from trialgraph.ingest.extract import extract_document, lexicon_for
from trialgraph.ingest.extract.citations import cited_trial, reference_trial_names
from trialgraph.ingest.extract.mentions import introduced_trial_names
from trialgraph.ingest.extract.numbers import find_values
from trialgraph.ingest.sources.document import Document

CAT = mini_catalogue()
LEX = lexicon_for(CAT)

_BIBLIOGRAPHY = (
    "References\n\n"
    "7. Doe J, Roe R, Poe P, et al: Zorbatinib in advanced disease (PELICAN): a randomised "
    "phase 2 trial. J Invented Oncol 1:1-9, 2020.\n\n"
    "8. Smith A, Jones B, Brown C, et al: Results of the HERON phase III trial of "
    "quellumab. J Invented Oncol 2:10-19, 2021.\n\n"
    "9. Lee K, Kim S, Park J, et al: Biology of kinase signalling. Cell Invented 3:1-5, 2019.\n"
)


def _extract(text: str):
    return extract_document(Document(name="t.txt", text=text), catalogue=CAT)


def test_reference_titles_map_numbers_to_trial_names() -> None:
    names = reference_trial_names(_BIBLIOGRAPHY, LEX)
    assert names == {7: "PELICAN", 8: "HERON"}


def test_citation_marks_resolve_to_one_trial() -> None:
    names = {7: "PELICAN", 8: "HERON"}
    assert cited_trial("The rate was 41% in treated patients,7 suggesting benefit.", names) == (
        "PELICAN"
    )
    assert cited_trial("The rate was 41% [8].", names) == "HERON"
    assert cited_trial("The rate was 41%.\u2077", names) == "PELICAN"
    assert cited_trial("Rates were similar [7, 8].", names) is None  # two trials: ambiguous
    assert cited_trial("Median age was 61 years in 2019.", names) is None


def test_result_sentence_takes_its_trial_from_the_cited_reference() -> None:
    text = (
        "Zorbatinib is an oral kinase inhibitor.\n\n"
        "A pathologic complete response rate of 41% was seen with zorbatinib alone,7 which "
        "supports further study.\n\n" + _BIBLIOGRAPHY
    )
    ev = _extract(text)
    trial = next(t for t in ev.trials if t.name == "PELICAN")
    assert [r.value for r in trial.results if r.endpoint == "pCR"] == [41.0]


def test_placebo_received_by_a_named_group_joins_that_arm() -> None:
    text = (
        "The ZEPHYR trial randomly assigned 300 patients to zorbatinib plus docetaxel or to "
        "quellumab plus docetaxel. Patients in the zorbatinib group received a quellumab "
        "placebo, and those in the quellumab group received a matching zorbatinib placebo."
    )
    (trial,) = _extract(text).trials
    assert sorted(sorted(a.drugs) for a in trial.arms) == [
        ["docetaxel", "placebo", "quellumab"],
        ["docetaxel", "placebo", "zorbatinib"],
    ]


def test_percentage_of_patients_alive_and_free_of_progression_is_a_rate() -> None:
    cat = mini_catalogue()
    cat.endpoints[0] = type(cat.endpoints[0])(
        "PFS", "progression-free survival", ("alive and free of progression",)
    )
    text = (
        "The ZEPHYR trial randomly assigned 300 patients to zorbatinib plus docetaxel or to "
        "docetaxel alone. At 2 years, 64.5% of patients in the zorbatinib group were alive "
        "and free of progression, compared with 51.2% of those given docetaxel alone."
    )
    (trial,) = extract_document(Document(name="t.txt", text=text), catalogue=cat).trials
    rates = {(r.value, tuple(trial.arms[r.arm].drugs)) for r in trial.results if r.arm is not None}
    assert (64.5, ("zorbatinib", "docetaxel")) in rates
    assert (51.2, ("docetaxel",)) in rates
    assert all(r.endpoint == "PFS" and r.measure == "rate" for r in trial.results)


def test_percentage_ranges_and_alternatives_are_not_results() -> None:
    assert find_values("whereas in the 1% to 49% stratum the interval crossed 1.") == []
    assert find_values("tumours expressing between 10% and 20% of cells") == []
    assert find_values("response rates of 1% or 2% with older options") == []
    assert find_values("a TPS of 1%-49% in most patients") == []
    kept = find_values("the rate improved from 51% to 65% with zorbatinib.")
    assert [v.value for v in kept] == [51.0, 65.0]
    assert [v.value for v in find_values("ORR was 49% and 32%, respectively.")] == [49.0, 32.0]


def test_value_without_the_added_drug_belongs_to_the_control_arm() -> None:
    text = (
        "The ZEPHYR trial randomly assigned 300 patients to zorbatinib plus docetaxel or to "
        "docetaxel alone. Median OS was 19.2 months with the zorbatinib regimen compared "
        "with 14.1 months without it."
    )
    (trial,) = _extract(text).trials
    by_value = {r.value: trial.arms[r.arm].drugs for r in trial.results if r.arm is not None}
    assert by_value[19.2] == ["zorbatinib", "docetaxel"]
    assert by_value[14.1] == ["docetaxel"]


def test_single_arm_trial_is_not_randomized_and_counts_responders() -> None:
    text = (
        "Zorbatinib with quellumab was tested in the single-arm phase 2 OSPREY study. "
        "OSPREY enrolled 70 patients. Patients received zorbatinib with quellumab. "
        "Of the 61 patients evaluable for response, 28 had a confirmed objective response "
        "(ORR 46%), including 4 complete responses."
    )
    (trial,) = _extract(text).trials
    assert trial.randomized is False
    got = {(r.endpoint, r.measure, r.value) for r in trial.results}
    assert {("ORR", "count", 28.0), ("ORR", "rate", 46.0), ("CR", "count", 4.0)} <= got
    assert ("ORR", "count", 61.0) not in got


def test_trial_named_after_its_description() -> None:
    text = "A randomized phase 3 comparison of the doublet with docetaxel, called HERON-3, is open."
    assert introduced_trial_names(LEX, text) == ["HERON-3"]


def test_decimal_months_after_at_are_medians_not_time_points() -> None:
    got = find_values("PFS was similar, at 8.3 months and 8.1 months, respectively.")
    assert [(v.kind, v.value) for v in got] == [("time", 8.3), ("time", 8.1)]
    assert find_values("Survival was assessed at 12 months.") == []


def test_respectively_order_restarts_in_each_clause() -> None:
    text = (
        "The ZEPHYR trial randomly assigned 300 patients to zorbatinib plus docetaxel or to "
        "docetaxel alone. In subgroup A, ORR was 61.0% and 52.0%, respectively; in subgroup "
        "B, it was 33.0% and 41.0%."
    )
    (trial,) = _extract(text).trials
    by_value = {r.value: trial.arms[r.arm].drugs for r in trial.results if r.arm is not None}
    assert by_value[61.0] == by_value[33.0] == ["zorbatinib", "docetaxel"]
    assert by_value[52.0] == by_value[41.0] == ["docetaxel"]


def test_percentage_of_patients_alive_is_an_overall_survival_rate() -> None:
    text = (
        "The ZEPHYR trial randomly assigned 300 patients to zorbatinib or docetaxel. At 3 years, "
        "58.5% of zorbatinib-treated patients were alive, compared with 47.5% of those "
        "assigned docetaxel."
    )
    (trial,) = _extract(text).trials
    got = {(r.endpoint, r.measure, r.value, tuple(trial.arms[r.arm].drugs)) for r in trial.results}
    assert got == {("OS", "rate", 58.5, ("zorbatinib",)), ("OS", "rate", 47.5, ("docetaxel",))}


def test_trial_introduced_after_sentence_initial_preposition() -> None:
    text = "In PLOVER-2, a single-arm phase 2 study, 50 patients received zorbatinib."
    assert introduced_trial_names(LEX, text) == ["PLOVER-2"]


def test_progression_on_first_line_therapy_means_second_line() -> None:
    from trialgraph.ingest.extract.population import population_from

    assert population_from(["disease that progressed on first-line zorbatinib"]).line == "second"
    assert population_from(["previously untreated advanced disease"]).line == "first"
