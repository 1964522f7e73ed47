"""seeds/scripts.yml — standard phone and chat lines, time-of-day and holiday openings, and the
step-by-step procedures for silent calls and lines that are hard to hear."""
from __future__ import annotations

import datetime as _dt
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from ..base import Fact, SeedFile, Strict, by_id

FILE = "scripts.yml"

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Ref = Annotated[str, StringConstraints(pattern=r"^[a-z_]+:[a-z0-9]+(-[a-z0-9]+)*$")]


class TimeOfDay(Fact):
    id: Id
    rule: str
    morning_until: _dt.time
    morning_greeting: str
    default_greeting: str


class ReplyGreetings(Fact):
    id: Id
    rule: str
    evening_from: _dt.time
    afternoon_greeting: str
    evening_greeting: str


class Opening(Fact):
    id: Id
    kind: Literal["morning", "standard", "self-introduction", "outbound"]
    text: str


class RuleText(Fact):
    id: Id
    rule: str
    examples: list[str] = []


class Window(Fact):
    """Days on which the holiday opening is used: from ``first`` to ``last`` days after the
    holiday's own date (negative = before). The manuals leave this to each holiday notice."""

    first: int = Field(ge=-30, le=30)
    last: int = Field(ge=-30, le=30)
    note: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> "Window":
        if self.last < self.first:
            raise ValueError(f"window 的 last({self.last})不能早于 first({self.first})")
        return self


class Holiday(Fact):
    id: Id
    name: str
    calendar: Literal["gregorian", "lunar"]
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)
    greeting: str
    text: str
    rank: int = Field(ge=1)  # when two holidays overlap, the smaller rank wins
    window: Window


class Replies(Fact):
    id: Id
    rule: str
    replies: list[str] = Field(min_length=1)
    forbidden: list[str] = []


class Line(Fact):
    id: Id
    text: str
    category: str = ""
    situation: str = ""


class Step(Strict):
    order: int = Field(ge=1)
    action: Literal["say", "do", "hang-up"]
    text: str
    wait_seconds: float = Field(default=0, ge=0)
    condition: str = ""
    repeat: bool = False


class Procedure(Fact):
    id: Id
    title: str
    situation: str
    steps: list[Step] = Field(min_length=1)
    forbidden: list[str] = []

    @model_validator(mode="after")
    def _ordered(self) -> "Procedure":
        orders = [s.order for s in self.steps]
        if orders != list(range(1, len(orders) + 1)):
            raise ValueError(f"步骤的 order 应依次为 1..{len(orders)},实际为 {orders}")
        return self


class ChatLine(Fact):
    id: Id
    situation: str
    text: str
    follows: list[Ref] = []  # etiquette rules of other seed files this line puts into practice


class Model(SeedFile):
    centre: str
    time_of_day: TimeOfDay
    reply_greetings: ReplyGreetings
    openings: list[Opening]
    opening_forbidden: RuleText
    holiday_rule: RuleText
    holidays: list[Holiday]
    customer_greets_first: Replies
    closings: list[Line]
    procedures: list[Procedure]
    lines: list[Line]
    chat: list[ChatLine]
    # Standard service lines quoted as the manuals give them: facts of the trade, the only manual
    # wording the kit may repeat word for word (tests/test_no_copied_prose.py exempts them).
    standard_lines: list[Line] = []

    @model_validator(mode="after")
    def _complete(self) -> "Model":
        kinds = {o.kind for o in self.openings}
        for need in ("morning", "standard"):
            if need not in kinds:
                raise ValueError(f"openings 中缺少 kind: {need} 的开头语")
        if self.reply_greetings.evening_from <= self.time_of_day.morning_until:
            raise ValueError("reply_greetings.evening_from 应晚于 time_of_day.morning_until")
        if not any(p.id == "silent-call" for p in self.procedures):
            raise ValueError("procedures 中缺少 silent-call(无声电话)")
        return self

    def procedure(self, proc_id: str) -> Procedure:
        return by_id(self.procedures, proc_id)
