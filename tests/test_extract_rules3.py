"""Unit tests of the third round of general extraction rules (invented names and numbers)."""

from __future__ import annotations

import dataclasses
import time

from helpers_extract import mini_catalogue
from trialgraph.ingest.extract import extract_document, lexicon_for
from trialgraph.ingest.extract.mentions import find_drugs, introduced_trial_names
from trialgraph.ingest.extract.numbers import find_values
from trialgraph.ingest.sources.document import Document

CAT = mini_catalogue()
LEX = lexicon_for(CAT)


def _typed() -> object:
    """As in the real catalogue, every class entry is typed by its own class."""
    cat = mini_catalogue()
    cat.drugs = [dataclasses.replace(d, classes=(d.label,)) if d.is_class else d for d in cat.drugs]
    return cat


TYPED = _typed()


def _trial(text: str, catalogue: object = CAT) -> dict:
    doc = Document(name="t.txt", text=text)
    out = extract_document(doc, catalogue=catalogue).to_contract_json()  # type: ignore[arg-type]
    assert len(out["trials"]) == 1, out["trials"]
    return out["trials"][0]


def _arms(t: dict) -> list[tuple[set[str], str | None]]:
    return [(set(a["drugs"]), a["role"]) for a in t["arms"]]


def _results(t: dict) -> set[tuple]:
    out = set()
    for r in t["results"]:
        arm = r.get("arm")
        arm = tuple(r["arms"]) if arm is None else arm
        out.add((r["endpoint"], r["measure"], arm, r.get("value"), r.get("not_reached", False)))
    return out


def test_compared_a_with_b_names_two_arms() -> None:
    t = _trial("The phase 3 HERON trial compared zorbatinib plus docetaxel with docetaxel alone.")
    assert _arms(t) == [({"zorbatinib", "docetaxel"}, "experimental"), ({"docetaxel"}, "control")]


def test_doublet_and_triplet_name_the_arm_with_that_many_drugs() -> None:
    t = _trial(
        "The phase 3 HERON trial compared zorbatinib plus quellumab with quellumab alone. "
        "Median overall survival was 22.1 months with the doublet versus 17.3 months with "
        "quellumab alone."
    )
    assert ("OS", "median", 0, 22.1, False) in _results(t)
    assert ("OS", "median", 1, 17.3, False) in _results(t)


def test_risk_of_death_cut_is_an_overall_survival_hazard_ratio_not_a_rate() -> None:
    t = _trial(
        "The phase 3 HERON trial compared zorbatinib with placebo. Progression-free survival "
        "was longer with zorbatinib. Zorbatinib also cut the risk of death by 31% (HR 0.69; "
        "95% CI, 0.55-0.86)."
    )
    res = _results(t)
    assert ("OS", "hazard_ratio", (0, 1), 0.69, False) in res
    assert not any(r[3] == 31.0 for r in res)


def test_progression_or_death_is_not_overall_survival() -> None:
    t = _trial(
        "The phase 3 HERON trial compared zorbatinib with placebo. Zorbatinib reduced the "
        "risk of progression or death (HR 0.55)."
    )
    assert not any(r[0] == "OS" for r in _results(t))


def test_v_between_values_pairs_them_and_or_comma_is_an_odds_ratio() -> None:
    t = _trial(
        "The phase 3 HERON trial compared quellumab plus docetaxel with placebo plus docetaxel. "
        "The pathologic complete response rate was 41.5% v 30.2% (OR, 1.62; 95% CI, 1.10 to "
        "2.40)."
    )
    res = _results(t)
    assert ("pCR", "rate", 0, 41.5, False) in res
    assert ("pCR", "rate", 1, 30.2, False) in res
    assert ("pCR", "odds_ratio", (0, 1), 1.62, False) in res


def test_comma_separated_confidence_interval() -> None:
    (v,) = [v for v in find_values("Median PFS was 7.3 months (95% CI: 5.9, 8.8).")]
    assert v.ci == (5.9, 8.8)


def test_not_reached_in_either_arm() -> None:
    t = _trial(
        "The phase 3 HERON trial compared zorbatinib with placebo. Median overall survival was "
        "not reached in either arm."
    )
    assert ("OS", "median", 0, None, True) in _results(t)
    assert ("OS", "median", 1, None, True) in _results(t)


def test_landmark_rate_named_before_the_endpoint() -> None:
    t = _trial(
        "The phase 3 HERON trial compared zorbatinib with placebo. The 3-year overall survival "
        "rate was 64% with zorbatinib and 51% with placebo."
    )
    assert ("OS", "rate", 0, 64.0, False) in _results(t)
    assert ("OS", "rate", 1, 51.0, False) in _results(t)


def test_responders_out_of_a_total_give_a_count_not_the_denominator() -> None:
    t = _trial(
        "In the single-arm phase 2 HERON study, 58 patients received zorbatinib. Overall, "
        "21 of the 58 patients responded."
    )
    res = _results(t)
    assert ("ORR", "count", 0, 21.0, False) in res
    assert not any(r[3] == 58.0 for r in res)


def test_responses_lasted_a_median_is_duration_of_response() -> None:
    t = _trial(
        "In the single-arm phase 2 HERON study, 58 patients received zorbatinib. The overall "
        "response rate was 36%. Responses lasted a median of 11.4 months."
    )
    assert ("DOR", "median", 0, 11.4, False) in _results(t)


def test_with_or_without_gives_the_combination_and_the_base() -> None:
    t = _trial("HERON is a phase 3 trial of zorbatinib with or without quellumab.")
    assert _arms(t) == [({"zorbatinib", "quellumab"}, "experimental"), ({"zorbatinib"}, "control")]


