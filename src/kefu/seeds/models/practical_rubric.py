"""seeds/practical_rubric.yml — the practical exam (simulated calls): five weighted dimensions,
pass mark, what graders look for and the common point losses."""
from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from ..base import Fact, SeedFile, Strict

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
    score: float = Field(ge=0, le=100)
    rule: str


class Model(SeedFile):
    scale: str
    pass_rule: PassRule
    dimensions: list[Dimension]

    @model_validator(mode="after")
    def _weights(self) -> "Model":
        total = sum(d.weight for d in self.dimensions)
        if abs(total - 100) > 1e-9:
            raise ValueError(f"各维度权重合计为 {total:g},应为 100")
        return self
