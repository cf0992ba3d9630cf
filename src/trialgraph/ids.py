"""IRI minting: every resource IRI the store holds is made here, deterministically.

The same input always gives the same IRI (so re-ingesting an article is idempotent and one
trial has one IRI across articles). Keys are slugs: lower case, ``[a-z0-9-]``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

from rdflib import URIRef

from trialgraph.config import DEFAULT_BASE_IRI

__all__ = ["Minter", "content_hash", "slug"]

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """Lower-case ASCII slug: 'ALPHA-7B' -> 'alpha-7b', 'Trastuzumab Emtansine' -> ..."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NON_SLUG.sub("-", ascii_text.lower()).strip("-") or "x"


def content_hash(*parts: object, length: int = 16) -> str:
    """A short stable hex digest of the parts (content-hash identity, as INDRA does)."""
    h = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:length]


class Minter:
    """Mints ``{base}id/{kind}/{key}`` resource IRIs and ``{base}graph/...`` graph names."""

    def __init__(self, base_iri: str = DEFAULT_BASE_IRI) -> None:
        self.base = base_iri

    def iri(self, kind: str, key: str) -> URIRef:
        return URIRef(f"{self.base}id/{kind}/{key}")

    def graph(self, name: str) -> URIRef:
        """Named graphs: 'ontology', 'catalogue', 'inferred', 'article/{key}'."""
        return URIRef(f"{self.base}graph/{name}")

    # resources -----------------------------------------------------------------------
    def article(self, key: str) -> URIRef:
        return self.iri("article", slug(key))

    def article_graph(self, key: str) -> URIRef:
        return self.graph(f"article/{slug(key)}")

    def trial_key(self, *, nct_id: str | None, name: str | None, fallback: str) -> str:
        """NCT id when known, else the normalised name, else a per-article fallback."""
        if nct_id:
            return nct_id.lower()
        if name:
            return slug(name)
        return f"unnamed-{slug(fallback)}"

    def trial(self, key: str) -> URIRef:
        return self.iri("trial", key)

    def drug(self, label: str) -> URIRef:
        return self.iri("drug", slug(label))

    def endpoint(self, abbreviation: str) -> URIRef:
        return self.iri("endpoint", slug(abbreviation))

    def arm(self, trial_key: str, drugs: Iterable[str]) -> URIRef:
        """One arm IRI per (trial, drug set), so articles reporting the same arm meet."""
        names = sorted({slug(d) for d in drugs}) or ["no-drugs"]
        return self.iri("arm", f"{trial_key}--{'-'.join(names)}"[:200])

    def population(self, trial_key: str, *facets: object) -> URIRef:
        return self.iri("population", f"{trial_key}--{content_hash(*facets, length=10)}")

    def subgroup(self, trial_key: str, label: str) -> URIRef:
        return self.iri("subgroup", f"{trial_key}--{slug(label)[:60]}")

    def result(self, article_key: str, *parts: object) -> URIRef:
        return self.iri("result", content_hash(article_key, *parts))

    def evidence(self, result_key: str) -> URIRef:
        return self.iri("evidence", content_hash("evidence", result_key))

    def run(self, *parts: object) -> URIRef:
        return self.iri("run", content_hash("run", *parts))
