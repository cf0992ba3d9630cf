"""What the REST and linked-data routes need per app: store, settings, keys, lookups.

Built once per app on first use and kept on ``app.state`` (never at import time), so two
apps in one process (tests) each have their own. The store and settings themselves come
from part A's :mod:`trialgraph.api.deps`, the one place the app keeps them.
"""

from __future__ import annotations

import difflib
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, HTTPException, Request
from rdflib import URIRef
from trialgraph.api.routes.rest_assemble import Keys
from trialgraph.api.routes.rest_sparql import CountCache
from trialgraph.api.routes.text_index import TextIndex

from trialgraph.config import Settings
from trialgraph.ids import Minter
from trialgraph.store.base import Store

if TYPE_CHECKING:
    from trialgraph.ontology.catalogue import Catalogue, DrugEntry

__all__ = ["Context", "ContextDep", "get_context"]

_LOCK = threading.Lock()
_KNOWN_DRUG = (
    "PREFIX tg: <https://w3id.org/trialgraph/ontology#> "
    "SELECT ?drug WHERE { ?drug a tg:Drug } LIMIT 1"
)


@dataclass
class Context:
    """Per-app helpers shared by the REST and linked-data routes."""

    store: Store
    settings: Settings
    keys: Keys
    minter: Minter
    index: TextIndex
    counts: CountCache
    _catalogue: Catalogue | None = field(default=None, repr=False)

    @property
    def timeout(self) -> float:
        return self.settings.query_timeout

    def catalogue(self) -> Catalogue:
        """The drug catalogue, loaded on first use (it parses a Turtle file)."""
        if self._catalogue is None:
            from trialgraph.ontology.catalogue import load_catalogue

            self._catalogue = load_catalogue()
        return self._catalogue

    def drug_iri(self, name: str, *, param: str = "drug") -> URIRef:
        """A catalogue name or synonym ('pertuzumab', 'Perjeta') as the drug's IRI; failing
        that, a drug the store itself names (extracted but not in the catalogue).

        :raises HTTPException: 422 with close catalogue names when nothing matches.
        """
        catalogue = self.catalogue()
        entry = catalogue.lookup_drug(name)
        if entry is not None:
            return self.minter.iri("drug", _label_of(entry))
        extracted = self.minter.drug(name)  # a drug ingest named that the catalogue lacks
        if self.store.select(_KNOWN_DRUG, bindings={"drug": extracted}, timeout=self.timeout):
            return extracted
        names = sorted(catalogue.drug_surface_forms())
        hint = difflib.get_close_matches(name.lower(), names, n=5, cutoff=0.6)
        raise HTTPException(
            status_code=422,
            detail=f"unknown drug {name!r} for parameter {param!r}; "
            + (
                f"did you mean: {', '.join(hint)}?"
                if hint
                else "use a catalogue drug name or synonym (see /drugs)"
            ),
        )


def _label_of(entry: DrugEntry) -> str:
    """The IRI key of a catalogue drug (``<drug/{key}>`` in the catalogue)."""
    return entry.key


async def get_context(request: Request) -> Context:
    """The app's context, built on first use from the store and settings part A keeps.

    ``async`` so FastAPI calls it on the event loop: a plain ``def`` dependency costs a
    thread-pool hand-off on every request, for what is almost always an attribute read.
    """
    state = request.app.state
    ctx: Context | None = getattr(state, "rest_context", None)
    if ctx is None:
        from trialgraph.api import deps

        store: Store = await deps.get_store(request)
        settings: Settings = await deps.get_settings(request)
        with _LOCK:
            ctx = getattr(state, "rest_context", None)
            if ctx is None:
                ctx = Context(
                    store=store,
                    settings=settings,
                    keys=Keys(settings.base_iri),
                    minter=Minter(settings.base_iri),
                    index=TextIndex(),
                    counts=CountCache(),
                )
                state.rest_context = ctx
    return ctx


ContextDep = Annotated[Context, Depends(get_context)]
