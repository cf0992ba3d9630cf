"""The drug/endpoint catalogue: data integrity, lookup rules, and coverage of the corpus.

The corpus checks read ``../shared/corpus`` (never copied into the repo): every drug name
in every gold file must resolve to itself, and every brand name / code name / abbreviation
the articles use for a drug must resolve to the drug the gold files use.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from rdflib import RDF, Namespace, URIRef
from trialgraph.ontology.catalogue import load_catalogue, surface_form

from trialgraph.ids import Minter, slug
from trialgraph.model import ENDPOINTS
from trialgraph.vocab import SKOS, TG, TG_NS

TGX = Namespace(TG_NS)  # open namespace: catalogue classes are not in the closed TG

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLD_FILES = sorted(SHARED.glob("corpus/*/gold/*.json"))
ARTICLES = sorted(SHARED.glob("corpus/*/articles/*.txt"))


def _gold_drugs() -> set[str]:
    names: set[str] = set()
    for path in GOLD_FILES:
        for trial in json.loads(path.read_text(encoding="utf-8"))["trials"]:
            for arm in trial.get("arms", []):
                names.update(arm.get("drugs", []))
    return names


def _gold_endpoints() -> set[str]:
    return {
        result["endpoint"]
        for path in GOLD_FILES
        for trial in json.loads(path.read_text(encoding="utf-8"))["trials"]
        for result in trial.get("results", [])
    }


def test_catalogue_is_a_few_hundred_entries() -> None:
    cat = load_catalogue()
    assert len(cat.drugs) >= 250
    assert set(ENDPOINTS) <= {e.abbreviation for e in cat.endpoints}


def test_keys_are_slugs_of_labels_so_minter_iris_match() -> None:
    cat = load_catalogue()
    graph = cat.to_graph()
    minter = Minter()
    for entry in cat.drugs:
        assert entry.key == slug(entry.label), entry
        assert (minter.drug(entry.label), RDF.type, TG.Drug) in graph
    for endpoint in cat.endpoints:
        assert (minter.endpoint(endpoint.abbreviation), RDF.type, TG.Endpoint) in graph


def test_labels_are_contract_names() -> None:
    for entry in load_catalogue().drugs:
        if not entry.components and entry.label not in {
            "CDK4/6 inhibitor",
            "PARP inhibitor",
            "HER2-targeted therapy",
            "GnRH agonist",
            "EGFR tyrosine kinase inhibitor",
            "S-1",
            "sipuleucel-T",
            "lutetium Lu 177 vipivotide tetraxetan",
        }:
            assert entry.label == entry.label.lower(), entry.label


def test_every_drug_has_a_class_and_every_class_is_declared() -> None:
    cat = load_catalogue()
    for entry in cat.drugs:
        assert entry.classes, entry.label
        for cls in entry.classes:
            assert cls in cat.classes, (entry.label, cls)
            assert "Drug" in cat.ancestors(cls)


def test_components_are_catalogue_drugs_without_components() -> None:
    cat = load_catalogue()
    regimens = [e for e in cat.drugs if e.components]
    assert len(regimens) >= 25
    for regimen in regimens:
        for component in regimen.components:
            assert cat.drug(component).components == ()


def test_expansion_of_regimen_acronyms() -> None:
    cat = load_catalogue()

    def parts(name: str) -> set[str]:
        entry = cat.lookup_drug(name)
        assert entry is not None, name
        return set(entry.components)

    assert parts("FOLFIRI") == {"fluorouracil", "folinic acid", "irinotecan"}
    assert parts("FOLFOX") == {"fluorouracil", "folinic acid", "oxaliplatin"}
    assert parts("FOLFOXIRI") == {"fluorouracil", "folinic acid", "oxaliplatin", "irinotecan"}
    assert parts("XELOX") == parts("CAPOX") == {"capecitabine", "oxaliplatin"}
    assert parts("R-CHOP") == {
        "rituximab",
        "cyclophosphamide",
        "doxorubicin",
        "vincristine",
        "prednisone",
    }
    assert parts("TCHP") == {"docetaxel", "carboplatin", "trastuzumab", "pertuzumab"}
    assert parts("AC") == {"doxorubicin", "cyclophosphamide"}
    assert parts("CMF") == {"cyclophosphamide", "methotrexate", "fluorouracil"}
    assert parts("Phesgo") == {"pertuzumab", "trastuzumab"}


@pytest.mark.parametrize(
    ("mention", "label"),
    [
        ("T-DM1", "trastuzumab emtansine"),
        ("TDM1", "trastuzumab emtansine"),
        ("t dm1", "trastuzumab emtansine"),
        ("Kadcyla®", "trastuzumab emtansine"),
        ("ado-trastuzumab emtansine", "trastuzumab emtansine"),
        ("T-DXd", "trastuzumab deruxtecan"),
        ("fam-trastuzumab deruxtecan-nxki", "trastuzumab deruxtecan"),
        ("trastuzumab-dkst", "trastuzumab"),
        ("trastuzumab\u2013anns", "trastuzumab"),
        ("margetuximab-cmkb", "margetuximab"),
        ("lapatinib ditosylate", "lapatinib"),
        ("imatinib mesylate", "imatinib"),
        ("irinotecan hydrochloride", "irinotecan"),
        ("eribulin mesylate", "eribulin"),
        ("leucovorin calcium", "folinic acid"),
        ("Leucovorin", "folinic acid"),
        ("5-FU", "fluorouracil"),
        ("Abraxane", "nab-paclitaxel"),
        ("nab paclitaxel", "nab-paclitaxel"),
        ("paclitaxel", "paclitaxel"),
        ("AI", "aromatase inhibitor"),
        ("AIs", "aromatase inhibitor"),
        ("aromatase inhibitors", "aromatase inhibitor"),
        ("taxanes", "taxane"),
        ("taxane therapy", "taxane"),
        ("CDK4/6 inhibitors", "CDK4/6 inhibitor"),
        ("physician\u2019s choice of chemotherapy", "chemotherapy"),
        ("hormone therapy", "endocrine therapy"),
        ("Placebo", "placebo"),
        ("Dato-DXd", "datopotamab deruxtecan"),
        ("Trodelvy", "sacituzumab govitecan"),
        ("axi-cel", "axicabtagene ciloleucel"),
        ("leuprolide", "leuprorelin"),
    ],
)
def test_lookup_drug_resolves_variants(mention: str, label: str) -> None:
    entry = load_catalogue().lookup_drug(mention)
    assert entry is not None, mention
    assert entry.label == label


@pytest.mark.parametrize(
    "mention",
    [
        "",
        "   ",
        "anthracycline-free",
        "trastuzumab-based",
        "trastuzumab-like",
        "et al",
        "patients",
        "survival",
        "aspirin",
        "paclitaxelx",
        "s",
    ],
)
def test_lookup_drug_refuses_non_drugs(mention: str) -> None:
    assert load_catalogue().lookup_drug(mention) is None


@pytest.mark.parametrize(
    ("mention", "abbreviation"),
    [
        ("PFS", "PFS"),
        ("progression free survival", "PFS"),
        ("median PFS", "PFS"),
        ("IDFS", "iDFS"),
        ("invasive disease-free survival", "iDFS"),
        ("pCR rate", "pCR"),
        ("PCR", "pCR"),
        ("overall response rate", "ORR"),
        ("objective response rate", "ORR"),
        ("duration of response", "DOR"),
        ("DoR", "DOR"),
        ("relapse-free survival", "RFS"),
        ("complete response", "CR"),
        ("clinical benefit rate", "CBR"),
    ],
)
def test_lookup_endpoint(mention: str, abbreviation: str) -> None:
    entry = load_catalogue().lookup_endpoint(mention)
    assert entry is not None and entry.abbreviation == abbreviation


def test_endpoint_kinds() -> None:
    cat = load_catalogue()
    kinds = {e.abbreviation: e.kind for e in cat.endpoints}
    assert kinds["PFS"] == kinds["OS"] == kinds["iDFS"] == "time"
    assert kinds["ORR"] == kinds["pCR"] == kinds["CBR"] == kinds["DCR"] == "rate"
    assert kinds["CR"] == kinds["PR"] == "count"
    assert load_catalogue().lookup_endpoint("unknown thing") is None


def test_surface_forms_cover_every_label_and_synonym() -> None:
    cat = load_catalogue()
    forms = cat.drug_surface_forms()
    for entry in cat.drugs:
        for name in (entry.label, *entry.synonyms):
            assert forms[surface_form(name)] is entry
    eforms = cat.endpoint_surface_forms()
    assert eforms["pfs"].abbreviation == "PFS"
    assert eforms["progression-free survival"].abbreviation == "PFS"


def test_class_closure_is_materialised() -> None:
    cat = load_catalogue()
    assert cat.ancestors("AntiHER2MonoclonalAntibody") >= {
        "HER2TargetedTherapy",
        "TargetedTherapy",
        "AntineoplasticAgent",
    }
    assert "Chemotherapy" in cat.ancestors("Taxane")
    assert "EndocrineTherapy" in cat.ancestors("AromataseInhibitor")
    graph = cat.to_graph("http://example.org/kg/")
    pertuzumab = URIRef("http://example.org/kg/id/drug/pertuzumab")
    for cls in (
        "AntiHER2MonoclonalAntibody",
        "HER2TargetedTherapy",
        "TargetedTherapy",
        "AntineoplasticAgent",
        "Drug",
    ):
        assert (pertuzumab, RDF.type, TGX[cls]) in graph
    docetaxel = URIRef("http://example.org/kg/id/drug/docetaxel")
    assert (docetaxel, RDF.type, TGX["Chemotherapy"]) in graph
    assert (docetaxel, RDF.type, TGX["EndocrineTherapy"]) not in graph
    # relative IRIs follow the base: nothing left under the default base
    assert not any(str(s).startswith("https://w3id.org/trialgraph/id/") for s in graph.subjects())
    assert (pertuzumab, SKOS.prefLabel, None) in graph


def _verified_iris() -> set[str]:
    with (SHARED / "vocab" / "terms.tsv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return {r["full IRI"] for r in rows if r["id/CURIE"] != "UNVERIFIED" and r["full IRI"]}


def test_catalogue_cross_references_are_verified() -> None:
    verified = _verified_iris()
    graph = load_catalogue().to_graph()
    matches = {str(o) for o in graph.objects(None, SKOS.exactMatch)}
    assert len(matches) >= 50
    assert matches - verified == set()


@pytest.mark.skipif(not GOLD_FILES, reason="shared corpus not present")
def test_every_gold_drug_resolves_to_itself() -> None:
    cat = load_catalogue()
    names = _gold_drugs()
    assert len(names) >= 25
    unresolved = {n for n in names if (e := cat.lookup_drug(n)) is None or e.label != n}
    assert unresolved == set()


@pytest.mark.skipif(not GOLD_FILES, reason="shared corpus not present")
def test_every_gold_endpoint_is_in_the_catalogue() -> None:
    cat = load_catalogue()
    missing = {
        e for e in _gold_endpoints() if (x := cat.lookup_endpoint(e)) is None or x.abbreviation != e
    }
    assert missing == set()


#: how the articles write drugs (brand names, code names, abbreviations, US names) that the
#: gold files normalise; each form is checked to occur in the corpus, so the list stays honest
CORPUS_FORMS = {
    "Perjeta": "pertuzumab",
    "Herceptin": "trastuzumab",
    "Kadcyla": "trastuzumab emtansine",
    "T-DM1": "trastuzumab emtansine",
    "ado-trastuzumab emtansine": "trastuzumab emtansine",
    "Ibrance": "palbociclib",
    "Lynparza": "olaparib",
    "Talzenna": "talazoparib",
    "Keytruda": "pembrolizumab",
    "BRAFTOVI": "encorafenib",
    "NERLYNX": "neratinib",
    "MARGENZA": "margetuximab",
    "margetuximab-cmkb": "margetuximab",
    "Tykerb": "lapatinib",
    "GW572016": "lapatinib",
    "Abraxane": "nab-paclitaxel",
    "nab-paclitaxel": "nab-paclitaxel",
    "AI": "aromatase inhibitor",
    "FOLFIRI": "FOLFIRI",
}


@pytest.mark.skipif(not ARTICLES, reason="shared corpus not present")
def test_brand_names_and_abbreviations_in_the_corpus_resolve() -> None:
    cat = load_catalogue()
    text = "\n".join(p.read_text(encoding="utf-8") for p in ARTICLES)
    for form, label in CORPUS_FORMS.items():
        assert re.search(rf"(?<![\w-]){re.escape(form)}(?![\w-])", text), form
        entry = cat.lookup_drug(form)
        assert entry is not None and entry.label == label, form
    # any 'Word®' brand in the corpus is known
    for brand in set(re.findall(r"\b([A-Z][A-Za-z]+)\s?®", text)):
        assert cat.lookup_drug(brand) is not None, brand
