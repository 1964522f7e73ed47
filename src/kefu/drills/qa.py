"""QA scorecard: read a practice call transcript, mark the deductions on the QA rubric, compare
with the quality checker's reference marking (``samples`` in seeds/qa_rubric.yml; scores from
kefu.qa)."""
from __future__ import annotations

import ipywidgets as widgets

from kefu.seeds import load

from . import sources
from .base import Drill, esc


def _rules_html() -> str:
    """The deduction rules of every item, folded away under 评分细则."""
    rows = []
    for item in load("qa_rubric.yml").items:
        rules = ";".join(f"{esc(d.text)} 扣 {d.points:g} 分{'(每次)' if d.per == 'each' else ''}"
                         for d in item.deductions)
        key = "(关键项)" if item.critical else ""
        rows.append(f"<li><b>{esc(item.title)}</b>{key}满分 {item.points:g}:{rules}</li>")
    return f"<details><summary>评分细则(点开查看)</summary><ul>{''.join(rows)}</ul></details>"


class QAScorecard(Drill):
    """``deductions[item_id]`` are dropdowns of points to deduct; ``check()`` compares the
    trainee's marking with the reference marking of the sample. ``QAScorecard()`` steps through
    every practice call (下一通 moves on); ``QAScorecard("qa-call-poor")`` shows only that one."""

    title = "质检评分练习"

    def __init__(self, sample: str | None = None) -> None:
        super().__init__(instructions="读下面的通话记录,按质检评分表在每一项选出应扣的分数,点“检查”。")
        ids = sources.qa_sample_ids()
        if sample is not None:
            sources.qa_sample(sample)  # unknown id → KeyError with the ids to choose from
            ids = [sample]
        if not ids:
            raise LookupError("seeds/qa_rubric.yml 里还没有练习用的通话记录(samples)")
        self.sample_ids = ids
        self.items = sources.qa_items()
        self.transcript = widgets.HTML()
        self.deductions: dict[str, widgets.Dropdown] = {}
        rows = []
        for item in self.items:
            dd = widgets.Dropdown(options=[(f"扣 {p} 分" if p else "不扣分", p) for p in item.options],
                                  value=0, layout=widgets.Layout(width="120px"))
            self.deductions[item.id] = dd
            rows.append(widgets.HBox([widgets.HTML(f"{esc(item.title)}(满分 {item.points:g})",
                                                   layout=widgets.Layout(width="320px")), dd]))
        self.next_button = widgets.Button(description="下一通", icon="arrow-right")
        self.next_button.on_click(lambda _b: self.next())
        self.body = [self.transcript, widgets.HTML(_rules_html()), *rows]
        self.show(0)

    def controls(self):
        return [self.button, self.next_button] if len(self.sample_ids) > 1 else [self.button]

    def show(self, index: int) -> None:
        self.index = index % len(self.sample_ids)
        self.sample = sources.qa_sample(self.sample_ids[self.index])
        lines = "".join(f"<div>{n}. <b>{esc(who)}:</b>{esc(text)}</div>"
                        for n, (who, text) in enumerate(self.sample.lines, 1))
        count = f"(第 {self.index + 1}/{len(self.sample_ids)} 通)" if len(self.sample_ids) > 1 else ""
        self.transcript.value = (
            f'<div style="padding:8px;background:#fafafa;border:1px solid #eee">'
            f"<div><b>{esc(self.sample.title)}</b>{count}</div>{lines}</div>")
        self.mark({})
        self.feedback.value = ""

    def next(self) -> None:
        self.show(self.index + 1)

    def mark(self, deductions: dict[str, int]) -> None:
        """Set the dropdowns (for tests and demos); items not given are set to 0."""
        for item_id, dd in self.deductions.items():
            dd.value = deductions.get(item_id, 0)

    def check(self) -> bool:
        from kefu.qa import score_call

        mine = {k: int(dd.value) for k, dd in self.deductions.items() if dd.value}
        ref = {k: int(v) for k, v in self.sample.deductions.items() if v}
        mine_result = score_call(mine)
        ref_result = score_call(ref)
        lines = []
        for item in self.items:
            got, want = mine.get(item.id, 0), ref.get(item.id, 0)
            if got == want and not want:
                continue
            mark = "✔" if got == want else "✘"
            note = self.sample.notes.get(item.id, "这一项参考评分没有扣分:通话里没有找到这一项的问题。")
            lines.append(f"{mark} {item.title}:你扣 {got} 分,参考扣 {want} 分。{note}")
        verdict = lambda r: "合格" if r.passed else "不合格"  # noqa: E731
        lines.append(f"你的评分 {mine_result.score:g} 分({verdict(mine_result)}),"
                     f"参考评分 {ref_result.score:g} 分({verdict(ref_result)})。")
        if ref_result.critical_failed:
            titles = [l.title for l in ref_result.lines if l.item_id in ref_result.critical_failed]
            lines.append(f"关键项失分:{'、'.join(titles)}——无论总分多少,这通录音都判为不合格。")
        rule = load("qa_rubric.yml").pass_rule
        lines.append(f"合格线:{rule.rule}")
        if self.sample.source:
            lines.append(f"评分标准来源:{self.sample.source}")
        if mine == ref:
            return self._say(True, "评分与参考一致!", lines)
        wrong = sum(1 for i in self.items if mine.get(i.id, 0) != ref.get(i.id, 0))
        return self._say(False, f"有 {wrong} 项与参考评分不一致。", lines)
