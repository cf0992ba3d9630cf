"""A small in-process token index for the ``q`` text search of ``/trials``.

Why not SPARQL ``CONTAINS(LCASE(?label), ...)``: it scans every label on every request
(0.3 s at 100k trials, ``design/PERF_NOTES.md``) and standard SPARQL has no text index.
Here one SELECT reads the searchable strings (trial name, NCT id, condition), they are cut
into lower-case tokens, and a query matches a trial when each of its tokens is a prefix of
one of the trial's tokens ("alph" finds "ALPHA-7", "nct0123" the NCT id).

The index is rebuilt on the first search after ``max_age`` seconds, so trials ingested by
another process appear within that delay; the age is part of the documented behaviour,
not a cache that silently lies forever.
"""

from __future__ import annotations

import bisect
import re
import threading
import time
from collections import defaultdict

from rdflib import URIRef

from trialgraph.store.base import Store

__all__ = ["TextIndex", "tokens"]

_TOKEN = re.compile(r"[a-z0-9]+")
_QUERY = """PREFIX tg: <https://w3id.org/trialgraph/ontology#>
SELECT ?trial ?text WHERE {
  { ?trial tg:trialName ?text }
  UNION { ?trial tg:nctId ?text }
  UNION { ?trial tg:hasPopulation ?population . ?population tg:condition ?text }
}"""


def tokens(text: str) -> list[str]:
    """Lower-case alphanumeric runs: 'NA-PHER2 trial' -> ['na', 'pher2', 'trial']."""
    return _TOKEN.findall(text.lower())


class TextIndex:
    """Token -> trials, with prefix lookup by bisection over the sorted token list."""

    def __init__(self, *, max_age: float = 30.0) -> None:
        self.max_age = max_age
        self._built_at = float("-inf")
        self._postings: dict[str, set[URIRef]] = {}
        self._sorted: list[str] = []
        self._lock = threading.Lock()

    def _refresh(self, store: Store, timeout: float | None) -> None:
        if time.monotonic() - self._built_at < self.max_age:
            return
        with self._lock:
            if time.monotonic() - self._built_at < self.max_age:
                return
            postings: dict[str, set[URIRef]] = defaultdict(set)
            for row in store.select(_QUERY, timeout=timeout):
                trial, text = row.get("trial"), row.get("text")
                if isinstance(trial, URIRef) and text is not None:
                    for token in tokens(str(text)):
                        postings[token].add(trial)
            self._postings = dict(postings)
            self._sorted = sorted(self._postings)
            self._built_at = time.monotonic()

    def _prefix(self, prefix: str) -> set[URIRef]:
        found: set[URIRef] = set()
        i = bisect.bisect_left(self._sorted, prefix)
        while i < len(self._sorted) and self._sorted[i].startswith(prefix):
            found |= self._postings[self._sorted[i]]
            i += 1
        return found

    def search(self, store: Store, text: str, *, timeout: float | None = None) -> list[URIRef]:
        """Trials matching every token of ``text``, sorted by IRI (a stable page order)."""
        wanted = tokens(text)
        if not wanted:
            return []
        self._refresh(store, timeout)
        matches: set[URIRef] | None = None
        for token in wanted:
            hits = self._prefix(token)
            matches = hits if matches is None else matches & hits
            if not matches:
                return []
        return sorted(matches or ())
