"""seeds/programme.yml — the 3-day classroom schedule and the 2-week coached practice."""
from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from ..base import Fact, SeedFile, Strict
from ..checks import Clock, PositiveInt, ordered

FILE = "programme.yml"


class Session(Fact):
    id: str
    day: int = Field(ge=1)
    start: Clock
    end: Clock
    topic: str

    @model_validator(mode="after")
    def _start_before_end(self) -> "Session":
        if self.start >= self.end:
            raise ValueError(f"开始时间 {self.start} 应早于结束时间 {self.end}")
        return self


class Phase(Fact):
    id: str
    first_day: int = Field(ge=1)
    last_day: int = Field(ge=1)
    title: str
    mode: str
    focus: str

    @model_validator(mode="after")
    def _days(self) -> "Phase":
        ordered(self.first_day, self.last_day, "first_day", "last_day")
        return self


class Step(Strict):
    order: int
    who: str


class GuidedCalls(Fact):
    id: str
    steps: list[Step]


class Shift(Fact):
    id: str
    name: str
    start: Clock  # a night shift may end before it starts (next day)
    end: Clock


class PracticeCertification(Fact):
    """The kit's rule for the coached practice and the trial (试接): read by kefu.practice."""

    id: str
    days: PositiveInt
    trial_phase: str
    min_practice_days: int = Field(ge=0)
    trial_min_calls: PositiveInt
    trial_min_pass_share: float = Field(ge=0, le=1)
    trial_no_critical_fail: bool = True
    rule: str


class Model(SeedFile):
    classroom_days: PositiveInt
    practice_weeks: int = Field(ge=0)
    format: Fact
    sessions: list[Session]
    guided_calls: GuidedCalls
    phases: list[Phase]
    shifts: list[Shift]
    work_days_per_week: int = Field(ge=1, le=7)
    schedule_published_days_ahead: int = Field(ge=0)
    career_path: Fact
    career_steps: list[str] = []  # the promotion path is seeds/workplace.yml's promotion-path topic
    practice_certification: PracticeCertification | None = None

    @model_validator(mode="after")
    def _trial_phase_known(self) -> "Model":
        rule = self.practice_certification
        if rule is not None:
            ids = [p.id for p in self.phases]
            if rule.trial_phase not in ids:
                raise ValueError(f"practice_certification.trial_phase {rule.trial_phase} 不是 phases 里的阶段({'、'.join(ids)})")
            if rule.min_practice_days > rule.days:
                raise ValueError(f"min_practice_days {rule.min_practice_days} 超过了练习天数 days {rule.days}")
        return self

    @field_validator("sessions")
    @classmethod
    def _sessions_in_classroom_days(cls, sessions: list[Session], info) -> list[Session]:
        days = info.data.get("classroom_days")
        late = [s.id for s in sessions if days is not None and s.day > days]
        if late:
            raise ValueError(f"课程 {'、'.join(late)} 的 day 超过了 classroom_days({days} 天)")
        return sessions
