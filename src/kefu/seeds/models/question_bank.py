"""seeds/question_bank.yml — the theory exam question bank (written from the manuals).

Kinds: ``single`` (one correct option), ``multiple`` (two or more correct options and at least
one wrong one), ``truefalse`` (a statement that is right or wrong) and ``short`` (a written
answer graded by hand, with a model answer and 4–6 key points for the grader).
Choice answers are option letters in the order the options are written here (A = first);
the exam builder shuffles options and re-letters them.
"""
from __future__ import annotations

import string
from typing import Literal

from pydantic import Field, field_validator, model_validator

from ..base import Fact, SeedFile

FILE = "question_bank.yml"
# An assessment bank, not material a chapter teaches: left out of the curriculum coverage check.
TEACHABLE = False

Kind = Literal["single", "multiple", "truefalse", "short"]
LETTERS = string.ascii_uppercase


class Question(Fact):
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    kind: Kind
    topic: str
    # the seed entries ("<stem>:<id>") this question examines; tests/test_taught.py checks that a
    # chapter notebook teaches each of them
    examines: list[str] = Field(min_length=1)
    stem: str = Field(min_length=4)
    options: list[str] = Field(default_factory=list)
    answer: str | bool | None = None  # "B", "ACD" or true/false; none for short answers
    explanation: str = ""
    model_answer: str = ""
    key_points: list[str] = Field(default_factory=list)

    @field_validator("examines")
    @classmethod
    def _entry_refs(cls, value: list[str]) -> list[str]:
        import re

        bad = [v for v in value if not re.fullmatch(r"[a-z_]+:[a-z0-9]+(-[a-z0-9]+)*", v)]
        if bad:
            raise ValueError(f"examines 应写成“文件名:条目id”,例如 scripts:silent-call;有误:{bad}")
        return value

    @field_validator("options")
    @classmethod
    def _distinct_options(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("选项有重复")
        return value

    @model_validator(mode="after")
    def _answer_fits_kind(self) -> "Question":
        k = self.kind
        if k in ("single", "multiple"):
            if not 3 <= len(self.options) <= 6:
                raise ValueError("选择题应有 3–6 个选项")
            if not isinstance(self.answer, str) or not self.answer:
                raise ValueError("选择题的 answer 应为选项字母,如 B 或 ACD")
            letters = list(self.answer)
            valid = LETTERS[: len(self.options)]
            bad = [c for c in letters if c not in valid]
            if bad or len(set(letters)) != len(letters):
                raise ValueError(f"answer {self.answer!r} 含有不存在或重复的选项字母(可用 {valid})")
            if k == "single" and len(letters) != 1:
                raise ValueError("单选题只能有一个正确选项")
            if k == "multiple" and not 2 <= len(letters) < len(self.options):
                raise ValueError("多选题应有至少两个正确选项,并至少一个错误选项")
        elif k == "truefalse":
            if not isinstance(self.answer, bool):
                raise ValueError("判断题的 answer 应为 true 或 false")
            if self.options:
                raise ValueError("判断题不需要 options")
        else:  # short
            if self.answer is not None or self.options:
                raise ValueError("简答题不写 answer 和 options,请写 model_answer 和 key_points")
            if not self.model_answer.strip():
                raise ValueError("简答题缺少 model_answer(参考答案)")
            if not 4 <= len(self.key_points) <= 6:
                raise ValueError("简答题应有 4–6 条评分要点 key_points")
        return self

    @property
    def correct_letters(self) -> list[str]:
        return list(self.answer) if isinstance(self.answer, str) else []


class Model(SeedFile):
    questions: list[Question]

    @model_validator(mode="after")
    def _unique(self) -> "Model":
        seen: set[str] = set()
        for q in self.questions:
            if q.id in seen:
                raise ValueError(f"题目 id 重复:{q.id}")
            seen.add(q.id)
        stems: set[str] = set()
        for q in self.questions:
            if q.stem in stems:
                raise ValueError(f"题干重复:{q.id}")
            stems.add(q.stem)
        return self

    def of_kind(self, kind: str) -> list[Question]:
        return [q for q in self.questions if q.kind == kind]
