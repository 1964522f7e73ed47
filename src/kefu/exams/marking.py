"""Marking helpers called by the exams' hidden tests, in the grader's kernel at autograde time.

Kept free of heavy imports (no pydantic, no seeds): a hidden test does
``from kefu.exams.marking import mark_single`` and ends with the call, so the cell's last
output is the points earned, which nbgrader takes as the (partial) score of the test cell.
The correct answers are written in the hidden tests themselves (stripped from the release);
nothing in this module knows any answer.

Accepted answer forms (trainees are not programmers):
- choice: ``"B"``, ``"b"``, ``" B "``, ``"Ｂ"``, ``["A", "C"]``, ``"AC"``, ``"A,C"``, ``"A、C"``;
- true/false: 对/錯/√/×/✓/✗/T/F/true/false/正确/錯誤/是/否 (any case, simplified or traditional), or a bool.
"""
from __future__ import annotations

import re
import unicodedata

TRUE_WORDS = {"对", "對", "√", "✓", "✔", "t", "true", "正确", "正確", "是", "y", "yes"}
FALSE_WORDS = {"错", "錯", "×", "✗", "✘", "x", "f", "false", "错误", "錯誤", "否", "n", "no"}
PARTIAL_RULES = ("all_or_half",)


class AnswerFormatError(ValueError):
    """The trainee's answer could not be read; the message is Chinese and says how to write it."""


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def parse_choice(value: object) -> list[str]:
    """Option letters the trainee chose, upper-case, sorted, without repeats."""
    if isinstance(value, (list, tuple, set)):
        parts = [str(v) for v in value]
    elif isinstance(value, str):
        parts = [value]
    else:
        raise AnswerFormatError("答案应写在引号里,例如 \"B\",多选题写成 [\"A\", \"C\"]")
    letters: list[str] = []
    for part in parts:
        text = _clean(part).upper()
        text = re.sub(r"[\s,,、;;/和及]+", "", text)
        for ch in text:
            if not ("A" <= ch <= "Z"):
                raise AnswerFormatError(f"“{part}”里有不是选项字母的字符“{ch}”")
            letters.append(ch)
    return sorted(set(letters))


def parse_truefalse(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if not isinstance(value, str):
        raise AnswerFormatError("判断题请在引号里写“对”或“错”(也可写 √ / ×)")
    text = _clean(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise AnswerFormatError(f"看不懂“{value}”:判断题请写“对”或“错”(也可写 √ / ×)")


def score_single(value: object, key: str) -> float:
    """Fraction (0 or 1) of the points a single-choice answer earns."""
    chosen = parse_choice(value)
    return 1.0 if chosen == [key.upper()] else 0.0


def score_multiple(value: object, key: str, rule: str = "all_or_half") -> float:
    """Fraction of the points a multiple-choice answer earns under ``rule`` (see exam.yml).

    ``all_or_half``: exactly the right set → 1; some of the right options and no wrong one → 1/2;
    any wrong option, or nothing chosen → 0.
    """
    if rule not in PARTIAL_RULES:
        raise ValueError(f"未知的多选题评分规则 {rule!r}(可用:{', '.join(PARTIAL_RULES)})")
    chosen = set(parse_choice(value))
    right = set(key.upper())
    if not chosen or chosen - right:
        return 0.0
    if chosen == right:
        return 1.0
    return 0.5


def score_truefalse(value: object, key: bool) -> float:
    return 1.0 if parse_truefalse(value) == key else 0.0


def _report(label: str, fraction: float, points: float) -> float:
    earned = round(fraction * points, 2)
    if fraction >= 1:
        verdict = "正确"
    elif fraction > 0:
        verdict = "部分正确"
    else:
        verdict = "不正确"
    print(f"{label}:{verdict},得 {earned:g} 分(满分 {points:g} 分)")
    return earned


def _safe(label: str, points: float, fn, *args) -> float:
    try:
        fraction = fn(*args)
    except AnswerFormatError as exc:
        print(f"{label}:答案格式无法识别({exc}),得 0 分(满分 {points:g} 分)")
        return 0.0
    return _report(label, fraction, points)


def mark_single(value: object, key: str, points: float = 1.0, label: str = "本题") -> float:
    return _safe(label, points, score_single, value, key)


def mark_multiple(
    value: object, key: str, points: float = 2.0, rule: str = "all_or_half", label: str = "本题"
) -> float:
    return _safe(label, points, score_multiple, value, key, rule)


def mark_truefalse(value: object, key: bool, points: float = 1.0, label: str = "本题") -> float:
    return _safe(label, points, score_truefalse, value, key)


# ------------------------------------------------------------------ practical exam: ticket record
def _to_simplified(text: str) -> str:
    try:
        from opencc import OpenCC
    except ImportError:  # pragma: no cover - opencc is a dependency of the kit
        return text
    return OpenCC("t2s").convert(text)


def _norm_text(value: object) -> str:
    return _to_simplified(_clean(str(value or ""))).lower()


def _norm_label(value: object) -> str:
    text = re.sub(r"\s+", "", _norm_text(value))
    return text.removesuffix("类").removesuffix("级").removesuffix("优先")


def _groups_hit(text: str, groups: list[list[str]]) -> int:
    return sum(1 for group in groups if any(_norm_text(word) in text for word in group))


def score_ticket(record: object, expected: dict, fields: list[str]) -> dict[str, float]:
    """Fraction earned per field of a ticket record (``{"类型": ..., "优先级": ..., "摘要": ...,
    "跟进承诺": ...}``; ``fields`` names the four keys in that order). Type and priority must match;
    summary and follow-up earn the share of expected keyword groups they mention."""
    if not isinstance(record, dict):
        raise AnswerFormatError("工单应是花括号里的四项:类型、优先级、摘要、跟进承诺")
    f_type, f_prio, f_summary, f_follow = fields
    out = {
        f_type: 1.0 if _norm_label(record.get(f_type)) == _norm_label(expected["type"]) else 0.0,
        f_prio: 1.0 if _norm_label(record.get(f_prio)) == _norm_label(expected["priority"]) else 0.0,
    }
    for field, groups in ((f_summary, expected["summary_keywords"]), (f_follow, expected["follow_up_keywords"])):
        text = _norm_text(record.get(field))
        out[field] = round(_groups_hit(text, groups) / len(groups), 4) if text.strip() else 0.0
    return out


def mark_ticket(record: object, expected: dict, fields: list[str], points_per_field: float = 1.0,
                label: str = "工单") -> float:
    try:
        parts = score_ticket(record, expected, fields)
    except AnswerFormatError as exc:
        print(f"{label}:{exc},得 0 分")
        return 0.0
    total = 0.0
    for field, frac in parts.items():
        pts = round(frac * points_per_field, 2)
        total += pts
        print(f"{label} · {field}:得 {pts:g} 分(满分 {points_per_field:g} 分)")
    total = round(total, 2)
    print(f"{label}合计:{total:g} 分")
    return total
