"""Ordering drill: put the steps of a procedure in the right order (LEAP, the complaint flow, the
silent-call steps, the four listening steps ...). One dropdown per position."""
from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets

from .base import Drill, esc, rng


@dataclass
class Step:
    text: str
    why: str = ""  # why this step comes here


class OrderingDrill(Drill):
    """``slots[i]`` is the dropdown for position i+1; its value is a step text."""

    title = "排序练习"

    def __init__(self, steps: list[Step] | list[str], *, title: str | None = None,
                 instructions: str = "按正确的先后顺序,在每个位置选出对应的步骤,然后点“检查”。",
                 source: str = "", seed: int | None = 0) -> None:
        self.steps = [s if isinstance(s, Step) else Step(str(s)) for s in steps]
        if len(self.steps) < 2:
            raise ValueError("排序练习至少需要两个步骤")
        super().__init__(title=title, instructions=instructions)
        self.source = source
        shuffled = [s.text for s in self.steps]
        r = rng(seed)
        while len(set(shuffled)) > 1 and shuffled == [s.text for s in self.steps]:
            r.shuffle(shuffled)
        self.pool = widgets.HTML(
            "<div>待排序的步骤:" + " / ".join(f"<b>{esc(t)}</b>" for t in shuffled) + "</div>")
        self.slots = [
            widgets.Dropdown(options=[("(请选择)", None)] + [(t, t) for t in shuffled], value=None,
                             description=f"第 {i + 1} 步", layout=widgets.Layout(width="95%"))
            for i in range(len(self.steps))
        ]
        self.body = [self.pool, *self.slots]

    @property
    def correct_order(self) -> list[str]:
        return [s.text for s in self.steps]

    def arrange(self, order: list[str]) -> None:
        """Fill the slots with ``order`` (for tests and demos)."""
        for slot, text in zip(self.slots, order):
            slot.value = text

    def check(self) -> bool:
        chosen = [s.value for s in self.slots]
        if any(c is None for c in chosen):
            return self._say(False, "还有位置没有选", ["每个位置都要选一个步骤。"])
        if len(set(chosen)) < len(chosen):
            dup = sorted({c for c in chosen if chosen.count(c) > 1})
            return self._say(False, "有步骤重复了", [f"“{d}”被选了不止一次,每个步骤只用一次。" for d in dup])
        src = [f"来源:{self.source}"] if self.source else []
        explain = [f"第 {i + 1} 步 {s.text}" + (f":{s.why}" if s.why else "")
                   for i, s in enumerate(self.steps)]
        if chosen == self.correct_order:
            return self._say(True, "顺序完全正确!", [*explain, *src])
        wrong = [f"第 {i + 1} 步应是“{right}”,你选了“{got}”。"
                 for i, (got, right) in enumerate(zip(chosen, self.correct_order)) if got != right]
        return self._say(False, f"有 {len(wrong)} 个位置不对。", [*wrong, "正确顺序和原因:", *explain, *src])
