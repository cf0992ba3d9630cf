"""Unit tests of design phrases met in held-out writing styles (invented names, numbers)."""

from __future__ import annotations

from helpers_extract import _Drug, mini_catalogue
from trialgraph.ingest.extract import extract_document, lexicon_for
from trialgraph.ingest.extract.arms import design_arms
from trialgraph.ingest.extract.mentions import find_drugs
from trialgraph.ingest.extract.provisional import refines
from trialgraph.ingest.sources.document import Document

CAT = mini_catalogue()
LEX = lexicon_for(CAT)


def _arms(text: str) -> list[list[str]]:
    return [sorted(s.drugs) for s in design_arms(text, find_drugs(LEX, text))]


def _trials(text: str) -> list[dict]:
    doc = Document(name="t.txt", text=text)
    out = extract_document(doc, catalogue=CAT).to_contract_json()  # type: ignore[arg-type]
    return list(out["trials"])


def test_received_a_or_placebo_in_addition_to_backbone() -> None:
    text = (
        "Participants received zorbatinib or placebo in addition to four cycles of "
        "docetaxel and capecitabine, after which zorbatinib or placebo was given alone."
    )
    assert _arms(text) == [
        ["capecitabine", "docetaxel", "zorbatinib"],
        ["capecitabine", "docetaxel", "placebo"],
    ]


def test_received_one_regimen_is_not_a_design() -> None:
    assert _arms("Patients received zorbatinib with docetaxel every 3 weeks.") == []
    assert _arms("Patients who had received docetaxel or paclitaxel were eligible.") == []


def test_received_regimen_or_backbone_alone_with_bracketed_acronyms() -> None:
    text = (
        "Patients received quellumab (Quellra) with docetaxel and capecitabine (QDC; n = 120) "
        "or docetaxel and capecitabine alone (DC; n = 118)."
    )
    assert _arms(text) == [
        ["capecitabine", "docetaxel", "quellumab"],
        ["capecitabine", "docetaxel"],
    ]


def test_either_after_a_duration_splits_the_alternatives() -> None:
    text = "Patients received six cycles of either zorbatinib (Zorbix) or paclitaxel, the standard."
    assert _arms(text) == [["zorbatinib"], ["paclitaxel"]]


def test_two_agents_or_backbone_added_to_versus_backbone_alone() -> None:
    text = "Zorbatinib or quellumab added to FOLFIRI versus FOLFIRI alone in colorectal cancer"
    assert _arms(text) == [
        ["fluorouracil", "folinic acid", "irinotecan", "zorbatinib"],
        ["fluorouracil", "folinic acid", "irinotecan", "quellumab"],
        ["fluorouracil", "folinic acid", "irinotecan"],
    ]


def test_either_alone_or_together_with_is_with_or_without() -> None:
    text = (
        "They were assigned to zorbatinib 80 mg daily, either alone or together with "
        "four cycles of docetaxel plus capecitabine, after which docetaxel was stopped."
    )
    assert _arms(text) == [["capecitabine", "docetaxel", "zorbatinib"], ["zorbatinib"]]


def test_design_names_a_result_arm_more_precisely() -> None:
    cat = mini_catalogue()
    cat.drugs.append(_Drug("platinum agent", "platinum agent", is_class=True, classes=("plt",)))
    cat.drugs.append(_Drug("cisplatin", "cisplatin", classes=("plt",)))
    lex = lexicon_for(cat)
    assert refines(lex, ["zorbatinib", "platinum agent"], ["zorbatinib", "cisplatin"])
    assert not refines(lex, ["zorbatinib"], ["zorbatinib", "cisplatin"])
    assert not refines(lex, ["zorbatinib", "platinum agent"], ["quellumab", "cisplatin"])
    doc = Document(
        name="t.txt",
        text="The KESTREL trial read out. With zorbatinib plus a platinum agent, median PFS was "
        "20.1 months. KESTREL assigned patients to zorbatinib, either alone or together "
        "with cisplatin. Median PFS was 14.2 months with zorbatinib alone.",
    )
    ts = extract_document(doc, catalogue=cat).to_contract_json()["trials"]  # type: ignore[arg-type]
    arms = [sorted(a["drugs"]) for a in ts[0]["arms"]]
    assert arms == [["cisplatin", "zorbatinib"], ["zorbatinib"]]
    got = {(r["arm"], r["value"]) for r in ts[0]["results"]}
    assert got == {(0, 20.1), (1, 14.2)}


