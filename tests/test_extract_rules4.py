"""Unit tests of the fourth round of general extraction rules (invented names and numbers)."""

from __future__ import annotations

from helpers_extract import mini_catalogue
from trialgraph.ingest.extract import extract_document, lexicon_for
from trialgraph.ingest.extract.added_to import added_to_arms
from trialgraph.ingest.extract.enrollment import find_enrollment
from trialgraph.ingest.extract.mentions import find_drugs
from trialgraph.ingest.sources.document import Document

CAT = mini_catalogue()
LEX = lexicon_for(CAT)


def _trials(text: str) -> list[dict]:
    doc = Document(name="t.txt", text=text)
    out = extract_document(doc, catalogue=CAT).to_contract_json()  # type: ignore[arg-type]
    return list(out["trials"])


def _results(t: dict) -> set[tuple]:
    out = set()
    for r in t["results"]:
        arm = r.get("arm")
        arm = tuple(r["arms"]) if arm is None else arm
        out.add((r["endpoint"], r["measure"], arm, r.get("value")))
    return out


def test_enrollment_after_randomly_assigned_and_study_parenthesis() -> None:
    assert find_enrollment("HERON, a phase 3 trial that randomly assigned 482 patients") == 482
    assert find_enrollment("In the phase 2 HERON study (n = 97), zorbatinib was given") == 97
    assert find_enrollment("In the HERON trial, 315 patients previously treated were") == 315


def test_arm_size_in_parenthesis_is_not_the_enrollment() -> None:
    assert find_enrollment("patients received zorbatinib (n = 97) or docetaxel (n = 95)") is None
    assert find_enrollment("412 patients were randomized to zorbatinib or docetaxel") is None


def test_in_name_which_compared_introduces_a_trial() -> None:
    ts = _trials(
        "In OSPREY, which compared zorbatinib plus docetaxel with docetaxel alone in "
        "388 patients, the hazard ratio for progression was 0.71."
    )
    assert [t["name"] for t in ts] == ["OSPREY"]
    assert ts[0]["enrollment"] == 388


def test_lower_case_word_before_which_is_not_a_trial_name() -> None:
    ts = _trials("In Europe, which approved zorbatinib, median PFS was 9.1 months.")
    assert all(t.get("name") != "Europe" for t in ts)


def test_mean_time_is_not_a_median() -> None:
    ts = _trials(
        "The phase 3 HERON trial compared zorbatinib plus docetaxel with docetaxel alone. "
        "The mean PFS was 8.2 months versus 6.1 months."
    )
    assert not [r for r in ts[0]["results"] if r["measure"] == "median"]


def test_a_added_to_b_c_and_d_makes_two_arms() -> None:
    ts = _trials(
        "In the randomized phase 2 HERON study, zorbatinib added to quellumab, fennestrant, "
        "and capecitabine improved median PFS from 7.2 to 11.5 months."
    )
    arms = [(set(a["drugs"]), a["role"]) for a in ts[0]["arms"]]
    assert arms == [
        ({"zorbatinib", "quellumab", "fennestrant", "capecitabine"}, "experimental"),
        ({"quellumab", "fennestrant", "capecitabine"}, "control"),
    ]
    assert ("PFS", "median", 0, 11.5) in _results(ts[0])
    assert ("PFS", "median", 1, 7.2) in _results(ts[0])


def test_added_to_stops_at_the_clause_after_the_regimen() -> None:
    ts = _trials(
        "In the phase 2 HERON study, zorbatinib added to quellumab, given as in earlier "
        "work with docetaxel, improved median PFS from 7.2 to 11.5 months."
    )
    arms = [set(a["drugs"]) for a in ts[0]["arms"]]
    assert {"zorbatinib", "quellumab"} in arms
    assert {"quellumab"} in arms
    assert all("docetaxel" not in a for a in arms)


def test_placebo_added_to_b_is_not_an_addition_design() -> None:
    text = "Placebo added to docetaxel was well tolerated."
    drugs = find_drugs(LEX, text)
    assert added_to_arms(text, drugs) == []
