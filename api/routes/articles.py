"""``/articles``, ``/articles/{id}`` and ``/stats``."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path
from fastapi.responses import Response
from rdflib import Literal, URIRef
from trialgraph.api.rest_models import ArticleDetail, ArticleSummary, Page, StatsOut, json_response
from trialgraph.api.routes import rest_assemble as assemble
from trialgraph.api.routes.context import Context, ContextDep
from trialgraph.api.routes.rest_sparql import (
    PREFIXES,
    Neighbourhood,
    Selection,
    count,
    neighbourhood,
    page,
    properties,
)
from trialgraph.api.routes.trials import KEY_PATTERN, LimitQ, OffsetQ

from trialgraph.vocab import DCTERMS, TG

__all__ = ["router"]

router = APIRouter(tags=["articles"])

_ARTICLE_PROPS = properties("article", "dcterms:title", "tg:contentHash", "tg:characterCount")
_ARTICLE_TRIALS = [
    f"?article tg:mentionsTrial ?s . ?s {p} ?o . BIND({p} AS ?p)"
    for p in ("tg:trialName", "tg:nctId", "tg:phase")
]
_ARTICLE_LINKS = "?article tg:mentionsTrial ?o . BIND(tg:mentionsTrial AS ?p) BIND(?article AS ?s)"
_STATS = (
    PREFIXES
    + """SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
  VALUES ?class { tg:Article tg:Trial tg:Arm tg:Result tg:Evidence tg:Drug }
  ?s a ?class .
} GROUP BY ?class"""
)


def _summary(n: Neighbourhood, ctx: Context, iri: URIRef) -> ArticleSummary:
    return ArticleSummary(
        id=ctx.keys.key(iri, "article"),
        iri=str(iri),
        title=n.text(iri, DCTERMS.title),
        content_hash=n.text(iri, TG.contentHash),
        character_count=n.integer(iri, TG.characterCount),
    )


@router.get("/articles", response_model=Page[ArticleSummary], summary="Ingested articles")
def list_articles(ctx: ContextDep, limit: LimitQ = 50, offset: OffsetQ = 0) -> Response:
    sel = Selection(var="article", fallback="?article a tg:Article .")
    iris = page(ctx.store, sel, limit=limit, offset=offset, timeout=ctx.timeout)
    n = neighbourhood(ctx.store, _ARTICLE_PROPS, var="article", values=iris, timeout=ctx.timeout)
    return json_response(
        Page[ArticleSummary](
            total=count(ctx.store, sel, timeout=ctx.timeout, cache=ctx.counts),
            limit=limit,
            offset=offset,
            items=[_summary(n, ctx, i) for i in iris],
        )
    )


@router.get(
    "/articles/{article_id}",
    response_model=ArticleDetail,
    summary="One article: the trials it reports and how many results",
)
def get_article(
    ctx: ContextDep,
    article_id: Annotated[str, Path(description="article key (slug of the file name)")],
) -> Response:
    if not re.match(KEY_PATTERN, article_id):
        raise HTTPException(404, detail=f"no article {article_id!r}")
    iri = ctx.keys.iri("article", article_id)
    n = neighbourhood(
        ctx.store,
        [*_ARTICLE_PROPS, *_ARTICLE_TRIALS, _ARTICLE_LINKS],
        var="article",
        bindings={"article": iri},
        timeout=ctx.timeout,
    )
    if not n.has(iri):
        raise HTTPException(404, detail=f"no article {article_id!r}; see /articles")
    results = Selection(
        var="result",
        fallback="",
        bindings={"article": iri},
        patterns=["?result prov:wasDerivedFrom ?article ."],
    )
    return json_response(
        ArticleDetail(
            **_summary(n, ctx, iri).model_dump(),
            trials=[
                assemble.trial_summary(n, ctx.keys, t) for t in n.objects(iri, TG.mentionsTrial)
            ],
            result_count=count(ctx.store, results, timeout=ctx.timeout, cache=ctx.counts),
        )
    )


@router.get("/stats", response_model=StatsOut, summary="How much the store holds")
def stats(ctx: ContextDep) -> Response:
    counts: dict[str, int] = {}
    for row in ctx.store.select(_STATS, timeout=ctx.timeout):
        cls, n = row.get("class"), row.get("n")
        if isinstance(cls, URIRef) and isinstance(n, Literal):
            counts[str(cls)] = int(n.toPython())

    def of(term: URIRef) -> int:
        return counts.get(str(term), 0)

    return json_response(
        StatsOut(
            quads=ctx.store.count(),
            graphs=len(ctx.store.graphs()),
            articles=of(TG.Article),
            trials=of(TG.Trial),
            arms=of(TG.Arm),
            results=of(TG.Result),
            evidence=of(TG.Evidence),
            drugs=of(TG.Drug),
        )
    )
