"""``/trials`` (filtered, paginated) and ``/trials/{id}`` (arms, population, results, evidence).

A filter becomes a few triple patterns joined on ``?trial``, most selective first; the add-on
filter reads the ``tg:addsDrug`` facts materialised at ingest and the class filter the
materialised class closure, so neither computes anything per request.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import Response
from rdflib import Literal, URIRef
from trialgraph.api.rest_models import Page, TrialDetail, TrialSummary, json_response
from trialgraph.api.routes import rest_assemble as assemble
from trialgraph.api.routes.context import Context, ContextDep
from trialgraph.api.routes.rest_sparql import (
    Selection,
    count,
    linked_names,
    neighbourhood,
    page,
    properties,
    values_block,
)

from trialgraph.model import Her2, HormoneReceptor, Line, Phase, Setting
from trialgraph.vocab import FACETS, TG_NS

__all__ = ["KEY_PATTERN", "MAX_SEARCH_MATCHES", "router", "summaries", "trial_selection"]

router = APIRouter(tags=["trials"])

#: resource keys as the Minter writes them (slugs, NCT ids, hashes)
KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._~-]{0,199}$"
#: a text search matching more trials than this must be narrowed by other filters
MAX_SEARCH_MATCHES = 10_000
_CLASS_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,99}$")

#: the neighbourhood of one trial: itself, arms, populations, results, their evidence
#: (annotation, target, selectors) and the names of what they point to
TRIAL_BRANCHES = (
    "?trial ?p ?o . BIND(?trial AS ?s)",
    "?trial tg:hasArm ?s . ?s ?p ?o",
    "?trial tg:hasPopulation ?s . ?s ?p ?o",
    "?s tg:ofTrial ?trial . ?s ?p ?o",
    "?r tg:ofTrial ?trial . ?r tg:hasEvidence ?s . ?s ?p ?o",
    "?r tg:ofTrial ?trial . ?r tg:hasEvidence ?e . ?e oa:hasTarget ?s . ?s ?p ?o",
    "?r tg:ofTrial ?trial . ?r tg:hasEvidence ?e . ?e oa:hasTarget ?t . "
    "?t oa:hasSelector ?s . ?s ?p ?o",
    linked_names("?trial tg:hasArm ?a . ?a tg:hasIntervention", "rdfs:label"),
    linked_names("?r tg:ofTrial ?trial . ?r tg:endpoint", "skos:notation"),
    linked_names("?r tg:ofTrial ?trial . ?r tg:subgroup", "rdfs:label"),
    linked_names("?r tg:ofTrial ?trial . ?r prov:wasDerivedFrom", "dcterms:title"),
    "?s tg:mentionsTrial ?trial . BIND(tg:mentionsTrial AS ?p) BIND(?trial AS ?o)",
)
SUMMARY_BRANCHES = properties("trial", "tg:trialName", "tg:nctId", "tg:phase")


def trial_selection(
    ctx: Context,
    *,
    drug: str | None = None,
    adds: str | None = None,
    drug_class: str | None = None,
    facets: dict[str, str] | None = None,
    endpoint: str | None = None,
    phase: str | None = None,
    q: str | None = None,
) -> Selection:
    """The patterns selecting trials for the given filters (all must hold)."""
    sel = Selection(var="trial", fallback="?trial a tg:Trial .")
    if q is not None:
        matches = ctx.index.search(ctx.store, q, timeout=ctx.timeout)
        if len(matches) > MAX_SEARCH_MATCHES:
            raise HTTPException(
                422,
                detail=f"text search {q!r} matches {len(matches)} trials (more than "
                f"{MAX_SEARCH_MATCHES}); add words or other filters",
            )
        # store IRIs from the index, never request text
        sel.patterns.append(values_block("trial", matches))
        sel.empty = not matches
    if adds is not None:
        sel.patterns.append("?addArm tg:addsDrug ?adds . ?trial tg:hasArm ?addArm .")
        sel.bindings["adds"] = ctx.drug_iri(adds, param="adds")
    if drug is not None:
        sel.patterns.append("?drugArm tg:hasIntervention ?drug . ?trial tg:hasArm ?drugArm .")
        sel.bindings["drug"] = ctx.drug_iri(drug)
    if drug_class is not None:
        sel.patterns.append(
            "?classDrug rdf:type ?drugClass . "
            "?classArm tg:hasIntervention ?classDrug . "
            "?trial tg:hasArm ?classArm ."
        )
        sel.bindings["drugClass"] = class_iri(drug_class)
    if facets:  # all facets of ONE population (a trial may have one per reporting article)
        sel.patterns.append("?trial tg:hasPopulation ?population .")
    for name, value in (facets or {}).items():
        prop, table = FACETS[name]
        sel.patterns.append(f"?population {prop.n3()} ?{name} .")
        sel.bindings[name] = table[value]
    if endpoint is not None:
        sel.patterns.append(
            "?endpointResult tg:endpoint ?endpoint . ?endpointResult tg:ofTrial ?trial ."
        )
        sel.bindings["endpoint"] = ctx.minter.endpoint(endpoint)
    if phase is not None:
        sel.patterns.append("?trial tg:phase ?phase .")
        sel.bindings["phase"] = Literal(phase)
    return sel


def class_iri(name: str) -> URIRef:
    """A drug class by its ontology name ('HER2TargetedTherapy') or full IRI."""
    if name.startswith(TG_NS):
        name = name[len(TG_NS) :]
    if not _CLASS_NAME.match(name):
        raise HTTPException(
            422,
            detail=f"not a drug class name: {name!r}; use an ontology class name such as "
            "HER2TargetedTherapy or Taxane",
        )
    return URIRef(TG_NS + name)


def summaries(ctx: Context, iris: list[URIRef]) -> list[TrialSummary]:
    """Names, NCT ids and phases of a page of trials, in page order."""
    if not iris:
        return []
    n = neighbourhood(ctx.store, SUMMARY_BRANCHES, var="trial", values=iris, timeout=ctx.timeout)
    return [assemble.trial_summary(n, ctx.keys, iri) for iri in iris]


LimitQ = Annotated[int, Query(ge=1, le=200, description="page size")]
OffsetQ = Annotated[int, Query(ge=0, le=1_000_000, description="items to skip")]


@router.get("/trials", response_model=Page[TrialSummary], summary="Trials, filtered")
def list_trials(
    ctx: ContextDep,
    drug: Annotated[
        str | None, Query(description="an arm gives this drug (name or synonym)")
    ] = None,
    adds: Annotated[str | None, Query(description="the experimental arm adds this drug")] = None,
    drug_class: Annotated[
        str | None, Query(description="an arm gives a drug of this class")
    ] = None,
    her2: Her2 | None = None,
    hormone_receptor: HormoneReceptor | None = None,
    setting: Setting | None = None,
    line: Line | None = None,
    endpoint: Annotated[
        str | None,
        Query(description="reports this endpoint, e.g. PFS", pattern=r"^[A-Za-z0-9-]{1,40}$"),
    ] = None,
    phase: Phase | None = None,
    q: Annotated[
        str | None,
        Query(min_length=1, max_length=200, description="words of the name, NCT id or condition"),
    ] = None,
    limit: LimitQ = 20,
    offset: OffsetQ = 0,
) -> Response:
    facets: dict[str, str] = {
        k: v
        for k, v in {
            "her2": her2,
            "hormone_receptor": hormone_receptor,
            "setting": setting,
            "line": line,
        }.items()
        if v is not None
    }
    sel = trial_selection(
        ctx,
        drug=drug,
        adds=adds,
        drug_class=drug_class,
        facets=facets,
        endpoint=endpoint,
        phase=phase,
        q=q,
    )
    iris = page(ctx.store, sel, limit=limit, offset=offset, timeout=ctx.timeout)
    return json_response(
        Page[TrialSummary](
            total=count(ctx.store, sel, timeout=ctx.timeout, cache=ctx.counts),
            limit=limit,
            offset=offset,
            items=summaries(ctx, iris),
        )
    )


@router.get("/trials/{trial_id}", response_model=TrialDetail, summary="One trial in full")
def get_trial(
    ctx: ContextDep,
    trial_id: Annotated[str, Path(description="trial key: NCT id lower-cased or name slug")],
) -> Response:
    if not re.match(KEY_PATTERN, trial_id):
        raise HTTPException(404, detail=f"no trial {trial_id!r}")
    iri = ctx.keys.iri("trial", trial_id)
    n = neighbourhood(
        ctx.store, TRIAL_BRANCHES, var="trial", bindings={"trial": iri}, timeout=ctx.timeout
    )
    if not n.has(iri):
        raise HTTPException(404, detail=f"no trial {trial_id!r}")
    return json_response(assemble.trial_detail(n, ctx.keys, iri))
