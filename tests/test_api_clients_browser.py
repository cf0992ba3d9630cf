"""YASGUI in headless Chromium against a real server: the query runs and results show.

Chromium loads ``/sparql?query=...`` as a browser (Accept: text/html), gets the bundled
YASGUI page, which runs the query against the endpoint; ``--dump-dom`` after a virtual
time budget shows the rendered result table. A screenshot is saved under
``tests/artifacts/`` for people to look at.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers_api import running_server
from trialgraph.queries.loader import load_named_queries

from trialgraph.store import get_store

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
LABEL = "label shown by the browser"
QUERY = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }"


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("chromium is not installed: run `make system-deps` (Debian package chromium)")
    return found


def browse(url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="tg-chromium-") as profile:
        args = [
            chromium(), "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--disable-extensions", f"--user-data-dir={profile}",
            "--virtual-time-budget=15000", "--window-size=1280,900", *extra, url,
        ]  # fmt: skip
        return subprocess.run(args, capture_output=True, text=True, timeout=90, check=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    location = f"oxigraph:{tmp_path_factory.mktemp('browser') / 'store'}"
    store = get_store(location)
    turtle = f'<http://example.org/t1> <http://www.w3.org/2000/01/rdf-schema#label> "{LABEL}" .'
    store.load(turtle.encode(), fmt="turtle", graph="http://example.org/g")
    store.close()
    with running_server(location) as base:
        yield base


@pytest.mark.slow
def test_yasgui_runs_the_query_and_shows_results(server: str) -> None:
    url = f"{server}/sparql?" + urllib.parse.urlencode({"query": QUERY})
    dom = browse(url, "--dump-dom").stdout
    assert "yasr" in dom, "YASGUI did not render"
    assert "<td" in dom and LABEL in dom, "the result table does not show the row"
    assert "http://example.org/t1" in dom
    # the named queries are there as example tabs
    titles = [q.title for q in load_named_queries().values()]
    assert titles and all(title in dom for title in titles)

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "yasgui.png"
    shot.unlink(missing_ok=True)
    browse(url, f"--screenshot={shot}")
    assert shot.stat().st_size > 10_000
