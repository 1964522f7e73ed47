"""禁用语 → 推荐用语 flashcards: see a forbidden phrase, write a better one, compare."""
from __future__ import annotations

import ipywidgets as widgets

from . import sources
from .base import Drill, esc, rng


class Flashcards(Drill):
    """``answer`` takes the trainee's rewrite; ``check()`` grades it by meaning with the phrase engine
    (any wording that drops the forbidden phrase and keeps the intent passes, not only the reference);
    a first wrong try gets the reasons but not the reference, so the trainee can try again — the
    reference is shown once the rewrite passes, from the second try, or on 翻面. 下一张 moves on."""

    title = "禁用语闪卡"

    def __init__(self, *, category: str | None = None, seed: int | None = 0, limit: int | None = None) -> None:
        super().__init__(instructions="卡片上是一句不该对客户说的话。写出你的改法,点“检查”;想看推荐说法就点“翻面”。")
        cards = sources.flashcards(category)
        if not cards:
            raise ValueError(f"短语库里没有类别为 {category} 的禁用语")
        rng(seed).shuffle(cards)
        self.cards = cards[:limit] if limit else cards
        self.index = 0
        self.front = widgets.HTML()
        self.back = widgets.HTML()
        self.answer = widgets.Textarea(placeholder="写出你会怎么说……",
                                       layout=widgets.Layout(width="95%", height="60px"))
        self.flip_button = widgets.Button(description="翻面", icon="exchange")
        self.flip_button.on_click(lambda _b: self.flip())
        self.next_button = widgets.Button(description="下一张", icon="arrow-right")
        self.next_button.on_click(lambda _b: self.next())
        self.body = [self.front, self.answer, self.back]
        self.show(0)

    def controls(self):
        return [self.button, self.flip_button, self.next_button]

    @property
    def card(self) -> sources.Card:
        return self.cards[self.index]

    def show(self, index: int) -> None:
        self.index = index % len(self.cards)
        c = self.card
        self.front.value = (
            f'<div style="font-size:1.3em;padding:10px;background:#fff8e1;border-radius:6px">'
            f"第 {self.index + 1}/{len(self.cards)} 张 · <span style='color:#b71c1c'>✘ {esc(c.forbidden)}</span>"
            f"<br><small>类别:{esc(c.category)}</small></div>")
        self.back.value = ""
        self.answer.value = ""
        self.feedback.value = ""
        self.attempts = 0

    def next(self) -> None:
        self.show(self.index + 1)

    def flip(self) -> None:
        c = self.card
        self.back.value = (
            f'<div style="font-size:1.2em;padding:10px;background:#e8f5e9;border-radius:6px">'
            f"✔ 推荐说法:{esc(' / '.join(c.recommended))}"
            + (f"<br><small>为什么:{esc(c.why)}</small>" if c.why else "")
            + f"<br><small>来源:{esc(c.source)}</small></div>")

    def check(self) -> bool:
        from kefu.phrases import grade_rewrite

        reply = self.answer.value.strip()
        if not reply:
            return self._say(False, "还没有写改法", ["在输入框里写出你会怎么说,再点“检查”。"])
        self.attempts += 1
        result = grade_rewrite(self.card.id, reply)
        reasons = list(result.reasons)
        if self.card.why:
            reasons.append(f"为什么不能说“{self.card.forbidden}”:{self.card.why}")
        if result.passed or self.attempts >= 2:
            reasons.append(f"参考说法(意思对就行,不必一字不差):{' / '.join(self.card.recommended)}")
            self.flip()
        else:
            reasons.append("再改一次试试;想直接看推荐说法,点“翻面”。")
        if result.passed:
            return self._say(True, f"改得好!得分 {result.score:.0%}", reasons)
        return self._say(False, f"还需要改进(得分 {result.score:.0%})", reasons)
