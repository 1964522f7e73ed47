"""Chapter 2 · 沟通、倾听与提问: kinds of question (choose the option); order the listening steps."""
from __future__ import annotations

from . import kinds
from .common import ChapterBuilder


def build(b: ChapterBuilder) -> str:
    kinds.choices(b, b.content["choices"], heading="提问方式与复述确认")
    p = b.content["procedures"]["listening"]
    kinds.order_steps(b, [(s["id"], s["text"]) for s in p["steps"]], heading="有效倾听四步", what=p["what"])
    return "本练习共两题:判断提问方式,以及把有效倾听的四个步骤排好顺序。"
