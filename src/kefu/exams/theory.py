"""Theory exam papers: ``theory-exam`` and its retake ``theory-retake`` from seeds/question_bank.yml.

Selection: for each section of the blueprint (seeds/exam.yml) the bank's questions of that kind
are shuffled per topic with the seed, interleaved topic by topic, and dealt alternately to the
two forms — so both forms cover the topics evenly and never share a question. Options are
shuffled per question and form with the seed. Same seed → byte-identical notebooks and keys.

Answers are typed into code cells (``qNN = "B"``, ``qNN = ["A", "C"]``, ``qNN = "对"``); the
template line stays in the release, the answer between the SOLUTION markers does not. Hidden
tests only hand the answer over as data (:mod:`kefu.answers`); the marking call with the key
(:mod:`kefu.exams.marking`) is a ``grading`` entry of the _keys file, run by the grader's own
process (:mod:`kefu.autograde.trusted`). The visible part of each test cell only checks that the
question is answered (:mod:`kefu.exams.answered`), so nbgrader's Validate names the unanswered
questions. Short answers are markdown cells graded by hand; the model answer and key points are
inside the SOLUTION block (instructor copy) and in the _keys file.
"""
from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from typing import Any

from ..authoring import cells as C
from ..authoring.grading import compile_call, emit_source
from .answered import visible_source

LETTERS = string.ascii_uppercase
FORMS = ("exam", "retake")


class ExamBuildError(Exception):
    """The bank or blueprint cannot produce the papers; the message is Chinese."""


@dataclass
class Item:
    """One question as it appears on one paper."""

    number: int
    grade_id: str
    section: Any  # exam.yml Section
    question: Any  # question_bank Question
    options: list[str] = field(default_factory=list)
    key: str | bool | None = None  # re-lettered choice key, or bool for true/false


def _interleave(questions: list, topics: list[str], rng_seed: str) -> list:
    groups: dict[str, list] = {}
    for q in questions:
        groups.setdefault(q.topic, []).append(q)
    order = [t for t in topics if t in groups] + sorted(t for t in groups if t not in topics)
    for t in order:
        random.Random(f"{rng_seed}:{t}").shuffle(groups[t])
    out: list = []
    while any(groups[t] for t in order):
        for t in order:
            if groups[t]:
                out.append(groups[t].pop(0))
    return out


def select(bank, theory, seed: int) -> dict[str, list[tuple[Any, list]]]:
    """``{"exam": [(section, questions)], "retake": [...]}`` following the blueprint."""
    unknown = sorted({q.topic for q in bank.questions} - set(theory.topics))
    if unknown:
        raise ExamBuildError(
            f"question_bank.yml: 题目的 topic {', '.join(unknown)} 不在 exam.yml 的 topics 中"
        )
    forms: dict[str, list[tuple[Any, list]]] = {f: [] for f in FORMS}
    for section in theory.sections:
        pool = _interleave(bank.of_kind(section.kind), list(theory.topics), f"{seed}:{section.id}")
        need = 2 * section.count
        if len(pool) < need:
            raise ExamBuildError(
                f"question_bank.yml: {section.title}({section.kind})只有 {len(pool)} 题,"
                f"正考和补考各需 {section.count} 题且不能重复,至少需要 {need} 题"
            )
        forms["exam"].append((section, pool[0::2][: section.count]))
        forms["retake"].append((section, pool[1::2][: section.count]))
    return forms


def shuffle_options(question, seed: int, form: str) -> tuple[list[str], str]:
    order = list(range(len(question.options)))
    random.Random(f"{seed}:{form}:{question.id}").shuffle(order)
    options = [question.options[i] for i in order]
    right = {LETTERS.index(c) for c in question.correct_letters}
    key = "".join(LETTERS[new] for new, old in enumerate(order) if old in right)
    return options, key


def items_for(form: str, chosen: list[tuple[Any, list]], seed: int) -> list[Item]:
    items: list[Item] = []
    n = 0
    for section, questions in chosen:
        for q in questions:
            n += 1
            item = Item(number=n, grade_id=f"q{n:02d}", section=section, question=q)
            if q.kind in ("single", "multiple"):
                item.options, item.key = shuffle_options(q, seed, form)
            elif q.kind == "truefalse":
                item.key = bool(q.answer)
            items.append(item)
    return items


# ------------------------------------------------------------------ answer sources
def _choice_src(gid: str, letters: str, multiple: bool) -> str:
    if multiple:
        return f"{gid} = [" + ", ".join(f'"{c}"' for c in letters) + "]"
    return f'{gid} = "{letters}"'


def _wrong_letters(item: Item) -> str:
    key = str(item.key)
    wrong = [c for c in LETTERS[: len(item.options)] if c not in key]
    if item.question.kind == "multiple":
        return key[0] + wrong[0]  # one right and one wrong option → 0 points
    return wrong[0]


def answer_variants(item: Item) -> dict[str, str]:
    """Cell sources for simulated trainees: correct, partial, wrong (see expected_scores)."""
    gid, kind = item.grade_id, item.question.kind
    if kind == "single":
        return {
            "correct": _choice_src(gid, str(item.key), False),
            "partial": f'{gid} = " {str(item.key).lower()} "',  # sloppy but right: full marks
            "wrong": _choice_src(gid, _wrong_letters(item), False),
        }
    if kind == "multiple":
        key = str(item.key)
        return {
            "correct": _choice_src(gid, key, True),
            "partial": _choice_src(gid, key[:-1], True),  # right but incomplete: half marks
            "wrong": _choice_src(gid, _wrong_letters(item), True),
        }
    right, wrong = ("对", "错") if item.key else ("错", "对")
    symbol = {"对": "√", "错": "×"}[right]
    return {
        "correct": f'{gid} = "{right}"',
        "partial": f'{gid} = "{symbol}"',  # the same answer as a symbol: full marks
        "wrong": f'{gid} = "{wrong}"',
    }


