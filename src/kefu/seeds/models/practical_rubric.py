"""seeds/practical_rubric.yml — the practical exam (simulated calls): five weighted dimensions,
pass mark, what graders look for and the common point losses."""
from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, field_validator

from ..base import Fact, SeedFile, Strict
from ..checks import Score, weights_sum_to_100

FILE = "practical_rubric.yml"

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]


class Loss(Strict):
    text: str
    assumed: bool = False


class Dimension(Fact):
    id: Id
    name: str
    weight: float = Field(gt=0, le=100)
    measures: str
    look_for: list[str] = Field(min_length=1)
    common_losses: list[str | Loss] = []


class PassRule(Fact):
    id: Id
    score: Score
    rule: str


class Model(SeedFile):
    scale: str
    pass_rule: PassRule
    dimensions: list[Dimension]

    @field_validator("dimensions")
    @classmethod
    def _weights(cls, dims: list[Dimension]) -> list[Dimension]:
        return weights_sum_to_100(dims, "各维度")
