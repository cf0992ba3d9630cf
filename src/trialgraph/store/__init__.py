"""Stores: one protocol (:mod:`.base`), one module per backend, chosen by a string.

=====================================  ==============================================
store string                           backend
=====================================  ==============================================
``oxigraph:PATH``                      embedded pyoxigraph, persistent in directory PATH
``oxigraph:`` / ``oxigraph::memory:``  embedded pyoxigraph, in memory
``memory:``                            rdflib ``Dataset`` in memory (small data, tests)
``sparql+http://HOST:PORT/PATH``       a remote SPARQL 1.1 endpoint (also ``sparql+https``)
=====================================  ==============================================

A remote store is read-only unless an update URL is given (``?update=`` in the store
string, the ``update_url`` argument, or ``TRIALGRAPH_UPDATE_URL``); see
:mod:`.remote_store`.
"""

from __future__ import annotations

from trialgraph.errors import ConfigError
from trialgraph.store.base import RDF_FORMATS, RESULT_FORMATS, QueryOutput, Row, Store

__all__ = [
    "RDF_FORMATS",
    "RESULT_FORMATS",
    "STORE_FORMS",
    "QueryOutput",
    "Row",
    "Store",
    "get_store",
]

STORE_FORMS = (
    "oxigraph:PATH",
    "oxigraph: (in memory)",
    "memory:",
    "sparql+http://HOST:PORT/PATH[?update=URL][&gsp=URL]",
    "sparql+https://...",
)


def get_store(
    location: str,
    *,
    update_url: str | None = None,
    gsp_url: str | None = None,
    timeout: float = 30.0,
) -> Store:
    """Open the store that ``location`` names.

    ``update_url``/``gsp_url`` and ``timeout`` (seconds, for HTTP connections) only apply
    to remote stores.

    :raises ConfigError: unknown prefix (the message lists the valid forms).
    :raises StoreError: the store exists but cannot be opened (e.g. locked by a process).
    """
    if location.startswith("oxigraph:"):
        from trialgraph.store.oxigraph_store import MEMORY_PATHS, OxigraphStore

        path = location.removeprefix("oxigraph:")
        return OxigraphStore(None if path in MEMORY_PATHS else path, location=location)
    if location == "memory:":
        from trialgraph.store.memory_store import MemoryStore

        return MemoryStore()
    if location.startswith(("sparql+http://", "sparql+https://")):
        from trialgraph.store.remote_store import RemoteStore

        return RemoteStore.from_location(
            location, update_url=update_url, gsp_url=gsp_url, timeout=timeout
        )
    raise ConfigError(f"unknown store {location!r}; valid forms: {', '.join(STORE_FORMS)}")
