"""Typing-speed drill: copy a service sentence; correct characters per minute vs the target."""
from __future__ import annotations

import difflib
import time
from typing import Callable

import ipywidgets as widgets

from . import sources
from .base import Drill, esc, rng


def correct_chars(model: str, typed: str) -> int:
    """Characters of ``typed`` that match the model text in order (extra or wrong ones don't count)."""
    matcher = difflib.SequenceMatcher(None, model, typed, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks())


class TypingSpeed(Drill):
    """Press 开始计时, copy the sentence into the box, press 完成: speed = correct characters ÷ minutes."""

    title = "打字速度练习"
    button_label = "完成"

    def __init__(self, passage: str | None = None, *, seed: int | None = 0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.target = sources.typing_target()
        super().__init__(instructions=(
            f"点“开始计时”,把下面这段话原样打进输入框,打完点“完成”。"
            f"目标:每分钟至少 {self.target.value:g} 个正确的字。"))
        self.clock = clock
        self._passages = sources.typing_passages()
        self._rng = rng(seed)
        self.started_at: float | None = None
        self.passage = widgets.HTML()
        self.answer = widgets.Textarea(placeholder="在这里输入……",
                                       layout=widgets.Layout(width="95%", height="80px"))
        self.start_button = widgets.Button(description="开始计时", icon="clock-o")
        self.start_button.on_click(lambda _b: self.start())
        self.next_button = widgets.Button(description="换一段", icon="refresh")
        self.next_button.on_click(lambda _b: self.new_passage())
        self.body = [self.passage, self.answer]
        self.new_passage(passage)

    def controls(self):
        return [self.start_button, self.button, self.next_button]

    def new_passage(self, text: str | None = None) -> None:
        self.text = text or self._rng.choice(self._passages)
        self.passage.value = (
            '<div style="font-size:1.15em;background:#fafafa;padding:8px;border:1px dashed #bbb">'
            f"{esc(self.text)}</div>")
        self.answer.value = ""
        self.started_at = None
        self.feedback.value = ""

    def start(self) -> None:
        self.answer.value = ""
        self.started_at = self.clock()
        self._say(None, "计时开始,请输入。")

    def speed(self) -> tuple[float, int, float]:
        """(characters per minute, correct characters, seconds)."""
        seconds = max(self.clock() - (self.started_at or 0.0), 1e-6)
        good = correct_chars(self.text, self.answer.value.strip())
        return good * 60.0 / seconds, good, seconds

    def check(self) -> bool:
        if self.started_at is None:
            return self._say(False, "还没有开始计时", ["先点“开始计时”,再输入,打完点“完成”。"])
        if not self.answer.value.strip():
            return self._say(False, "输入框是空的", ["把上面的句子原样打一遍再点“完成”。"])
        cpm, good, seconds = self.speed()
        total = len(self.text)
        accuracy = good / max(total, len(self.answer.value.strip()))
        goal = self.target.value
        why = [
            f"用时 {seconds:.1f} 秒,打对 {good} 个字(原文 {total} 个字,准确率 {accuracy:.0%})。",
            f"速度 = 正确字数 ÷ 分钟数 = {good} ÷ {seconds / 60:.2f} ≈ {cpm:.0f} 字/分钟。",
            f"要求:{self.target.rule}(来源:{self.target.source})",
        ]
        if good < total:
            why.append("打错或漏打的字不计入速度;在线回复里的错字也会让顾客觉得不专业。")
        if cpm >= goal:
            return self._say(True, f"达标!{cpm:.0f} 字/分钟,不低于 {goal:g} 字/分钟。", why)
        why.append("顾客在线等待时,打字慢就是回复慢;多练习盲打,并把常用回复设成快捷短语。")
        return self._say(False, f"还差一点:{cpm:.0f} 字/分钟,目标 {goal:g} 字/分钟。", why)
