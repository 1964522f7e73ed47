"""nbgrader late-submission plugin for kefu-kit: a late exam scores zero.

The 90-minute limit of the theory exam (and the practical exam's slot) is the assignment's due
date in the gradebook (set by ``kefu cohort release``). A submission whose timestamp is after
the due date gets a penalty equal to its whole score, so its final score is 0. Chapter
assignments are not exams: for them the stock ``penalty_method`` applies (default ``none``).

Configure it in the cohort's ``nbgrader_config.py``::

    import sys; sys.path.insert(0, "<kefu-kit checkout>/autograde")
    c.AssignLatePenalties.plugin_class = "late_plugin.LateExamZeroPlugin"

Note: nbgrader computes the penalty at autograde time and caps it at the score the notebook
has then (autograded marks). Manual points added later for a late exam are not covered by
nbgrader's penalty, so the gradebook report must also treat a late exam as 0
(``total_seconds_late > 0`` on an exam assignment) — :func:`is_late_exam` says which.
"""
from __future__ import annotations

from typing import Optional

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import List, Unicode, default


def exam_assignment_ids() -> list[str]:
    """The exam assignment ids, read from seeds/exam.yml."""
    from kefu.seeds import load

    exam = load("exam.yml")
    return [exam.theory.assignment_id, exam.theory.retake_assignment_id, exam.practical.assignment_id]


def is_late_exam(assignment_id: str, total_seconds_late: float) -> bool:
    return total_seconds_late > 0 and assignment_id in exam_assignment_ids()


class LateExamZeroPlugin(LateSubmissionPlugin):
    """Late exam → penalty = the whole score; other assignments → the stock behaviour."""

    exam_ids = List(Unicode(), help="Assignment ids scored zero when late (default: from exam.yml).").tag(
        config=True
    )

    @default("exam_ids")
    def _default_exam_ids(self) -> list[str]:
        return exam_assignment_ids()

    def late_submission_penalty(
        self, student_id: str, score: float, total_seconds_late: float
    ) -> Optional[float]:
        assignment = getattr(self.parent, "assignment_id", None)
        if total_seconds_late > 0 and assignment in self.exam_ids:
            minutes = total_seconds_late / 60
            self.log.warning(
                "%s 的 %s 超过截止时间 %.1f 分钟提交,按考试规则记 0 分", student_id, assignment, minutes
            )
            return score
        return super().late_submission_penalty(student_id, score, total_seconds_late)
