"""Exam policy (seeds/exam.yml): theory first attempt and retake, practical, certification.

Pure functions over plain values, so every rule can be tested without nbgrader. Statuses:
theory ``not_taken | passed | retake_due | retake_passed | failed_retrain``; practical
``not_taken | passed | failed``; overall ``certified | retrain | practical_failed | in_progress`` from the
exams, and ``practice_pending`` (both exams passed, coached practice not done) added by readiness.py.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

THEORY_STATUSES = ("not_taken", "passed", "retake_due", "retake_passed", "failed_retrain")
PRACTICAL_STATUSES = ("not_taken", "passed", "failed")
OVERALL_STATUSES = ("certified", "practice_pending", "retrain", "practical_failed", "in_progress")

# Display labels. The certification label itself comes from seeds/exam.yml (certification.label).
THEORY_LABELS = {
    "not_taken": "未参加",
    "passed": "首考通过",
    "retake_due": "待补考",
    "retake_passed": "补考通过",
    "failed_retrain": "补考未过·需重新培训",
}
PRACTICAL_LABELS = {"not_taken": "未参加", "passed": "通过", "failed": "未通过"}


def overall_label(status: str) -> str:
    from kefu.seeds import load

    return {
        "certified": load("exam.yml").certification.label,
        "practice_pending": "考核已过·试接未完成",
        "retrain": "需重新培训",
        "practical_failed": "实操未通过",
        "in_progress": "培训中",
    }[status]


@dataclass
class Attempt:
    """One graded (or collected) exam submission."""

    assignment: str
    score: float | None
    max_score: float | None = None
    submitted_at: dt.datetime | None = None  # aware, or naive UTC as nbgrader stores it
    needs_manual_grade: bool = False
    late: bool = False
    extra: dict = field(default_factory=dict)

    def as_dict(self, tz: dt.tzinfo | None = None) -> dict:
        when = local_time(self.submitted_at, tz) if self.submitted_at else None
        return {
            "assignment": self.assignment,
            "score": None if self.score is None else round(float(self.score), 2),
            "submitted_at": when.isoformat() if when else None,
            "needs_manual_grade": self.needs_manual_grade,
        }


def _rules():
    from kefu.seeds import load

    return load("exam.yml")


def local_time(when: dt.datetime, tz: dt.tzinfo | None) -> dt.datetime:
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(tz) if tz else when


def passed(score: float | None, pass_score: float) -> bool:
    return score is not None and score + 1e-9 >= pass_score


def theory_status(first: Attempt | None, retake: Attempt | None, rules=None) -> str:
    """``rules``: seeds/exam.yml's model, when the caller has it at hand (saves a lookup per trainee)."""
    rules = (rules or _rules()).theory
    if first is None or first.score is None:
        return "not_taken"
    if passed(first.score, rules.pass_score):
        return "passed"
    if retake is None or retake.score is None or rules.retakes_allowed < 1:
        return "retake_due" if rules.retakes_allowed >= 1 else "failed_retrain"
    return "retake_passed" if passed(retake.score, rules.pass_score) else "failed_retrain"


def practical_status(score: float | None, rules=None) -> str:
    if score is None:
        return "not_taken"
    return "passed" if passed(score, (rules or _rules()).practical.pass_score) else "failed"


def overall_status(theory: str, practical: str, rules=None) -> str:
    need = set((rules or _rules()).certification.requires)
    theory_ok = theory in ("passed", "retake_passed")
    practical_ok = practical == "passed"
    if ("theory" not in need or theory_ok) and ("practical" not in need or practical_ok):
        return "certified"
    if theory == "failed_retrain":
        return "retrain"
    if practical == "failed":
        return "practical_failed"
    return "in_progress"


class RetakeRefused(Exception):
    """A retake that the policy does not accept; the message is Chinese and says why."""


def check_retake(
    trainee: str,
    first: Attempt | None,
    when: dt.datetime,
    *,
    retakes_taken: int = 0,
    tz: dt.tzinfo | None = None,
) -> None:
    """Raise :class:`RetakeRefused` unless a retake submitted at ``when`` is allowed.

    Allowed only when the first attempt is graded and failed, at most ``retakes_allowed`` retakes,
    and at least ``retake_min_days`` calendar days after the first attempt (in the cohort's time zone).
    """
    rules = _rules().theory
    if first is None or first.submitted_at is None:
        raise RetakeRefused(f"学员 {trainee}: 还没有参加首次理论考核({rules.assignment_id}),不能补考")
    if first.needs_manual_grade or first.score is None:
        raise RetakeRefused(f"学员 {trainee}: 首次理论考核还没有阅卷完成,阅卷后才能确定是否需要补考")
    if passed(first.score, rules.pass_score):
        raise RetakeRefused(
            f"学员 {trainee}: 首次理论考核已通过({first.score:g} 分,合格线 {rules.pass_score:g} 分),无需补考"
        )
    if retakes_taken >= rules.retakes_allowed:
        raise RetakeRefused(
            f"学员 {trainee}: 补考只允许 {rules.retakes_allowed} 次,已经补考过;{rules.failed_retake_means}"
        )
    first_day = local_time(first.submitted_at, tz).date()
    day = local_time(when, tz).date()
    earliest = first_day + dt.timedelta(days=rules.retake_min_days)
    if day < earliest:
        raise RetakeRefused(
            f"学员 {trainee}: 补考须在首次考试({first_day.isoformat()})至少 {rules.retake_min_days} 天之后进行,"
            f"最早 {earliest.isoformat()};本次提交日期 {day.isoformat()},未被接受"
        )
