"""The evidence model: pydantic classes that *are* the evidence JSON contract.

``Evidence.model_dump(mode="json", exclude_none=...)`` is what ``trialgraph extract
--format json`` prints (``../shared/contract/EVIDENCE_JSON.md``), and ``trialgraph.rdf``
maps the same objects to triples, so JSON and RDF cannot drift apart.

Beyond the contract's fields (which the JSON Schema allows) each trial, arm and result can
carry a :class:`Provenance`: the exact quote, its character offsets in the article text,
the extraction method and a confidence. Offsets are Python ``str`` indices into the
decoded article text (``text[start:end] == quote``).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "ENDPOINTS",
    "Arm",
    "Evidence",
    "Measure",
    "Population",
    "Provenance",
    "Result",
    "Trial",
]

Phase = Literal["1", "1/2", "2", "2/3", "3", "4"]
Her2 = Literal["positive", "negative", "low", "mutant"]
HormoneReceptor = Literal["positive", "negative"]
Setting = Literal["metastatic", "advanced", "early", "neoadjuvant", "adjuvant"]
Line = Literal["first", "second", "later"]
Menopausal = Literal["postmenopausal", "premenopausal"]
Role = Literal["experimental", "control", "single"]
Measure = Literal["median", "rate", "hazard_ratio", "odds_ratio", "count"]
Unit = Literal["months", "weeks", "years", "percent", "patients"]
POperator = Literal["=", "<", ">"]

#: The endpoints the contract names; others are allowed as upper-case abbreviations.
ENDPOINTS = (
    "PFS",
    "OS",
    "ORR",
    "pCR",
    "DFS",
    "iDFS",
    "EFS",
    "TTP",
    "CBR",
    "DOR",
    "CR",
    "PR",
    "DCR",
)

COMPARISON_MEASURES = ("hazard_ratio", "odds_ratio")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Provenance(_Model):
    """Where a value came from: the quote, its offsets, how it was extracted."""

    quote: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    method: str
    confidence: float = Field(ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _ordered(self) -> Provenance:
        if self.end < self.start:
            raise ValueError("provenance end offset before start")
        return self


class Population(_Model):
    """Structured population facets; ``None`` means the article does not say."""

    condition: str | None = None
    her2: Her2 | None = None
    hormone_receptor: HormoneReceptor | None = None
    setting: Setting | None = None
    line: Line | None = None
    menopausal_status: Menopausal | None = None


class Arm(_Model):
    """One arm: the agents given (lower-case INN or a class name) and its role."""

    label: str | None = None
    drugs: list[str] = Field(default_factory=list)
    role: Role | None = None
    n: int | None = Field(default=None, ge=0)
    provenance: Provenance | None = None


class Result(_Model):
    """A value one article reports for (endpoint, measure, arm or arm pair, subgroup).

    A per-arm value sets ``arm``; a comparison (hazard or odds ratio) sets
    ``arms = [experimental, control]``.
    """

    endpoint: str = Field(pattern=r"^[A-Za-z0-9-]+$")
    measure: Measure
    arm: int | None = Field(default=None, ge=0)
    arms: list[int] | None = Field(default=None, min_length=2, max_length=2)
    value: float | None
    not_reached: bool | None = None
    unit: Unit | None = None
    ci: list[float] | None = Field(default=None, min_length=2, max_length=2)
    p_value: float | None = Field(default=None, ge=0.0, le=1.0)
    p_operator: POperator | None = None
    subgroup: str | None = None
    provenance: Provenance | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Result:
        if self.value is None and not self.not_reached:
            raise ValueError("a result needs a value or not_reached")
        if self.measure in COMPARISON_MEASURES and self.arm is not None:
            raise ValueError("a ratio compares two arms: use 'arms', not 'arm'")
        if self.arms is not None and self.arms[0] == self.arms[1]:
            raise ValueError("a comparison needs two distinct arms")
        return self


class Trial(_Model):
    """A trial as one article describes it."""

    name: str | None = None
    nct_id: str | None = Field(default=None, pattern=r"^NCT[0-9]{8}$")
    phase: Phase | None = None
    randomized: bool | None = None
    enrollment: int | None = Field(default=None, ge=0)
    population: Population = Field(default_factory=Population)
    arms: list[Arm] = Field(default_factory=list)
    results: list[Result] = Field(default_factory=list)
    provenance: Provenance | None = None

    @model_validator(mode="after")
    def _arm_indexes(self) -> Trial:
        for r in self.results:
            for i in [r.arm] if r.arm is not None else (r.arms or []):
                if i >= len(self.arms):
                    raise ValueError(f"result refers to arm {i}, trial has {len(self.arms)}")
        return self


class Evidence(_Model):
    """Everything extracted from one article: the contract's top-level object."""

    article: str
    trials: list[Trial] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    def to_contract_json(self, *, provenance: bool = True) -> dict[str, object]:
        """The contract JSON; ``provenance=False`` drops the non-contract provenance keys."""
        exclude: Any = None
        if not provenance:
            exclude = {
                "trials": {
                    "__all__": {
                        "provenance": True,
                        "arms": {"__all__": {"provenance"}},
                        "results": {"__all__": {"provenance"}},
                    }
                }
            }
        data = self.model_dump(mode="json", exclude=exclude)
        for trial in data["trials"]:
            for result in trial["results"]:
                for key in (
                    "arm",
                    "arms",
                    "not_reached",
                    "ci",
                    "p_value",
                    "p_operator",
                    "subgroup",
                    "provenance",
                ):
                    if result.get(key) is None:
                        result.pop(key, None)
        return data
