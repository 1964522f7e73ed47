"""Is the question answered? The completeness check that makes Validate fail on a blank exam paper.

Exams have no self-check (a trainee must not learn during the exam whether an answer is right), so
before this module nbgrader's Validate passed an exam whose choice answers were still the released
stub (``q01 = ""``). Now the visible part of every exam test cell is one call::

    from kefu.exams.answered import require_answer
    require_answer("q01", "single", options=4, label="第 1 题")

It looks at the trainee's answer variable and raises :class:`kefu.inputfix.AnswerNotReady` (a Chinese
error output without a traceback, naming the question) when it is missing, still blank, or of a form
the marker cannot read (a single-choice answer with two letters, a letter beyond the options, a
true/false answer that is neither 对 nor 错, a ticket record with an empty field). nbgrader's Validate
reports every test cell with an error, so it fails exactly on the unanswered questions.

What it may know and say: only what the released notebook already shows (the kind of question, how
many options it has, the ticket's field names). Nothing here knows a key, computes a score or says
whether an answer is right; the answer forms it accepts are those :mod:`kefu.exams.marking` reads,
so "answered" means "the marker can read it", never "correct". The kernel running it is the
trainee's (untrusted, bubblewrap in the lab, the grading sandbox at autograde): it reads no file and
no seed.

Scores do not change: before raising, the question's answers payload (:func:`kefu.answers.payload`,
exactly what the cell's hidden part would have emitted) is shown, so at autograde the trusted scorer
(:class:`kefu.autograde.trusted.TrustedScore`) marks the same values whether this check raised or not.
"""
from __future__ import annotations

import sys
from typing import Any, Sequence

from kefu.exams.marking import AnswerFormatError, parse_choice, parse_truefalse

KINDS = ("single", "multiple", "truefalse", "ticket")
KIND_NAMES = {"single": "单选", "multiple": "多选", "truefalse": "判断", "ticket": "工单"}
_MISSING = object()


def _letters_range(options: int) -> str:
    return "A" if options <= 1 else f"A–{chr(ord('A') + options - 1)}"


def _choice_problem(value: Any, kind: str, options: int) -> str | None:
    how = ("在引号里填一个选项字母" if kind == "single"
           else "在方括号里填选中的选项字母,每个字母加引号、用逗号隔开")
    if value is None or (isinstance(value, str) and not value.strip()) or \
            (isinstance(value, (list, tuple, set)) and not [v for v in value if str(v).strip()]):
        return f"还没有作答:{how}。"
    try:
        letters = parse_choice(value)
    except AnswerFormatError as exc:
        return f"答案的写法看不懂({exc}):{how}。"
    if not letters:
        return f"还没有作答:{how}。"
    if options:
        beyond = [c for c in letters if ord(c) - ord("A") >= options]
        if beyond:
            return f"本题只有 {_letters_range(options)} 这 {options} 个选项,没有 {'、'.join(beyond)}。"
    if kind == "single" and len(letters) > 1:
        return f"单选题只能填一个字母,现在填了 {'、'.join(letters)}。"
    return None


def _truefalse_problem(value: Any) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return "还没有作答:在引号里填“对”或“错”。"
    try:
        parse_truefalse(value)
    except AnswerFormatError:
        return "答案的写法看不懂:在引号里填“对”或“错”(也可以写 √ 或 ×)。"
    return None


def _ticket_problem(value: Any, fields: Sequence[str]) -> str | None:
    if not isinstance(value, dict):
        return "工单应保留花括号 { } 和四个项目的格式,只在引号里填写。"
    empty = [f for f in fields if not isinstance(value.get(f), str) or not value.get(f, "").strip()]
    if len(empty) == len(fields):
        return "还没有填写:每一项都在引号里写上内容。"
    if empty:
        return f"还有 {'、'.join(empty)} 没有填写(每一项都写在引号里)。"
    return None


def problem(value: Any, kind: str, options: int = 0, fields: Sequence[str] = ()) -> str | None:
    """Why ``value`` does not count as an answer yet (Chinese), or None when it is answered.
    Says nothing about whether the answer is right."""
    if kind in ("single", "multiple"):
        return _choice_problem(value, kind, options)
    if kind == "truefalse":
        return _truefalse_problem(value)
    if kind == "ticket":
        return _ticket_problem(value, fields)
    raise ValueError(f"unknown question kind {kind!r} (one of {', '.join(KINDS)})")


def _hand_over(name: str, ns: dict[str, Any]) -> None:
    """Show the answers payload the hidden part would emit, so raising never changes a score."""
    from kefu.answers import MIME, payload

    try:
        from IPython.display import display
    except ImportError:  # plain Python: no grader reads outputs here
        return
    display({MIME: payload((name,), ns), "text/plain": ""}, raw=True)


def require_answer(name: str, kind: str, options: int = 0, *, label: str = "", fields: Sequence[str] = (),
                   namespace: dict[str, Any] | None = None) -> None:
    """Raise :class:`kefu.inputfix.AnswerNotReady` naming ``label`` when the answer variable ``name``
    is missing, blank or unreadable; print a neutral line when it is answered."""
    ns = namespace if namespace is not None else sys._getframe(1).f_globals
    label = label or name
    value = ns.get(name, _MISSING)
    if value is _MISSING:
        why = f"找不到 {name}:请保留答题格里 {name} = … 这一行,写上答案后运行那一格。"
    else:
        why = problem(value, kind, options, fields)
    if why is None:
        print(f"{label}已作答。(这里只检查是否作答,不判断对错;评分在交卷后进行。)")
        return None
    from kefu.inputfix import AnswerNotReady

    _hand_over(name, ns)
    kind_name = KIND_NAMES.get(kind, "")
    raise AnswerNotReady(f"{label}{f'({kind_name})' if kind_name and kind != 'ticket' else ''}{why}"
                         "\n改好后运行答题格,再运行这一格。(只检查是否作答,不判断对错。)")


def visible_source(name: str, kind: str, label: str, *, options: int = 0, fields: Sequence[str] = ()) -> str:
    """The visible lines of an exam test cell that call :func:`require_answer` (used by the builders)."""
    if kind not in KINDS:
        raise ValueError(f"unknown question kind {kind!r}")
    args = [f'"{name}"', f'"{kind}"']
    if options:
        args.append(f"options={int(options)}")
    if fields:
        args.append("fields=[" + ", ".join(f'"{f}"' for f in fields) + "]")
    args.append(f'label="{label}"')
    what = "这张工单是否每一项都已填写" if kind == "ticket" else "本题是否已经作答、写法能否读懂"
    return (f"# 下面一行只检查{what},不判断对错;按“验证(Validate)”时每道题都做这项检查。\n"
            "from kefu.exams.answered import require_answer\n"
            f"require_answer({', '.join(args)})")


__all__ = ["KINDS", "problem", "require_answer", "visible_source"]
