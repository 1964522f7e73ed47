"""seeds/practical_scenarios.yml — simulated-call scenarios for the practical exam.

Each scenario: the customer the trainer plays (profile, goal, what the trainer says and reveals),
what a good call contains, and the ticket the trainee should record (type, priority, key facts
of the summary and of the promised follow-up, as groups of acceptable words).
``ticket_record`` says how the autograded ticket is scored and which rubric dimension of
practical_rubric.yml its points come out of.
"""
from __future__ import annotations

from pydantic import Field, model_validator

from ..base import Fact, SeedFile, Strict

FILE = "practical_scenarios.yml"
# An assessment bank, not material a chapter teaches: left out of the curriculum coverage check.
TEACHABLE = False


class ExpectedTicket(Strict):
    type: str
    priority: str
    summary_keywords: list[list[str]] = Field(min_length=2)  # each group: any one word counts
    follow_up_keywords: list[list[str]] = Field(min_length=1)


class Scenario(Fact):
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str
    customer: str  # profile the trainer plays
    goal: str  # what the customer wants from the call
    trainer_script: list[str] = Field(min_length=2)  # what the trainer says / reveals, in order
    good_call: list[str] = Field(min_length=3)  # what a good call contains
    ticket: ExpectedTicket


class TicketRecord(Fact):
    fields: list[str] = Field(min_length=4, max_length=4)  # type, priority, summary, follow-up
    types: list[str] = Field(min_length=2)
    priorities: list[str] = Field(min_length=2)
    points_per_field: float = Field(gt=0)
    dimension: str  # rubric dimension (name or id in practical_rubric.yml) the points belong to


class Model(SeedFile):
    ticket_record: TicketRecord
    scenarios: list[Scenario] = Field(min_length=8)

    @model_validator(mode="after")
    def _check(self) -> "Model":
        ids = [s.id for s in self.scenarios]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"场景 id 重复:{', '.join(dup)}")
        for s in self.scenarios:
            if s.ticket.type not in self.ticket_record.types:
                raise ValueError(f"场景 {s.id} 的工单类型 {s.ticket.type} 不在 ticket_record.types 中")
            if s.ticket.priority not in self.ticket_record.priorities:
                raise ValueError(f"场景 {s.id} 的优先级 {s.ticket.priority} 不在 ticket_record.priorities 中")
        return self
