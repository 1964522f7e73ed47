"""seeds/exam.yml — the theory exam blueprint, the practical exam and the certification policy."""
from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from ..base import Fact, SeedFile

FILE = "exam.yml"

QuestionKind = Literal["single", "multiple", "truefalse", "short"]


class Section(Fact):
    id: str
    kind: QuestionKind
    title: str
    count: int = Field(gt=0)
    points_each: float = Field(gt=0)
    focus: str = ""


class PartialCredit(Fact):
    """How a multiple-choice answer earns part of its points."""

    id: str
    rule: str
    description: str


class TheoryExam(Fact):
    id: str
    assignment_id: str
    retake_assignment_id: str
    sections: list[Section]
    total_points: float
    pass_score: float
    minutes: int = Field(gt=0)
    closed_book: bool = True
    retakes_allowed: int = Field(ge=0)
    retake_min_days: int = Field(ge=0)
    failed_retake_means: str
    multiple_choice_partial_credit: PartialCredit
    topics: list[str]

    @model_validator(mode="after")
    def _total_matches(self) -> "TheoryExam":
        total = sum(s.count * s.points_each for s in self.sections)
        if abs(total - self.total_points) > 1e-9:
            raise ValueError(f"各题型分值合计为 {total:g},与 total_points {self.total_points:g} 不一致")
        return self


class PracticalExam(Fact):
    id: str
    assignment_id: str
    scenarios_min: int = Field(gt=0)
    scenarios_max: int = Field(gt=0)
    minutes: int = Field(gt=0)
    pass_score: float
    within_days_after_training: int = Field(gt=0)
    rubric_file: str


class Certification(Fact):
    """Ready for duty only when the theory exam (first time or retake) and the practical are passed."""

    id: str
    label: str
    requires: list[Literal["theory", "practical"]]


class ItemAnalysis(Fact):
    """Thresholds for flagging weak theory-exam questions in the gradebook's item analysis."""

    id: str
    group_share: float = Field(gt=0, le=0.5)  # share of candidates in the upper and lower groups
    min_discrimination: float
    min_difficulty: float = Field(ge=0, le=1)  # mean score ratio below this: too hard
    max_difficulty: float = Field(ge=0, le=1)  # above this: too easy
    min_candidates_for_discrimination: int = Field(ge=2)
    # below this many first attempts no question is flagged: the gradebook shows a small-sample warning
    min_candidates: int = Field(ge=2)
    # a trainee's topic / chapter score ratio below this is listed as a weak area
    weak_area_ratio: float = Field(gt=0, le=1)


class Model(SeedFile):
    item_analysis: ItemAnalysis
    theory: TheoryExam
    practical: PracticalExam
    certification: Certification
