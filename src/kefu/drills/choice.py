"""A multiple-choice question with an explanation, usable in any chapter; and a quiz that steps
through several such questions."""
from __future__ import annotations

from dataclasses import dataclass, field

import ipywidgets as widgets

from .base import Drill, esc, rng


@dataclass
class Question:
    prompt: str
    answer: str  # the correct option text
    distractors: list[str]
    why: str  # why the answer is right (Chinese)
    source: str = ""
    wrong_why: dict[str, str] = field(default_factory=dict)  # option text → why it is wrong


class ChoiceQuiz(Drill):
    """One question at a time; ``choice`` is a RadioButtons widget; 下一题 moves on."""

    title = "选择题练习"

    def __init__(self, questions: list[Question], *, title: str | None = None,
                 instructions: str = "选出最合适的一项,点“检查”看解析。", seed: int | None = 0) -> None:
        if not questions:
            raise ValueError("ChoiceQuiz 需要至少一道题")
        super().__init__(title=title, instructions=instructions)
        self.questions = questions
        self._rng = rng(seed)
        self.index = 0
        self.prompt = widgets.HTML()
        self.choice = widgets.RadioButtons(options=[], layout=widgets.Layout(width="auto"))
        self.next_button = widgets.Button(description="下一题", icon="arrow-right")
        self.next_button.on_click(lambda _b: self.next())
        self.body = [self.prompt, self.choice]
        self.show(0)

    def controls(self):
        return [self.button, self.next_button]

    @property
    def question(self) -> Question:
        return self.questions[self.index]

    def show(self, index: int) -> None:
        self.index = index % len(self.questions)
        q = self.question
        options = [q.answer, *q.distractors]
        self._rng.shuffle(options)
        self.prompt.value = (f'<div class="kefu-prompt">第 {self.index + 1}/{len(self.questions)} 题:'
                             f"{esc(q.prompt)}</div>")
        self.choice.options = options
        self.choice.value = None
        self.feedback.value = ""

    def next(self) -> None:
        self.show(self.index + 1)

    def choose(self, text: str) -> None:
        """Select the option whose text is ``text`` (for tests and scripted demos)."""
        self.choice.value = text

    def check(self) -> bool:
        q = self.question
        picked = self.choice.value
        src = [f"来源:{q.source}"] if q.source else []
        if picked is None:
            return self._say(False, "还没有选择", ["先选一个选项,再点“检查”。"])
        if picked == q.answer:
            return self._say(True, "正确!", [q.why, *src])
        reasons = []
        if picked in q.wrong_why:
            reasons.append(f"你选的“{picked}”:{q.wrong_why[picked]}")
        reasons += [f"正确答案:{q.answer}", q.why, *src]
        return self._say(False, "不对。", reasons)
