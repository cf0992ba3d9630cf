"""Settings from flags and ``TRIALGRAPH_*`` environment variables.

One object, built explicitly (``Settings()`` or ``Settings.from_env(**overrides)``), never
at import time, so tests and the CLI can each build their own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from typing import Any

from trialgraph.errors import ConfigError

__all__ = ["DEFAULT_BASE_IRI", "DEFAULT_STORE", "Settings"]

DEFAULT_BASE_IRI = "https://w3id.org/trialgraph/"
DEFAULT_STORE = "oxigraph:./trialgraph-data"


@dataclass(frozen=True)
class Settings:
    """Everything configurable, with the defaults a fresh checkout runs with.

    ``update_token`` empty means SPARQL Update over HTTP is switched off.
    ``max_rows`` caps SELECT results at the HTTP layer; the cap is announced when applied.
    """

    store: str = DEFAULT_STORE
    base_iri: str = DEFAULT_BASE_IRI
    host: str = "127.0.0.1"
    port: int = 8000
    update_token: str = ""
    query_timeout: float = 30.0
    max_rows: int = 10_000
    max_body_bytes: int = 10 * 1024 * 1024
    cors_origins: str = ""
    #: what /sparql queries see without FROM or default-graph-uri: "union" (all graphs,
    #: how our data is laid out) or "default" (the store's own default graph only, as the
    #: W3C test suites expect)
    sparql_default_graph: str = "union"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Read ``TRIALGRAPH_<FIELD>`` variables, then apply non-None overrides (CLI flags)."""
        env = dict(os.environ) if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"TRIALGRAPH_{f.name.upper()}")
            if raw is None:
                continue
            try:
                if f.type in ("int", int):
                    values[f.name] = int(raw)
                elif f.type in ("float", float):
                    values[f.name] = float(raw)
                else:
                    values[f.name] = raw
            except ValueError as exc:
                raise ConfigError(f"TRIALGRAPH_{f.name.upper()}={raw!r}: {exc}") from exc
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)
        settings.check()
        return settings

    def check(self) -> None:
        """Reject values that would only fail later, far from their cause."""
        if not self.base_iri.endswith(("/", "#")):
            raise ConfigError(f"base IRI must end with '/' or '#': {self.base_iri!r}")
        if self.query_timeout <= 0:
            raise ConfigError("query timeout must be positive")
        if self.max_rows <= 0:
            raise ConfigError("max rows must be positive")
        if self.sparql_default_graph not in ("union", "default"):
            raise ConfigError("sparql_default_graph must be 'union' or 'default'")

    def with_(self, **changes: Any) -> Settings:
        """A copy with some fields changed."""
        return replace(self, **changes)
