"""seeds/exam.yml — the theory exam blueprint, the practical exam and the certification policy."""
from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from ..base import Fact, SeedFile, Strict
from ..checks import Score, ordered, pass_mark_within

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
    total_points: float = Field(gt=0)
    pass_score: float
    minutes: int = Field(gt=0)
    closed_book: bool = True
    retakes_allowed: int = Field(ge=0)
    retake_min_days: int = Field(ge=0)
    failed_retake_means: str
    multiple_choice_partial_credit: PartialCredit
    topics: list[str]

    @field_validator("pass_score")
    @classmethod
    def _pass_within_total(cls, score: float, info: ValidationInfo) -> float:
        total = info.data.get("total_points")
        return pass_mark_within(score, 100 if total is None else total)

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
    pass_score: Score  # the practical rubric's weights add up to 100
    within_days_after_training: int = Field(gt=0)
    rubric_file: str

    @model_validator(mode="after")
    def _range(self) -> "PracticalExam":
        ordered(self.scenarios_min, self.scenarios_max, "scenarios_min", "scenarios_max")
        return self


class Certification(Fact):
    """Ready for duty only when the theory exam (first time or retake) and the practical are passed and,
    with ``practice``, the coached practice and its trial phase are done (seeds/programme.yml)."""

    id: str
    label: str
    requires: list[Literal["theory", "practical", "practice"]]


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

    @model_validator(mode="after")
    def _range(self) -> "ItemAnalysis":
        ordered(self.min_difficulty, self.max_difficulty, "min_difficulty", "max_difficulty")
        return self


class GradingBand(Strict):
    min_share: float = Field(ge=0, le=1)
    label: str
    meaning: str


class GradingBands(Fact):
    """Score bands for manually graded items (shares of the item's points), shown in the grader's guide."""

    id: str
    bands: list[GradingBand]
    short_answer_rule: str

    @model_validator(mode="after")
    def _descending(self) -> "GradingBands":
        shares = [b.min_share for b in self.bands]
        if shares != sorted(shares, reverse=True) or not shares or shares[-1] != 0:
            raise ValueError("bands 应按 min_share 从高到低排列,最后一档为 0")
        return self


class Model(SeedFile):
    item_analysis: ItemAnalysis
    theory: TheoryExam
    practical: PracticalExam
    certification: Certification
    grading_bands: GradingBands | None = None
