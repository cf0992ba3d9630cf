"""``/drugs``, ``/drugs/{id}`` (with the trials using the drug) and ``/endpoints``."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import Response
from rdflib import OWL, RDF, RDFS, URIRef
from trialgraph.api.rest_models import (
    DrugDetail,
    DrugSummary,
    EndpointOut,
    Page,
    TrialSummary,
    json_response,
)
from trialgraph.api.routes import rest_assemble as assemble
from trialgraph.api.routes.context import ContextDep
from trialgraph.api.routes.rest_sparql import Selection, count, neighbourhood, page, properties
from trialgraph.api.routes.trials import KEY_PATTERN, LimitQ, OffsetQ, class_iri, summaries

from trialgraph.vocab import SKOS, TG

__all__ = ["router"]

router = APIRouter(tags=["catalogue"])

_DRUG_LABELS = properties("drug", "rdfs:label")
_ENDPOINT_NAMES = properties("endpoint", "skos:notation", "rdfs:label")
_NOT_CLASSES = {TG.Drug, OWL.NamedIndividual, OWL.Thing}


@router.get("/drugs", response_model=Page[DrugSummary], summary="Drugs")
def list_drugs(
    ctx: ContextDep,
    drug_class: Annotated[str | None, Query(description="only drugs of this class")] = None,
    limit: LimitQ = 50,
    offset: OffsetQ = 0,
) -> Response:
    sel = Selection(var="drug", fallback="?drug a tg:Drug .")
    if drug_class is not None:
        sel.patterns.append("?drug rdf:type ?drugClass .")
        sel.bindings["drugClass"] = class_iri(drug_class)
    iris = page(ctx.store, sel, limit=limit, offset=offset, timeout=ctx.timeout)
    n = neighbourhood(ctx.store, _DRUG_LABELS, var="drug", values=iris, timeout=ctx.timeout)
    items = [DrugSummary(**assemble.drug_ref(n, ctx.keys, iri).model_dump()) for iri in iris]
    return json_response(
        Page[DrugSummary](
            total=count(ctx.store, sel, timeout=ctx.timeout, cache=ctx.counts),
            limit=limit,
            offset=offset,
            items=items,
        )
    )


@router.get("/drugs/{drug_id}", response_model=DrugDetail, summary="One drug and its trials")
def get_drug(
    ctx: ContextDep,
    drug_id: Annotated[str, Path(description="drug key, e.g. pertuzumab")],
    limit: LimitQ = 20,
    offset: OffsetQ = 0,
) -> Response:
    if not re.match(KEY_PATTERN, drug_id):
        raise HTTPException(404, detail=f"no drug {drug_id!r}")
    iri = ctx.keys.iri("drug", drug_id)
    n = neighbourhood(
        ctx.store,
        ["?drug ?p ?o . BIND(?drug AS ?s)"],
        var="drug",
        bindings={"drug": iri},
        timeout=ctx.timeout,
    )
    if not n.has(iri):
        raise HTTPException(404, detail=f"no drug {drug_id!r}; see /drugs")
    sel = Selection(
        var="trial",
        fallback="?trial a tg:Trial .",
        patterns=["?arm tg:hasIntervention ?drug . ?trial tg:hasArm ?arm ."],
        bindings={"drug": iri},
    )
    trials = page(ctx.store, sel, limit=limit, offset=offset, timeout=ctx.timeout)
    ref = assemble.drug_ref(n, ctx.keys, iri)
    return json_response(
        DrugDetail(
            **ref.model_dump(),
            synonyms=[str(s) for s in n.objects(iri, SKOS.altLabel)],
            classes=[
                str(c)
                for c in n.objects(iri, RDF.type)
                if isinstance(c, URIRef) and c not in _NOT_CLASSES
            ],
            exact_match=[str(m) for m in n.objects(iri, SKOS.exactMatch)],
            trials=Page[TrialSummary](
                total=count(ctx.store, sel, timeout=ctx.timeout, cache=ctx.counts),
                limit=limit,
                offset=offset,
                items=summaries(ctx, trials),
            ),
        )
    )


@router.get("/endpoints", response_model=Page[EndpointOut], summary="Endpoints")
def list_endpoints(ctx: ContextDep, limit: LimitQ = 50, offset: OffsetQ = 0) -> Response:
    sel = Selection(var="endpoint", fallback="?endpoint a tg:Endpoint .")
    iris = page(ctx.store, sel, limit=limit, offset=offset, timeout=ctx.timeout)
    n = neighbourhood(ctx.store, _ENDPOINT_NAMES, var="endpoint", values=iris, timeout=ctx.timeout)
    items = [
        EndpointOut(
            id=ctx.keys.key(iri, "endpoint"),
            iri=str(iri),
            notation=n.text(iri, SKOS.notation),
            label=n.text(iri, RDFS.label),
        )
        for iri in iris
    ]
    return json_response(
        Page[EndpointOut](
            total=count(ctx.store, sel, timeout=ctx.timeout, cache=ctx.counts),
            limit=limit,
            offset=offset,
            items=items,
        )
    )
