"""The package layout: mounted folders are all declared, and only importable as
``trialgraph.<folder>``."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib import resources
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]
MOUNTED = ("api", "ingest", "ontology", "queries")


def _declared_packages_on_disk() -> set[str]:
    """Every folder with an ``__init__.py`` under a package-dir mount, as a dotted name."""
    found: set[str] = set()
    for package, folder in SETUPTOOLS["package-dir"].items():
        root = REPO / folder
        for init in root.rglob("__init__.py"):
            if any(part.startswith(".") or part == "__pycache__" for part in init.parts):
                continue
            relative = init.parent.relative_to(root).parts
            found.add(".".join((package, *relative)))
    return found


def test_every_package_folder_is_listed() -> None:
    on_disk = _declared_packages_on_disk()
    listed = set(SETUPTOOLS["packages"])
    missing = sorted(on_disk - listed)
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {missing}"
    stale = sorted(listed - on_disk)
    assert not stale, f"listed in pyproject.toml but no __init__.py on disk: {stale}"


def test_every_mount_points_at_a_folder() -> None:
    for package, folder in SETUPTOOLS["package-dir"].items():
        assert (REPO / folder / "__init__.py").is_file(), package


@pytest.mark.parametrize("name", MOUNTED)
def test_bare_import_fails_outside_the_repo(name: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", f"import {name}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "ModuleNotFoundError" in result.stderr or "ImportError" in result.stderr


@pytest.mark.parametrize("name", MOUNTED)
def test_bare_import_is_refused_inside_the_repo(name: str) -> None:
    """With the repo root on sys.path the folder is found, and refuses to load twice."""
    result = subprocess.run(
        [sys.executable, "-c", f"import {name}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert f"as 'trialgraph.{name}'" in result.stderr


@pytest.mark.parametrize("name", MOUNTED)
def test_mounted_import_works(name: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", f"import trialgraph.{name} as m; print(m.__name__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"trialgraph.{name}"


def test_package_data_is_reachable() -> None:
    """The named queries ship as package data (pyproject ``package-data``)."""
    names = [f.name for f in resources.files("trialgraph.queries").iterdir()]
    assert any(n.endswith(".rq") for n in names)
    assert "*.rq" in SETUPTOOLS["package-data"]["trialgraph.queries"]


def test_importing_the_package_has_no_side_effects(tmp_path: Path) -> None:
    """No files written, no store opened, no settings read at import."""
    code = (
        "import trialgraph, trialgraph.store, trialgraph.cli, trialgraph.store_commands, "
        "trialgraph.queries.loader, trialgraph.store.oxigraph_store, "
        "trialgraph.store.memory_store, trialgraph.store.remote_store"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={"TRIALGRAPH_QUERY_TIMEOUT": "not a number", "PATH": ""},
    )
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.iterdir()) == []
