"""``/results``: reported values filtered by trial, endpoint, measure and drug, with evidence."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response
from trialgraph.api.rest_models import Page, ResultOut, json_response
from trialgraph.api.routes import rest_assemble as assemble
from trialgraph.api.routes.context import ContextDep
from trialgraph.api.routes.rest_sparql import (
    Selection,
    count,
    linked_names,
    neighbourhood,
    page,
)
from trialgraph.api.routes.trials import KEY_PATTERN, LimitQ, OffsetQ

from trialgraph.model import Measure
from trialgraph.vocab import MEASURES

__all__ = ["RESULT_BRANCHES", "router"]

router = APIRouter(tags=["results"])

#: a page of results: their own triples, endpoint notations, evidence with selectors
RESULT_BRANCHES = (
    "?result ?p ?o . BIND(?result AS ?s)",
    linked_names("?result tg:endpoint", "skos:notation"),
    linked_names("?result tg:subgroup", "rdfs:label"),
    "?result tg:hasEvidence ?s . ?s ?p ?o",
    "?result tg:hasEvidence ?e . ?e oa:hasTarget ?s . ?s ?p ?o",
    "?result tg:hasEvidence ?e . ?e oa:hasTarget ?t . ?t oa:hasSelector ?s . ?s ?p ?o",
)


@router.get("/results", response_model=Page[ResultOut], summary="Reported results, filtered")
def list_results(
    ctx: ContextDep,
    trial: Annotated[str | None, Query(description="trial key, as in /trials/{id}")] = None,
    endpoint: Annotated[
        str | None,
        Query(description="endpoint abbreviation, e.g. PFS", pattern=r"^[A-Za-z0-9-]{1,40}$"),
    ] = None,
    measure: Measure | None = None,
    drug: Annotated[
        str | None,
        Query(description="an arm the result is about gives this drug (name or synonym)"),
    ] = None,
    limit: LimitQ = 20,
    offset: OffsetQ = 0,
) -> Response:
    sel = Selection(var="result", fallback="?result a tg:Result .")
    if endpoint is not None:
        sel.patterns.append("?result tg:endpoint ?endpoint .")
        sel.bindings["endpoint"] = ctx.minter.endpoint(endpoint)
    if trial is not None:
        if not re.match(KEY_PATTERN, trial):
            raise HTTPException(422, detail=f"not a trial key: {trial!r}")
        sel.patterns.append("?result tg:ofTrial ?trial .")
        sel.bindings["trial"] = ctx.keys.iri("trial", trial)
    if measure is not None:
        sel.patterns.append("?result tg:measure ?measure .")
        sel.bindings["measure"] = MEASURES[measure]
    if drug is not None:
        sel.patterns.append(
            "?drugArm tg:hasIntervention ?drug . ?result ?armLink ?drugArm . "
            "VALUES ?armLink { tg:arm tg:experimentalArm tg:controlArm }"
        )
        sel.bindings["drug"] = ctx.drug_iri(drug)
    iris = page(ctx.store, sel, limit=limit, offset=offset, timeout=ctx.timeout)
    items = []
    if iris:
        n = neighbourhood(
            ctx.store, RESULT_BRANCHES, var="result", values=iris, timeout=ctx.timeout
        )
        items = [assemble.result(n, ctx.keys, iri) for iri in iris]
    return json_response(
        Page[ResultOut](
            total=count(ctx.store, sel, timeout=ctx.timeout, cache=ctx.counts),
            limit=limit,
            offset=offset,
            items=items,
        )
    )
