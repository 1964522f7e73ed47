"""seeds/service_rules.yml — timing and conduct rules a service agent is measured against."""
from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from ..base import Fact, SeedFile, by_id

FILE = "service_rules.yml"

Channel = Literal["phone", "online", "all"]


class Rule(Fact):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    channel: Channel
    title: str
    rule: str  # the rule in the kit's own words
    value: float | None = None  # the figure, in `unit`
    unit: str | None = None  # rings, seconds, minutes, times, chars_per_minute, percent
    comparison: Literal["at_most", "at_least", "exactly", "within"] | None = None

    @model_validator(mode="after")
    def _value_in_range(self) -> "Rule":
        if self.value is None:
            return self
        if self.unit == "percent":
            if not 0 <= self.value <= 100:
                raise ValueError(f"百分比 value {self.value:g} 应在 0 到 100 之间")
        elif self.unit is not None and not self.value > 0:  # durations, rings, counts, speeds
            raise ValueError(f"value {self.value:g}({self.unit})应大于 0")
        return self


class Model(SeedFile):
    rules: list[Rule]

    def get(self, rule_id: str) -> Rule:
        return by_id(self.rules, rule_id)
