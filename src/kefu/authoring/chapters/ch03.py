"""Chapter 3 · 电话礼仪与标准话术: choose the opening for a date and time (key from
``kefu.scripts.opening``); order the silent-call steps (``kefu.scripts.silent_call_steps``);
special calls (choose the correct option)."""
from __future__ import annotations

from ..procedures import steps
from . import kinds
from .common import ChapterBuilder

# call times chosen to cover the morning rule, the ordinary greeting and each holiday greeting
WHEN = [
    "2026-03-10T09:15",  # an ordinary Tuesday morning
    "2026-03-10T15:40",  # the same day, afternoon
    "2026-02-17T10:00",  # 春节
    "2026-05-01T14:00",  # 五一
    "2026-09-25T20:00",  # 中秋
    "2026-10-01T08:30",  # 国庆, in the morning
]


def build(b: ChapterBuilder) -> str:
    kinds.openings(b, WHEN, heading="不同日期和时间的开头语")
    kinds.order_steps(b, [(s.id, s.text) for s in steps("silent-call")], heading="无声电话",
                      what="接到无声电话时客服依次要做的事(每句话说完都要稍等 5 秒)", procedure="silent-call")
    kinds.choices(b, b.content["choices"], heading="特殊来电的处理")
    return "本练习共三题:选出正确的开头语;无声电话步骤排序;听不清、免提、方言等特殊来电的处理。"
