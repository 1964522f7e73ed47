"""QA scorecard: read a sample call transcript, mark the deductions on the QA rubric, compare
with the quality checker's marking (score from kefu.qa)."""
from __future__ import annotations

import ipywidgets as widgets

from . import sources
from .base import Drill, esc


class QAScorecard(Drill):
    """``deductions[item_id]`` are dropdowns of points to deduct; ``check()`` compares the
    trainee's marking with the reference marking of the sample."""

    title = "质检评分练习"

    def __init__(self, sample: str | None = None) -> None:
        super().__init__(instructions="读下面的通话记录,按质检评分表在每一项选出应扣的分数,点“检查”。")
        self.sample = sources.qa_sample(sample)
        self.items = sources.qa_items()
        lines = "".join(
            f"<div><b>{esc(who)}:</b>{esc(text)}</div>" for who, text in self.sample.lines)
        self.transcript = widgets.HTML(
            f'<div style="padding:8px;background:#fafafa;border:1px solid #eee">'
            f"<div><b>{esc(self.sample.title)}</b></div>{lines}</div>")
        self.deductions: dict[str, widgets.Dropdown] = {}
        rows = []
        for item in self.items:
            dd = widgets.Dropdown(options=[(f"扣 {p} 分" if p else "不扣分", p) for p in item.options],
                                  value=0, layout=widgets.Layout(width="120px"))
            self.deductions[item.id] = dd
            rows.append(widgets.HBox([widgets.HTML(f"{esc(item.title)}(满分 {item.points:g})",
                                                   layout=widgets.Layout(width="320px")), dd]))
        self.body = [self.transcript, *rows]

    def mark(self, deductions: dict[str, int]) -> None:
        """Set the dropdowns (for tests and demos); items not given are set to 0."""
        for item_id, dd in self.deductions.items():
            dd.value = deductions.get(item_id, 0)

    def check(self) -> bool:
        from kefu.qa import score_call

        mine = {k: int(dd.value) for k, dd in self.deductions.items() if dd.value}
        ref = dict(self.sample.deductions)
        my_score = score_call(mine).score
        ref_result = score_call(ref)
        lines = []
        for item in self.items:
            got, want = mine.get(item.id, 0), ref.get(item.id, 0)
            if got == want and not want:
                continue
            mark = "✔" if got == want else "✘"
            note = self.sample.notes.get(item.id, "")
            lines.append(f"{mark} {item.title}:你扣 {got} 分,参考扣 {want} 分。{note}")
        lines.append(f"你的评分 {my_score:g} 分,参考评分 {ref_result.score:g} 分。")
        if getattr(ref_result, "failed_items", None):
            lines.append("这通电话的失分项:" + "、".join(map(str, ref_result.failed_items)))
        if self.sample.source:
            lines.append(f"评分标准来源:{self.sample.source}")
        if mine == ref:
            return self._say(True, "评分与参考一致!", lines)
        return self._say(False, "有几项与参考评分不一致。", lines)