def test_adding_a_drug_to_both_arms_then_listing_the_arms() -> None:
    text = (
        "HERON randomly assigned 400 patients with the same disease, but reflected current "
        "practice by adding quellumab to both arms: zorbatinib plus FOLFIRI and quellumab, "
        "or placebo plus FOLFIRI and quellumab."
    )
    assert _arms(text) == [
        ["fluorouracil", "folinic acid", "irinotecan", "quellumab", "zorbatinib"],
        ["fluorouracil", "folinic acid", "irinotecan", "placebo", "quellumab"],
    ]


def test_randomly_assigned_with_a_long_eligibility_clause_before_to() -> None:
    text = (
        "KESTREL randomly assigned 512 patients with previously untreated, biomarker-positive, "
        "advanced adenocarcinoma of the stomach or of the gastro-oesophageal junction (at least "
        "5% of tumour cells with 2+ or 3+ staining on central testing) to zorbatinib or placebo, "
        "each combined with FOLFIRI."
    )
    assert _arms(text) == [
        ["fluorouracil", "folinic acid", "irinotecan", "zorbatinib"],
        ["fluorouracil", "folinic acid", "irinotecan", "placebo"],
    ]


def test_trial_evaluating_a_compared_with_choice_of_b_or_c_each_with_d() -> None:
    text = (
        "HERON is a randomised phase 3 trial evaluating zorbatinib in combination with "
        "capecitabine, compared with investigator's choice of docetaxel or paclitaxel, each "
        "in combination with capecitabine."
    )
    assert _arms(text) == [
        ["capecitabine", "zorbatinib"],
        ["capecitabine", "docetaxel", "paclitaxel"],
    ]


_THREE_ARMS = (
    "The OSPREY trial randomly assigned patients to zorbatinib plus FOLFIRI, quellumab plus "
    "FOLFIRI, or FOLFIRI alone. "
)


def test_three_arm_list_of_medians_with_hyphenated_regimens_respectively() -> None:
    ts = _trials(
        _THREE_ARMS + "Median overall survival was 10.2, 14.8 and 13.1 months in the FOLFIRI, "
        "zorbatinib-FOLFIRI and quellumab-FOLFIRI groups, respectively. Median "
        "progression-free survival was 5.1, 7.7 and 6.9 months in the same order."
    )
    got = _results(ts[0])
    for v, arm in ((10.2, 2), (14.8, 0), (13.1, 1), (5.1, 2), (7.7, 0), (6.9, 1)):
        assert any(r[2] == arm and r[3] == v for r in got), (v, arm)


def test_k_of_n_patients_with_a_rate_is_a_count_of_k() -> None:
    ts = _trials(
        _THREE_ARMS + "An objective response was recorded in 31 of 101 patients (30.7 %) given "
        "FOLFIRI and 47 of 99 (47.5 %) given zorbatinib-FOLFIRI."
    )
    got = _results(ts[0])
    assert ("ORR", "count", 2, 31.0) in got and ("ORR", "count", 0, 47.0) in got
    assert ("ORR", "rate", 2, 30.7) in got
    assert not any(r[1] == "count" and r[3] in (101.0, 99.0) for r in got)


def test_hazard_ratio_with_a_named_experimental_arm_of_three() -> None:
    ts = _trials(
        _THREE_ARMS + "Against FOLFIRI alone, the hazard ratio for death was 0.81 (95% CI "
        "0.66-0.99) with quellumab-FOLFIRI."
    )
    assert ("OS", "hazard_ratio", (1, 2), 0.81) in _results(ts[0])


def test_the_control_regimen_names_the_control_arm() -> None:
    ts = _trials(
        "The HERON trial randomly assigned patients to zorbatinib plus capecitabine or to "
        "capecitabine alone. Median PFS was 9.4 months with the zorbatinib combination versus "
        "5.2 months with the control regimen."
    )
    got = _results(ts[0])
    assert ("PFS", "median", 0, 9.4) in got and ("PFS", "median", 1, 5.2) in got


def _results(t: dict) -> set[tuple]:
    out = set()
    for r in t["results"]:
        arm = r.get("arm")
        arm = tuple(r["arms"]) if arm is None else arm
        out.add((r["endpoint"], r["measure"], arm, r.get("value")))
    return out


def test_a_unit_written_once_serves_a_whole_list() -> None:
    from trialgraph.ingest.extract.numbers import find_values

    text = "Median PFS was 4.4, 6.1 and 5.8 months."
    assert [(v.kind, v.value) for v in find_values(text)] == [
        ("time", 4.4),
        ("time", 6.1),
        ("time", 5.8),
    ]
    # a comma alone, with no "and" closing a list, passes no unit back
    assert [(v.kind, v.value) for v in find_values("Of 300, 12.1 months")] == [("time", 12.1)]
