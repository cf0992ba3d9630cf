"""The in-process text index and the count cache: what they find and when they refresh."""

from __future__ import annotations

from helpers_api_rest import load_sample
from rdflib import Graph, Literal, URIRef
from trialgraph.api.routes.rest_sparql import CountCache, Selection, count
from trialgraph.api.routes.text_index import TextIndex, tokens

from trialgraph.store import get_store
from trialgraph.vocab import TG


def test_tokens() -> None:
    assert tokens("NA-PHER2 trial (NCT01234567)") == ["na", "pher2", "trial", "nct01234567"]
    assert tokens('x" } ; DROP ALL ; #') == ["x", "drop", "all"]


def test_prefix_search_and_refresh_after_max_age() -> None:
    store = get_store("oxigraph:")
    load_sample(store)
    fresh = TextIndex(max_age=0.0)
    stale = TextIndex(max_age=3600.0)
    assert [t.split("/")[-1] for t in fresh.search(store, "alp")] == ["nct90000001"]
    assert len(fresh.search(store, "breast")) == 3  # the condition is searchable too
    assert fresh.search(store, "alpha gamma") == []  # every word must match
    assert stale.search(store, "delta") == []
    extra = Graph()
    trial = URIRef("https://w3id.org/trialgraph/id/trial/delta")
    extra.add((trial, TG.trialName, Literal("DELTA-FOUR")))
    store.replace_graph("https://w3id.org/trialgraph/graph/article/extra", extra)
    assert fresh.search(store, "delta") == [trial]  # rebuilt: max_age passed
    assert stale.search(store, "delta") == []  # within max_age: the documented lag


def test_count_cache_reuses_totals_within_max_age() -> None:
    store = get_store("oxigraph:")
    load_sample(store)
    sel = Selection(var="trial", fallback="?trial a tg:Trial .")
    cache, expired = CountCache(max_age=3600.0), CountCache(max_age=0.0)
    assert count(store, sel, timeout=5, cache=cache) == 3
    assert count(store, sel, timeout=5, cache=expired) == 3
    store.drop_graph("https://w3id.org/trialgraph/graph/article/sample-article-txt")
    assert count(store, sel, timeout=5, cache=cache) == 3  # cached total
    assert count(store, sel, timeout=5, cache=expired) == 0  # recounted
    assert count(store, sel, timeout=5) == 0
