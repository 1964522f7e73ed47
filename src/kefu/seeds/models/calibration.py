"""seeds/calibration.yml — how `kefu calibrate` judges grader agreement (all the kit's own rules)."""
from __future__ import annotations

from pydantic import Field, field_validator

from ..base import Fact, SeedFile, Strict

FILE = "calibration.yml"
# Grader-side settings with no `id`ed entries, so the curriculum-coverage test has nothing to ask of it.


class Statistic(Fact):
    name: str
    rule: str
    confidence: float = Field(gt=0.5, lt=1)


class Threshold(Fact):
    points: float = Field(gt=0, le=100)
    rule: str


class Band(Strict):
    min: float = Field(ge=-1, le=1)
    label: str


class Levels(Fact):
    bands: list[Band] = Field(min_length=1)

    @field_validator("bands")
    @classmethod
    def _descending(cls, bands: list[Band]) -> list[Band]:
        mins = [b.min for b in bands]
        if mins != sorted(mins, reverse=True):
            raise ValueError("bands 必须按 min 从高到低排列")
        return bands

    def label(self, value: float) -> str:
        for band in self.bands:
            if value >= band.min:
                return band.label
        return self.bands[-1].label


class MinItems(Fact):
    count: int = Field(ge=2)
    rule: str


class Model(SeedFile):
    statistic: Statistic
    margin: Threshold
    drift: Threshold
    levels: Levels
    min_items: MinItems