def expected_scores(item: Item, rule: str) -> dict[str, float]:
    from .marking import score_multiple, score_single, score_truefalse

    pts = float(item.section.points_each)
    out = {"points": pts}
    for variant, src in answer_variants(item).items():
        scope: dict[str, Any] = {}
        exec(src, {}, scope)  # noqa: S102 — our own generated one-line assignment
        value = scope[item.grade_id]
        if item.question.kind == "single":
            frac = score_single(value, str(item.key))
        elif item.question.kind == "multiple":
            frac = score_multiple(value, str(item.key), rule)
        else:
            frac = score_truefalse(value, bool(item.key))
        out[variant] = round(frac * pts, 2)
    return out


# ------------------------------------------------------------------ cells
def _template(item: Item) -> str:
    gid, kind = item.grade_id, item.question.kind
    if kind == "single":
        return f'# 第 {item.number} 题(单选):在引号里填一个选项字母\n{gid} = ""'
    if kind == "multiple":
        return (f'# 第 {item.number} 题(多选):在方括号里填所有正确选项,每个字母加引号、用逗号隔开\n'
                f'{gid} = []')
    return f'# 第 {item.number} 题(判断):在引号里填“对”或“错”\n{gid} = ""'


def _hidden_test(item: Item, rule: str) -> str:
    gid, pts, kind = item.grade_id, float(item.section.points_each), item.question.kind
    label = f"第 {item.number} 题"
    if kind == "single":
        call = f'mark_single({gid}, "{item.key}", points={pts:g}, label="{label}")'
        name = "mark_single"
    elif kind == "multiple":
        call = f'mark_multiple({gid}, "{item.key}", points={pts:g}, rule="{rule}", label="{label}")'
        name = "mark_multiple"
    else:
        call = f'mark_truefalse({gid}, {bool(item.key)}, points={pts:g}, label="{label}")'
        name = "mark_truefalse"
    return f"from kefu.exams.marking import {name}\n{call}"


def _question_md(item: Item) -> str:
    q = item.question
    pts = float(item.section.points_each)
    head = f"**{item.number}.** {q.stem}({pts:g} 分)"
    if q.kind in ("single", "multiple"):
        opts = "\n".join(f"- {LETTERS[i]}. {o}" for i, o in enumerate(item.options))
        return f"{head}\n\n{opts}"
    return head


def _short_solution(q) -> str:
    points = "\n".join(f"{i}. {p}" for i, p in enumerate(q.key_points, 1))
    return f"【参考答案】{q.model_answer}\n\n【评分要点】\n{points}"


def grading_entries(items: list[Item], rule: str) -> dict[str, dict[str, Any]]:
    """{test grade id: grading entry} for the keys file (the marking call as data)."""
    return {f"{i.grade_id}-check": compile_call(_hidden_test(i, rule), float(i.section.points_each))
            for i in items if i.question.kind != "short"}


def notebook_cells(form_id: str, title: str, items: list[Item], theory, intro: str, howto: str) -> list:
    rule = theory.multiple_choice_partial_credit.rule
    cells = [C.locked_markdown(intro, f"{form_id}-intro"), C.locked_markdown(howto, f"{form_id}-howto"),
             C.locked_code(C.INPUT_SETUP, f"{form_id}-setup")]
    current = None
    for item in items:
        sec = item.section
        if sec.id != current:
            current = sec.id
            cells.append(C.locked_markdown(
                f"## {sec.title}(共 {sec.count} 题,每题 {float(sec.points_each):g} 分)", f"section-{sec.id}"
            ))
        cells.append(C.locked_markdown(_question_md(item), f"{item.grade_id}-text"))
        if item.question.kind == "short":
            answer = C.manual_markdown(item.grade_id, _short_solution(item.question), points=float(sec.points_each))
            # kept in the release above the text stub: nbgrader's Validate lists an untouched written
            # answer by its source, so the trainee sees which question it is
            answer.source = f"**第 {item.number} 题(简答)作答:**\n" + answer.source
            cells.append(answer)
            continue
        solution = answer_variants(item)["correct"]
        cells.append(C.answer_code(item.grade_id, solution, before=_template(item)))
        cells.append(C.test_code(
            f"{item.grade_id}-check",
            f"# 第 {item.number} 题的评分在交卷后进行,考试中不显示对错。\n"
            + visible_source(item.grade_id, item.question.kind, f"第 {item.number} 题", options=len(item.options)),
            emit_source([item.grade_id]),
            points=float(sec.points_each),
        ))
    cells.append(C.locked_markdown(
        "---\n**答完了吗?** 先保存(Ctrl+S),再检查每道选择题、判断题都填在引号或方括号里,"
        "可以点 Validate(验证)按钮查看还有哪些题没有作答(只查是否作答,不判断对错),"
        "然后点击 Submit 交卷。超过截止时间提交的试卷记 0 分(本套件规定)。",
        f"{form_id}-end",
    ))
    return cells
