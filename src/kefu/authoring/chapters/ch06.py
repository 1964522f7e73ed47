"""Chapter 6 · 工单分类与系统操作: type and priority of tickets from the held-back exam split."""
from __future__ import annotations

from . import kinds
from .common import ChapterBuilder


def build(b: ChapterBuilder) -> str:
    kinds.tickets(b, 8, heading="工单分类与优先级", part=(1, 2))
    return ("本练习共一题:为 8 张真实风格的工单选择类型和优先级。这些工单在练习笔记本里没有出现过;"
            "每张工单类型、优先级各占一半分数。")
