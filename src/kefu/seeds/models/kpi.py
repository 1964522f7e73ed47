"""seeds/kpi.yml — performance dimensions and weights, grade cut-offs, how each dimension is
scored 0–100 from call-log metrics, the call-log metric definitions, and staffing defaults."""
from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from ..base import Fact, SeedFile, by_id
from ..checks import Score, weights_sum_to_100

FILE = "kpi.yml"

# Metric keys computed by kefu.kpi (the JSON names of `kefu kpi --json`).
MetricKey = Literal[
    "calls", "aht", "fcr", "csat", "qa", "conversion", "accuracy",
    "asa", "abandonment_rate", "service_level", "score", "grade",
]
ScoredMetric = Literal["qa", "csat", "aht", "fcr", "conversion", "accuracy"]


class Scoring(Fact):
    """Linear map of a raw metric to 0–100: ``zero_at`` scores 0, ``full_at`` scores 100,
    values in between are interpolated, values beyond either end are clamped.
    ``full_at`` may be below ``zero_at`` (lower is better, e.g. handling time)."""

    id: str
    metric: ScoredMetric
    zero_at: float
    full_at: float
    based_on: str = ""  # a related seed entry "<stem>:<id>", checked by tests
    description: str

    @model_validator(mode="after")
    def _distinct_ends(self) -> "Scoring":
        if self.zero_at == self.full_at:
            raise ValueError("zero_at 与 full_at 不能相同")
        return self


class Dimension(Fact):
    id: str
    name: str
    weight: float = Field(gt=0)
    measure: str  # what the manual says the dimension is judged by
    cycle: str  # how often it is collected
    scoring: Scoring


class Grade(Fact):
    id: str
    label: str  # A, B+, B, C, D
    name: str  # 优秀, 良好, ...
    min_score: Score


class Metric(Fact):
    id: str
    key: MetricKey
    label: str
    unit: Literal["count", "seconds", "ratio", "score", "grade"]
    scope: Literal["agent_and_overall", "overall"]
    definition: str


class Threshold(Fact):
    id: str
    seconds: float = Field(ge=0)
    description: str


class MissingRule(Fact):
    id: str
    rule: Literal["reweight"]
    description: str


class Review(Fact):
    id: str
    cycle: str
    description: str


class StaffingDefaults(Fact):
    id: str
    service_level: float = Field(gt=0, lt=1)
    shrinkage: float = Field(ge=0, lt=1)
    description: str


class Model(SeedFile):
    dimensions: list[Dimension]
    grades: list[Grade]
    missing_dimension: MissingRule
    review: Review
    service_level_threshold: Threshold
    staffing: StaffingDefaults
    metrics: list[Metric]

    @field_validator("dimensions")
    @classmethod
    def _weights(cls, dims: list[Dimension]) -> list[Dimension]:
        return weights_sum_to_100(dims, "各考核维度")

    @model_validator(mode="after")
    def _consistent(self) -> "Model":
        cuts = [g.min_score for g in self.grades]
        if cuts != sorted(cuts, reverse=True) or len(set(cuts)) != len(cuts):
            raise ValueError("grades 应按 min_score 从高到低排列且互不相同")
        if not self.grades or self.grades[-1].min_score != 0:
            raise ValueError("最低一档等级的 min_score 应为 0,保证每个得分都有等级")
        keys = [m.key for m in self.metrics]
        if len(set(keys)) != len(keys):
            raise ValueError("metrics 中的 key 有重复")
        return self

    def dimension(self, ident: str) -> Dimension:
        return by_id(self.dimensions, ident)

    def grade_for(self, score: float) -> Grade:
        for g in self.grades:
            if score >= g.min_score:
                return g
        return self.grades[-1]

    def metric(self, key: str) -> Metric:
        for m in self.metrics:
            if m.key == key:
                return m
        raise KeyError(key)
