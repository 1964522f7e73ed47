"""Shared meaning checks for seed schemas: score ranges, weights that add up, pass marks within the
total, positive durations, valid clock times. One copy here instead of one per schema module.

Pure validators (no loader imports), used by ``kefu.seeds.models.*``; a ValueError raised by them
becomes a problem naming file · 条目 · 字段 in ``kefu seeds validate`` and in every command that loads
the seed.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import AfterValidator, Field

# a score on the 0–100 scale every exam, rubric and KPI dimension of the kit uses
Score = Annotated[float, Field(ge=0, le=100)]
# a count of minutes, days, weeks … that must be at least one
PositiveInt = Annotated[int, Field(gt=0)]

_CLOCK = re.compile(r"^(\d{2}):(\d{2})$")


def valid_clock(text: str) -> str:
    """``HH:MM`` with 00 ≤ HH ≤ 23 and 00 ≤ MM ≤ 59, or 24:00 for the end of a day (the pattern alone
    lets 25:99 through)."""
    m = _CLOCK.match(str(text))
    if not m or text != "24:00" and (int(m[1]) > 23 or int(m[2]) > 59):
        raise ValueError(f"“{text}”不是有效时间,应为 HH:MM(00:00–23:59,一天结束可写 24:00)")
    return text


Clock = Annotated[str, AfterValidator(valid_clock)]


def weights_sum_to_100(items: Sequence[Any], what: str = "各维度", attr: str = "weight") -> Sequence[Any]:
    """The weights of ``items`` add up to 100 (percent); returns ``items`` for use in a field validator."""
    total = sum(getattr(i, attr) for i in items)
    if abs(total - 100) > 1e-9:
        parts = " + ".join(f"{getattr(i, attr):g}" for i in items)
        raise ValueError(f"{what}权重合计为 {total:g}({parts}),应为 100")
    return items


def pass_mark_within(score: float, total: float, what: str = "合格分") -> float:
    """A pass mark between 0 and the total it is out of (``pass_score: 800`` of 100 fails)."""
    if not 0 <= score <= total:
        raise ValueError(f"{what} {score:g} 不在 0 到满分 {total:g} 之间")
    return score


def ordered(low: float, high: float, low_name: str, high_name: str) -> None:
    """``low`` must not exceed ``high`` (e.g. scenarios_min ≤ scenarios_max, first_day ≤ last_day)."""
    if low > high:
        raise ValueError(f"{low_name}({low:g})不能大于 {high_name}({high:g})")
