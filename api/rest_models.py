"""Response models of the REST resources (``/trials``, ``/drugs``, ``/results`` ...).

Pydantic models rather than dicts so that ``/docs`` (OpenAPI) documents every field and
its type, and a route cannot return a shape the documentation does not promise. Values
are the contract's strings (``"positive"``, ``"hazard_ratio"``, ``"months"``): a REST
client never needs to know our ontology IRIs, but every object also carries its ``iri``
so it can follow the linked data.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ArmOut",
    "ArticleDetail",
    "ArticleSummary",
    "DrugDetail",
    "DrugRef",
    "DrugSummary",
    "EndpointOut",
    "EvidenceOut",
    "Page",
    "PopulationOut",
    "ResultOut",
    "StatsOut",
    "TrialDetail",
    "TrialSummary",
    "json_response",
]

T = TypeVar("T")


def json_response(model: BaseModel) -> Response:
    """The model as a finished JSON response (routes still declare ``response_model``).

    A route that returns the model itself makes FastAPI validate it a second time against
    ``response_model`` (in the thread pool, for a ``def`` route) before serialising it; the
    models here are validated when built (``extra="forbid"``), so the routes return this
    instead and ``response_model`` only documents the shape in OpenAPI.
    """
    return Response(model.model_dump_json(), media_type="application/json")


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Page(_Out, Generic[T]):
    """One page of a list; ``total`` counts every match, not just this page."""

    total: int = Field(description="number of matching items over all pages")
    limit: int
    offset: int
    items: list[T]


class DrugRef(_Out):
    id: str | None = Field(description="key under /drugs/{id}")
    iri: str
    label: str | None = None


class TrialSummary(_Out):
    id: str | None = Field(description="key under /trials/{id}")
    iri: str
    name: str | None = None
    nct_id: str | None = None
    phase: str | None = None


class ArmOut(_Out):
    iri: str
    label: str | None = None
    role: str | None = Field(default=None, description="experimental, control or single")
    size: int | None = None
    drugs: list[DrugRef] = Field(default_factory=list)
    adds: list[DrugRef] = Field(
        default_factory=list, description="drugs this arm adds to the arm it is compared with"
    )
    compared_with: list[str] = Field(default_factory=list, description="control arm IRIs")


class PopulationOut(_Out):
    iri: str
    condition: str | None = None
    her2: str | None = None
    hormone_receptor: str | None = None
    setting: str | None = None
    line: str | None = None
    menopausal_status: str | None = None


class EvidenceOut(_Out):
    iri: str
    quote: str | None = None
    start: int | None = Field(default=None, description="character offset in the article text")
    end: int | None = None
    article: str | None = Field(default=None, description="article IRI")
    article_title: str | None = None
    method: str | None = None
    confidence: float | None = None


class ResultOut(_Out):
    id: str | None = None
    iri: str
    trial: str | None = Field(default=None, description="trial IRI")
    endpoint: str | None = Field(default=None, description="endpoint abbreviation, e.g. PFS")
    endpoint_iri: str | None = None
    measure: str | None = None
    value: float | None = None
    not_reached: bool | None = None
    unit: str | None = None
    ci_lower: float | None = None
    ci_upper: float | None = None
    p_value: float | None = None
    p_operator: str | None = None
    arm: str | None = Field(default=None, description="arm IRI of a per-arm value")
    experimental_arm: str | None = None
    control_arm: str | None = None
    subgroup: str | None = None
    article: str | None = Field(default=None, description="IRI of the reporting article")
    evidence: list[EvidenceOut] = Field(default_factory=list)


class TrialDetail(TrialSummary):
    randomised: bool | None = None
    enrollment: int | None = None
    arms: list[ArmOut] = Field(default_factory=list)
    populations: list[PopulationOut] = Field(default_factory=list)
    results: list[ResultOut] = Field(default_factory=list)
    articles: list[str] = Field(default_factory=list, description="IRIs of reporting articles")


class DrugSummary(DrugRef):
    pass


class DrugDetail(DrugSummary):
    synonyms: list[str] = Field(default_factory=list)
    classes: list[str] = Field(default_factory=list, description="class IRIs (closure)")
    exact_match: list[str] = Field(default_factory=list)
    trials: Page[TrialSummary]


class EndpointOut(_Out):
    id: str | None = None
    iri: str
    notation: str | None = None
    label: str | None = None


class ArticleSummary(_Out):
    id: str | None = None
    iri: str
    title: str | None = None
    content_hash: str | None = None
    character_count: int | None = None


class ArticleDetail(ArticleSummary):
    trials: list[TrialSummary] = Field(default_factory=list)
    result_count: int = 0


class StatsOut(_Out):
    quads: int
    graphs: int
    articles: int
    trials: int
    arms: int
    results: int
    evidence: int
    drugs: int
