"""The owner's acceptance check on the seed corpus, end to end.

``trialgraph ingest`` (a real CLI process) extracts the seed articles into an on-disk
store; the REST API must then answer "trials adding pertuzumab in HR+ disease" with PERTAIN
and without CLEOPATRA (which adds pertuzumab in HER2+ disease without an HR+ population).
This depends on extraction quality: a failure here may be the extractor's, not the API's.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from trialgraph.api.app import create_app

from trialgraph.config import Settings
from trialgraph.store import get_store

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "seeds" / "articles"


@pytest.mark.slow
def test_trials_adding_pertuzumab_in_hr_positive_disease(tmp_path: Path) -> None:
    location = f"oxigraph:{tmp_path / 'store'}"
    ingest = subprocess.run(
        [sys.executable, "-m", "trialgraph.cli", "ingest", "--store", location, str(SEEDS)],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert ingest.returncode == 0, ingest.stdout + ingest.stderr
    store = get_store(location)
    try:
        with TestClient(create_app(Settings(store=location), store=store)) as client:
            response = client.get(
                "/trials", params={"adds": "pertuzumab", "hormone_receptor": "positive"}
            )
            assert response.status_code == 200
            names = {item["name"] for item in response.json()["items"]}
            assert "PERTAIN" in names
            assert "CLEOPATRA" not in names
            # CLEOPATRA is there, and does add pertuzumab: the population filter excludes it
            adds = client.get("/trials", params={"adds": "Perjeta"}).json()
            assert "CLEOPATRA" in {item["name"] for item in adds["items"]}
    finally:
        store.close()
