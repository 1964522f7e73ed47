"""Ticket triage: type and priority for real tickets of the drill split (never the exam split);
the labelling reason is shown after each answer."""
from __future__ import annotations

import ipywidgets as widgets

from . import sources
from .base import Drill, esc, rng


class TicketTriage(Drill):
    """``kind`` and ``priority`` are dropdowns; 下一张 moves to the next ticket."""

    title = "工单分类与优先级"

    def __init__(self, *, seed: int | None = 0, limit: int | None = None) -> None:
        super().__init__(instructions="读客户的留言,选出工单类型和优先级,点“检查”看标注理由。")
        tickets = sources.drill_tickets()
        rng(seed).shuffle(tickets)
        self.tickets = tickets[:limit] if limit else tickets
        types, priorities = sources.ticket_labels()
        self.index = 0
        self.ticket_view = widgets.HTML()
        self.kind = widgets.Dropdown(options=[("(请选择)", None)] + [(t, t) for t in types],
                                     description="类型")
        self.priority = widgets.Dropdown(options=[("(请选择)", None)] + [(p, p) for p in priorities],
                                         description="优先级")
        self.next_button = widgets.Button(description="下一张", icon="arrow-right")
        self.next_button.on_click(lambda _b: self.next())
        self.body = [self.ticket_view, widgets.HBox([self.kind, self.priority])]
        self.score = {"right": 0, "done": 0}
        self.show(0)

    def controls(self):
        return [self.button, self.next_button]

    @property
    def ticket(self):
        return self.tickets[self.index]

    def show(self, index: int) -> None:
        self.index = index % len(self.tickets)
        t = self.ticket
        self.ticket_view.value = (
            f'<div style="padding:8px;background:#f5f5f5;border-radius:6px">'
            f"工单 {self.index + 1}/{len(self.tickets)} · 渠道:{esc(t.channel)}<br>"
            f'<span style="font-size:1.15em">“{esc(t.text)}”</span></div>')
        self.kind.value = None
        self.priority.value = None
        self.feedback.value = ""

    def next(self) -> None:
        self.show(self.index + 1)

    def check(self) -> bool:
        t = self.ticket
        if self.kind.value is None or self.priority.value is None:
            return self._say(False, "还没选完", ["类型和优先级都要选。"])
        good_kind = self.kind.value == t.type
        good_prio = self.priority.value == t.priority
        self.score["done"] += 1
        self.score["right"] += int(good_kind and good_prio)
        lines = [
            ("✔ " if good_kind else "✘ ") + f"类型:你选“{self.kind.value}”,标准答案“{t.type}”。",
            ("✔ " if good_prio else "✘ ") + f"优先级:你选“{self.priority.value}”,标准答案“{t.priority}”。",
            f"理由:{t.reason}",
        ]
        hint = sources.ticket_label_hint(t.type, t.priority)
        if hint and not (good_kind and good_prio):
            lines.append(hint)
        lines.append(f"累计:{self.score['right']}/{self.score['done']} 张全对。")
        if good_kind and good_prio:
            return self._say(True, "分类和优先级都对!", lines)
        return self._say(False, "还不完全对。", lines)
