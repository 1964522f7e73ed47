"""Self-check for trainee notebooks, like Otter-Grader's ``grader.check``.

The set-up cell of a chapter assignment creates a checker from the *visible* rules of each
question (which variables, how many items, which values are allowed)::

    from kefu.selfcheck import Checker
    check = Checker("ch06-tickets", {"q1": {"vars": {"q1_type": {"count": 4, "allowed": [...]}}}})

and the trainee runs ``check("q1")`` to hear, in Chinese, whether the answer is complete and well
formed. It never knows the answer key. Creating the checker installs :mod:`kefu.inputfix` (Chinese
quotes and full-width punctuation accepted in answer cells, Chinese error explanations).

A blank or malformed answer makes ``check`` raise :class:`kefu.inputfix.AnswerNotReady` (a Chinese
error output, no traceback): the visible part of every test cell is ``check("qN")``, so nbgrader's
Validate fails exactly when ``check`` finds a problem. Before raising, ``check`` hands the question's
answer values over as data (:func:`kefu.answers.payload`, the same payload the hidden part would emit),
so under autograde the trusted scorer still marks what was answered: raising never changes a score. It is switched off in exams: when ``exam=True``, when the
assignment id is one of the exam ids in seeds/exam.yml, or when ``KEFU_EXAM=1`` is set.

Kinds of variable rule:
- ``{"kind": "letters", "count": n, "allowed": "ABCD"}`` — a list of n letters (ordering: ``"unique": true``);
- ``{"kind": "texts", "count": n, "allowed": [...]}`` — a list of n texts (optionally from a set);
- ``{"kind": "text"}`` — one non-empty text; ``{"kind": "number"}`` — a number;
- ``{"kind": "numbers", "keys": [...]}`` — a dict of numbers with exactly these keys.
"""
from __future__ import annotations

import numbers
import os
import sys
from typing import Any

from .authoring.marking import as_list, norm_letter, norm_text

_MISSING = object()


def exam_ids() -> set[str]:
    """Assignment ids of the exams, from seeds/exam.yml (empty when seeds/ is not available)."""
    try:
        from kefu.seeds import load

        exam = load("exam.yml")
    except Exception:
        return set()
    ids = set()
    for part, names in (("theory", ("assignment_id", "retake_assignment_id")), ("practical", ("assignment_id",))):
        obj = getattr(exam, part, None)
        for name in names:
            value = getattr(obj, name, None)
            if value:
                ids.add(str(value))
    return ids


def is_exam(assignment_id: str, exam: bool = False) -> bool:
    if exam or os.environ.get("KEFU_EXAM", "").strip() in {"1", "true", "yes"}:
        return True
    return assignment_id in exam_ids()


class Checker:
    """``check = Checker(assignment_id, rules)``; then ``check("q1")`` or ``check()`` for all."""

    def __init__(self, assignment_id: str, rules: dict[str, dict[str, Any]], *, exam: bool = False):
        self.assignment_id = assignment_id
        self.rules = rules
        self.disabled = is_exam(assignment_id, exam)
        from .inputfix import install

        install()

    def __repr__(self) -> str:  # shown if a trainee evaluates ``check`` alone
        return "自查工具:运行 check(\"题号\"),例如 check(\"q1\")"

    def __call__(self, question: str | None = None, namespace: dict[str, Any] | None = None) -> None:
        if self.disabled:
            print("考试中不提供自查功能,请仔细检查后提交。")
            return None
        ns = namespace if namespace is not None else sys._getframe(1).f_globals
        names = [question] if question else list(self.rules)
        failed: list[str] = []
        for q in names:
            if q not in self.rules:
                print(f"没有题目 {q!r}。可以自查的题目:{'、'.join(self.rules)}")
                continue
            problems = self.problems(q, ns)
            label = f"第 {q[1:]} 题" if q[:1] == "q" and q[1:].isdigit() else q
            if problems:
                failed.append(f"{label}还需要修改:\n" + "\n".join(f"  • {p}" for p in problems))
                if question:
                    _hand_over(tuple(self.rules[q].get("vars", {})), ns)
            else:
                print(f"{label}格式正确,已经全部作答(自查只检查格式,不代表答案正确)。")
        if failed:
            from .inputfix import AnswerNotReady

            raise AnswerNotReady("\n".join(failed) + "\n改好后先运行作答单元格,再运行这一格。")
        return None

    def problems(self, question: str, ns: dict[str, Any]) -> list[str]:
        out: list[str] = []
        for var, rule in self.rules[question].get("vars", {}).items():
            value = ns.get(var, _MISSING)
            if value is _MISSING:
                out.append(f"还没有定义 {var}:请先运行上面的作答单元格。")
                continue
            out += [f"{var}:{p}" for p in check_value(value, rule)]
        return out


def _hand_over(names: tuple[str, ...], ns: dict[str, Any]) -> None:
    """Show the answers payload (as the hidden part of the test cell would) before ``check`` raises."""
    if not names:
        return
    from .answers import MIME, payload

    try:
        from IPython.display import display
    except ImportError:  # plain Python: nothing to hand over to
        return
    display({MIME: payload(names, ns), "text/plain": ""}, raw=True)


def _allowed_text(allowed: Any) -> str:
    return "、".join(str(a) for a in allowed)


def check_value(value: Any, rule: dict[str, Any]) -> list[str]:
    """Problems with one answer variable (Chinese), empty when well formed and complete."""
    kind = rule.get("kind", "text")
    allowed = rule.get("allowed")
    if kind in ("letters", "texts"):
        if not isinstance(value, (list, tuple)):
            return ["应是一个列表,例如 [\"A\", \"B\"]:保留方括号和引号,只在引号里填写。"]
        out = []
        count = rule.get("count")
        if count is not None and len(value) != count:
            out.append(f"应有 {count} 项,现在有 {len(value)} 项。")
        normed = [norm_letter(v) if kind == "letters" else norm_text(v) for v in value]
        for i, v in enumerate(normed, 1):
            if not v:
                out.append(f"第 {i} 项还没有填写。")
            elif allowed is not None and v not in [norm_letter(a) if kind == "letters" else norm_text(a) for a in allowed]:
                out.append(f"第 {i} 项“{value[i - 1]}”不是可选的答案,请从 {_allowed_text(allowed)} 中选。")
        if rule.get("unique") and len(set(v for v in normed if v)) < len([v for v in normed if v]):
            out.append("有重复的字母:每个步骤只能出现一次。")
        return out
    if kind == "text":
        if not isinstance(value, str):
            return ["应是一段文字,写在引号里。"]
        return [] if value.strip() else ["还没有填写。"]
    if kind == "number":
        return [] if _is_number(value) else ["应是一个数字(不要加引号和单位)。"]
    if kind == "numbers":
        if not isinstance(value, dict):
            return ["应保留花括号 { } 的格式,只修改冒号后面的数字。"]
        out = []
        for key in rule.get("keys", []):
            if key not in value:
                out.append(f"缺少项目 {key}。")
            elif not _is_number(value[key]):
                out.append(f"{key} 后面应是数字。")
        extra = [k for k in value if k not in rule.get("keys", [])]
        if extra:
            out.append(f"多了不认识的项目:{_allowed_text(extra)}。")
        return out
    return []


def _is_number(value: Any) -> bool:
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, numbers.Real):
        return value == value  # not NaN
    return False


__all__ = ["Checker", "check_value", "exam_ids", "is_exam", "as_list"]
