"""seeds/ticket_labelling_guide.yml — the rules seeds/tickets.csv was labelled by."""
from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from ..base import Fact, SeedFile

FILE = "ticket_labelling_guide.yml"

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]


class Procedure(Fact):
    id: Id
    steps: list[str] = Field(min_length=1)


class TypeRule(Fact):
    id: Id
    type: str  # a ticket type name of complaints.yml
    rule: str
    example: str = ""


class PriorityRule(Fact):
    id: Id
    priority: str  # a priority name of complaints.yml
    rule: str


class TieBreaker(Fact):
    id: Id
    rule: str


class Model(SeedFile):
    procedure: Procedure
    type_rules: list[TypeRule] = Field(min_length=1)
    priority_rules: list[PriorityRule] = Field(min_length=1)
    tie_breakers: list[TieBreaker] = []

    @model_validator(mode="after")
    def _unique(self) -> "Model":
        ids = [self.procedure.id, *(r.id for r in self.type_rules), *(r.id for r in self.priority_rules),
               *(r.id for r in self.tie_breakers)]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"规则编号重复:{', '.join(dup)}")
        return self

    def type_of(self, rule_id: str) -> str:
        return next(r.type for r in self.type_rules if r.id == rule_id)

    def priority_of(self, rule_id: str) -> str:
        return next(r.priority for r in self.priority_rules if r.id == rule_id)
