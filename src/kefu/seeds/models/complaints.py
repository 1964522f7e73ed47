"""seeds/complaints.yml — LEAP, the complaint flow, the ticket taxonomy (types × priorities),
ticket statuses and the complaint timing rules (which point at service_rules.yml)."""
from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from ..base import Fact, SeedFile, Strict

FILE = "complaints.yml"

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
# "<stem>:<id>" of another seed file, e.g. "service_rules:callback-within-10-minutes"
Ref = Annotated[str, StringConstraints(pattern=r"^[a-z_]+:[a-z0-9]+(-[a-z0-9]+)*$")]


def _check_order(steps: list, what: str) -> None:
    orders = [s.order for s in steps]
    if sorted(orders) != list(range(1, len(steps) + 1)):
        raise ValueError(f"{what} 的 order 应为 1..{len(steps)} 且不重复,实际为 {orders}")


class LeapStep(Fact):
    id: Id
    order: int = Field(ge=1)
    letter: str = Field(min_length=1, max_length=1)
    name: str
    english: str
    description: str
    example: str = ""


class Leap(Fact):
    id: Id
    title: str
    steps: list[LeapStep]

    @model_validator(mode="after")
    def _ordered(self) -> "Leap":
        _check_order(self.steps, "LEAP 步骤")
        return self


class FlowStep(Fact):
    id: Id
    order: int = Field(ge=1)
    name: str
    description: str
    actions: list[str] = Field(min_length=1)


class Flow(Fact):
    id: Id
    title: str
    steps: list[FlowStep]

    @model_validator(mode="after")
    def _ordered(self) -> "Flow":
        _check_order(self.steps, "投诉处理流程")
        return self


class TicketType(Fact):
    id: Id
    name: str
    definition: str
    signals: list[str] = Field(min_length=1)
    examples: list[str] = Field(min_length=1)


class Priority(Fact):
    id: Id
    name: str
    rank: int = Field(ge=1)  # 1 = most urgent
    definition: str
    response: str  # how fast and how: the kit's own target
    signals: list[str] = Field(min_length=1)


class Status(Fact):
    id: Id
    name: str
    order: int = Field(ge=1)
    definition: str
    next: list[str] = []  # status ids this one may move to


class ComplaintRule(Fact):
    id: Id
    title: str
    rule: str
    see: Ref | None = None


class Model(SeedFile):
    leap: Leap
    complaint_flow: Flow
    ticket_types: list[TicketType]
    priorities: list[Priority]
    statuses: list[Status]
    complaint_rules: list[ComplaintRule]

    @model_validator(mode="after")
    def _consistent(self) -> "Model":
        for what, items in (("ticket_types", self.ticket_types), ("priorities", self.priorities),
                            ("statuses", self.statuses)):
            names = [i.name for i in items]
            if len(set(names)) != len(names):
                raise ValueError(f"{what} 中有重复的名称:{names}")
        ranks = sorted(p.rank for p in self.priorities)
        if ranks != list(range(1, len(ranks) + 1)):
            raise ValueError(f"priorities 的 rank 应为 1..{len(ranks)} 且不重复,实际为 {ranks}")
        _check_order(self.statuses, "工单状态")
        ids = {s.id for s in self.statuses}
        for s in self.statuses:
            bad = [n for n in s.next if n not in ids]
            if bad:
                raise ValueError(f"工单状态 {s.id} 的 next 中有未知状态:{bad}")
        return self

    def type_names(self) -> list[str]:
        return [t.name for t in self.ticket_types]

    def priority_names(self) -> list[str]:
        """From the most urgent down."""
        return [p.name for p in sorted(self.priorities, key=lambda p: p.rank)]
