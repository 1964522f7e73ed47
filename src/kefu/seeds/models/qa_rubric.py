"""seeds/qa_rubric.yml — the 话务质检 scorecard: items, points and deduction rules (total 100), and
practice call transcripts (``samples``) with the reference marking the QA drill compares against."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from ..base import Fact, SeedFile, Strict, by_id

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


class Line(Strict):
    speaker: Literal["客服", "客户"]
    text: str = Field(min_length=1)


class Finding(Strict):
    """One point loss the quality checker found in a sample call."""

    item: Id  # scorecard item id
    deduction: Id  # deduction rule id of that item
    line: int = Field(ge=1)  # the line of the transcript (1 = first) where it happens
    times: int = Field(default=1, ge=1)  # how often, for ``per: each`` rules
    note: str = Field(min_length=1)  # why it is deducted (Chinese, shown after checking)


class Sample(Fact):
    """A practice call transcript with its reference marking."""

    id: Id
    title: str
    lines: list[Line] = Field(min_length=4)
    findings: list[Finding] = Field(default_factory=list)


class Model(SeedFile):
    total_points: int
    pass_rule: PassRule
    items: list[Item]
    samples: list[Sample] = Field(default_factory=list)

    @model_validator(mode="after")
    def _total(self) -> "Model":
        total = sum(i.points for i in self.items)
        if total != self.total_points:
            raise ValueError(f"各评分项满分合计为 {total},与 total_points {self.total_points} 不一致")
        if self.pass_rule.score > self.total_points:
            raise ValueError("合格分不能高于总分")
        items = {i.id: i for i in self.items}
        for s in self.samples:
            seen: set[str] = set()
            for n, f in enumerate(s.findings, 1):
                where = f"练习录音 {s.id} 的第 {n} 条扣分(findings)"
                if f.item not in items:
                    raise ValueError(f"{where}:评分项 {f.item} 不在评分表里(可选:{'、'.join(items)})")
                rules = {d.id: d for d in items[f.item].deductions}
                if f.deduction not in rules:
                    raise ValueError(f"{where}:扣分细则 {f.deduction} 不属于评分项 {f.item}"
                                     f"(可选:{'、'.join(rules)})")
                if rules[f.deduction].per == "once" and (f.times != 1 or f.deduction in seen):
                    raise ValueError(f"{where}:扣分细则 {f.deduction} 每通电话只扣一次")
                if f.line > len(s.lines):
                    raise ValueError(f"{where}:line {f.line} 超出了通话记录的行数 {len(s.lines)}")
                seen.add(f.deduction)
        return self

    def sample(self, sample_id: str) -> Sample:
        return by_id(self.samples, sample_id)

    def item(self, item_id: str) -> Item:
        return by_id(self.items, item_id)
