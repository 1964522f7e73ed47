"""seeds/programme.yml — the 3-day classroom schedule and the 2-week coached practice."""
from __future__ import annotations

from pydantic import Field

from ..base import Fact, SeedFile, Strict

FILE = "programme.yml"


class Session(Fact):
    id: str
    day: int = Field(ge=1)
    start: str = Field(pattern=r"^\d{2}:\d{2}$")
    end: str = Field(pattern=r"^\d{2}:\d{2}$")
    topic: str


class Phase(Fact):
    id: str
    first_day: int = Field(ge=1)
    last_day: int = Field(ge=1)
    title: str
    mode: str
    focus: str


class Step(Strict):
    order: int
    who: str


class GuidedCalls(Fact):
    id: str
    steps: list[Step]


class Shift(Fact):
    id: str
    name: str
    start: str
    end: str


class Model(SeedFile):
    classroom_days: int
    practice_weeks: int
    format: Fact
    sessions: list[Session]
    guided_calls: GuidedCalls
    phases: list[Phase]
    shifts: list[Shift]
    work_days_per_week: int
    schedule_published_days_ahead: int
    career_path: Fact
    career_steps: list[str]
