"""Live 话术 checker: type a reply and see the offending words highlighted with a suggestion.

The verdict comes from ``kefu.phrases.judge`` (rules, then the learned "similar reply" judge):
ok, forbidden, or uncertain — uncertain is shown as a hint, never as a failure."""
from __future__ import annotations

import ipywidgets as widgets

from kefu.phrases.lines import verdict_lines

from .base import STYLE, Drill, esc

CATEGORY_WHY = {
    "quoted": "这是在引号里提到的词,只是举例,不算违规。",
}


class LiveChecker(Drill):
    """``reply`` is the text box; every change re-checks it (``result`` shows the highlight).
    ``check()`` is right when the reply has no violation."""

    title = "话术实时检查"

    def __init__(self, text: str = "", *, placeholder: str = "在这里输入你要对客户说的话……",
                 instructions: str = "输入一句回复客户的话,系统会马上标出禁用语和不当说法,并给出推荐说法。") -> None:
        super().__init__(instructions=instructions)
        self.reply = widgets.Textarea(value=text, placeholder=placeholder, continuous_update=True,
                                      layout=widgets.Layout(width="95%", height="70px"))
        self.result = widgets.HTML()
        self.reply.observe(lambda _c: self.update(), names="value")
        self.body = [self.reply, self.result]
        self.report = None
        self.verdict = None
        self.update()

    def update(self) -> None:
        from kefu.phrases import highlight_html, judge

        text = self.reply.value
        if not text.strip():
            self.report = None
            self.verdict = None
            self.result.value = ""
            return
        self.verdict = judge(text)
        self.report = self.verdict.report
        lines = verdict_lines(self.verdict)
        items = "".join(f"<li>{esc(x)}</li>" for x in lines)
        verdict = {"ok": "✔ 没有发现禁用语", "forbidden": "✘ 发现不当说法",
                   "uncertain": "？ 有一处说法拿不准,请再斟酌"}[self.verdict.outcome]
        self.result.value = (
            f'{STYLE}<div class="kefu-live" style="font-size:1.1em;padding:6px;border:1px solid #eee">'
            f"{highlight_html(self.report)}</div><div><b>{verdict}</b><ul>{items}</ul></div>")

    def check(self) -> bool:
        self.update()
        if self.report is None:
            return self._say(False, "还没有输入内容", ["先输入一句回复,再点“检查”。"])
        v = self.verdict
        if v.outcome == "uncertain":
            # a hint, not a failure: the judge is not sure either way
            return self._say(True, "基本可以,但有一处拿不准,建议换个更稳妥的说法。", verdict_lines(v))
        if v.ok:
            return self._say(True, "这句话可以对客户说。", ["语气礼貌、没有推诿或指责客户的说法。", *verdict_lines(v)])
        why = verdict_lines(v)
        why.append("禁用语会让客户觉得被怠慢、被推诿或被指责;换成推荐说法,意思不变,客户感受完全不同。")
        n = sum(1 for x in self.report.violations if x.category != "quoted") or 1
        return self._say(False, f"有 {n} 处需要修改。", why)