def test_background_therapy_before_randomisation_is_in_every_arm() -> None:
    t = _trial(
        "The HERON trial, randomly assigning 500 patients already receiving docetaxel to add "
        "zorbatinib or placebo, met its primary end point."
    )
    assert {frozenset(d) for d, _ in _arms(t)} == {
        frozenset({"zorbatinib", "docetaxel"}),
        frozenset({"placebo", "docetaxel"}),
    }


def test_class_in_apposition_to_its_member_is_dropped() -> None:
    drugs = find_drugs(lexicon_for(TYPED), "adding the kinase inhibitor zorbatinib to docetaxel")
    assert [d.info.label for d in drugs] == ["zorbatinib", "docetaxel"]


def test_class_with_a_bracketed_list_of_agents_stands_for_them() -> None:
    t = _trial(
        "The HERON trial randomized patients to quellumab plus chemotherapy (docetaxel or "
        "paclitaxel) or quellumab alone.",
        TYPED,
    )
    assert ({"quellumab", "docetaxel", "paclitaxel"}, "experimental") in _arms(t)
    t = _trial(
        "The HERON trial randomized patients to quellumab plus a taxane (docetaxel or "
        "paclitaxel) or quellumab alone.",
        TYPED,
    )
    assert ({"quellumab", "taxane"}, "experimental") in _arms(t)


def test_choice_of_chemotherapy_with_a_colon_lists_its_agents() -> None:
    t = _trial(
        "The HERON trial randomized patients to quellumab or placebo, in combination with "
        "investigator's choice of chemotherapy: docetaxel with capecitabine, or irinotecan."
    )
    agents = {"docetaxel", "capecitabine", "irinotecan"}
    assert _arms(t) == [
        ({"quellumab"} | agents, "experimental"),
        ({"placebo"} | agents, "control"),
    ]


def test_trial_names_in_titles_and_appositions() -> None:
    assert introduced_trial_names(LEX, "Final Overall Survival Analysis of HERON") == ["HERON"]
    assert introduced_trial_names(LEX, "The first is EGRET-2, a phase 3 trial in 400 adults.") == [
        "EGRET-2"
    ]
    assert introduced_trial_names(LEX, "EGRET-2, a single-arm phase 2 study, gave zorbatinib.") == [
        "EGRET-2"
    ]


def test_prior_therapy_is_not_the_single_arm() -> None:
    t = _trial(
        "In the single-arm phase 2 HERON study, 80 patients who had received at least two "
        "prior chemotherapy regimens received zorbatinib monotherapy. The objective response "
        "rate was 33%."
    )
    assert _arms(t) == [({"zorbatinib"}, "single")]


def test_raised_to_a_from_b_gives_the_new_value_to_the_experimental_arm() -> None:
    t = _trial(
        "The phase 3 HERON trial compared zorbatinib plus docetaxel with docetaxel alone. The "
        "combination raised the 2-year progression-free survival rate to 61.2% from 52.4%."
    )
    assert ("PFS", "rate", 0, 61.2, False) in _results(t)
    assert ("PFS", "rate", 1, 52.4, False) in _results(t)


def test_naming_components_does_not_reorder_the_arms() -> None:
    t = _trial(
        "The phase 3 HERON trial compared zorbatinib plus docetaxel with capecitabine plus "
        "docetaxel. It replaced capecitabine with zorbatinib. Median progression-free survival "
        "was 9.9 vs 7.1 months."
    )
    assert ("PFS", "median", 0, 9.9, False) in _results(t)
    assert ("PFS", "median", 1, 7.1, False) in _results(t)


def test_hazard_ratio_for_an_abbreviated_endpoint() -> None:
    t = _trial(
        "The phase 3 HERON trial compared zorbatinib with placebo. In an exploratory analysis, "
        "the HR for OS was 0.92 (95% CI: 0.72, 1.18)."
    )
    assert ("OS", "hazard_ratio", (0, 1), 0.92, False) in _results(t)


def test_b_alone_resolves_to_the_placebo_arm() -> None:
    t = _trial(
        "The phase 3 HERON trial randomized patients to zorbatinib plus docetaxel or placebo "
        "plus docetaxel. The objective response rate was 61.7% with the combination versus "
        "43.9% with docetaxel alone."
    )
    assert ("ORR", "rate", 1, 43.9, False) in _results(t)


def test_long_review_text_is_fast_and_does_not_crash() -> None:
    para = (
        "The phase 3 HERON trial compared zorbatinib plus docetaxel with docetaxel alone; the "
        "doublet cut the risk of death by 20% (HR 0.80; 95% CI: 0.70, 0.91), and 12 of the 40 "
        "responded, with responses lasting a median of 8.1 months (34.5% v 28.1%; OR, 1.35). "
    )
    text = "\n\n".join(para.replace("HERON", f"HERON-{i}") for i in range(300))
    t0 = time.perf_counter()
    out = extract_document(Document(name="t.txt", text=text), catalogue=CAT)
    assert time.perf_counter() - t0 < 5
    assert len(out.trials) == 300


def test_capitalised_versus_in_a_title_and_adding_rather_than() -> None:
    t = _trial(
        "Zorbatinib Versus Quellumab, Each in Combination With Docetaxel: The HERON Trial\n\n"
        "Adding zorbatinib rather than quellumab to docetaxel prolonged survival."
    )
    assert {frozenset(d) for d, _ in _arms(t)} == {
        frozenset({"zorbatinib", "docetaxel"}),
        frozenset({"quellumab", "docetaxel"}),
    }
