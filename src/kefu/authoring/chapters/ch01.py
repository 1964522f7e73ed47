"""Chapter 1 · 服务意识与客服角色: choose the correct option; order the training programme."""
from __future__ import annotations

from ..procedures import steps
from . import kinds
from .common import ChapterBuilder


def build(b: ChapterBuilder) -> str:
    kinds.choices(b, b.content["choices"], heading="服务意识与客服角色")
    kinds.order_steps(b, [(s.id, s.text) for s in steps("programme")], heading="培训日程",
                      what="3 天集中培训每个半天的主题", procedure="programme")
    return "本练习共两题:服务意识选择题,以及集中培训日程排序。"
