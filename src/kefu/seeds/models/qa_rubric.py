"""seeds/qa_rubric.yml — the 话务质检 scorecard: items, points and deduction rules (total 100)."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from ..base import Fact, SeedFile

FILE = "qa_rubric.yml"

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]


class Deduction(Fact):
    id: Id
    text: str
    points: int = Field(gt=0)
    per: Literal["once", "each"]  # once per call, or for each occurrence
    common_loss: bool = False  # listed by 003 as a common point loss


class Item(Fact):
    id: Id
    title: str
    points: int = Field(gt=0)
    standard: str
    scoring: str
    bonus_max: int = Field(default=0, ge=0)
    critical: bool = False  # losing points here fails the call whatever the total
    deductions: list[Deduction] = Field(min_length=1)

    @model_validator(mode="after")
    def _fits(self) -> "Item":
        big = [d.id for d in self.deductions if d.points > self.points]
        if big:
            raise ValueError(f"扣分细则 {big} 的分值超过了该项满分 {self.points}")
        return self


class PassRule(Fact):
    id: Id
    score: float = Field(ge=0)
    rule: str


class Model(SeedFile):
    total_points: int
    pass_rule: PassRule
    items: list[Item]

    @model_validator(mode="after")
    def _total(self) -> "Model":
        total = sum(i.points for i in self.items)
        if total != self.total_points:
            raise ValueError(f"各评分项满分合计为 {total},与 total_points {self.total_points} 不一致")
        if self.pass_rule.score > self.total_points:
            raise ValueError("合格分不能高于总分")
        return self

    def item(self, item_id: str) -> Item:
        for i in self.items:
            if i.id == item_id:
                return i
        raise KeyError(item_id)
