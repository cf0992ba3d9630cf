"""Settings from ``TRIALGRAPH_*`` variables and flags."""

from __future__ import annotations

import pytest

from trialgraph.config import DEFAULT_STORE, Settings
from trialgraph.errors import ConfigError


def test_defaults_without_environment() -> None:
    settings = Settings.from_env({})
    assert settings.store == DEFAULT_STORE
    assert settings.query_timeout == 30.0
    assert settings.update_token == ""


def test_reads_trialgraph_variables_with_types() -> None:
    settings = Settings.from_env(
        {
            "TRIALGRAPH_STORE": "memory:",
            "TRIALGRAPH_PORT": "9001",
            "TRIALGRAPH_QUERY_TIMEOUT": "2.5",
            "TRIALGRAPH_MAX_ROWS": "50",
            "TRIALGRAPH_BASE_IRI": "https://example.org/kg/",
            "OTHER_STORE": "ignored",
        }
    )
    assert settings.store == "memory:"
    assert settings.port == 9001
    assert settings.query_timeout == 2.5
    assert settings.max_rows == 50
    assert settings.base_iri == "https://example.org/kg/"


def test_overrides_win_and_none_is_ignored() -> None:
    env = {"TRIALGRAPH_STORE": "memory:", "TRIALGRAPH_PORT": "9001"}
    settings = Settings.from_env(env, store="oxigraph:", port=None)
    assert settings.store == "oxigraph:"
    assert settings.port == 9001


@pytest.mark.parametrize(
    "env, needle",
    [
        ({"TRIALGRAPH_PORT": "eighty"}, "TRIALGRAPH_PORT"),
        ({"TRIALGRAPH_QUERY_TIMEOUT": "soon"}, "TRIALGRAPH_QUERY_TIMEOUT"),
        ({"TRIALGRAPH_QUERY_TIMEOUT": "0"}, "timeout"),
        ({"TRIALGRAPH_QUERY_TIMEOUT": "-1"}, "timeout"),
        ({"TRIALGRAPH_MAX_ROWS": "0"}, "max rows"),
        ({"TRIALGRAPH_BASE_IRI": "https://example.org/kg"}, "base IRI"),
    ],
)
def test_bad_values_are_rejected(env: dict[str, str], needle: str) -> None:
    with pytest.raises(ConfigError, match=needle):
        Settings.from_env(env)


def test_from_env_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIALGRAPH_STORE", "memory:")
    assert Settings.from_env().store == "memory:"


def test_with_returns_a_copy() -> None:
    base = Settings.from_env({})
    changed = base.with_(max_rows=7)
    assert changed.max_rows == 7
    assert base.max_rows == 10_000
