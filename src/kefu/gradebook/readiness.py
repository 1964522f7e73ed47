"""可上岗 also needs the two weeks of coached practice (seeds/exam.yml certification.requires: practice).

The exams decide ``certified | retrain | practical_failed | in_progress`` (policy.overall_status); this
step then holds back a trainee who passed both exams but whose coached practice — the trial phase (试接)
and the days practised, by the rule in seeds/programme.yml — is not done yet: ``practice_pending``.
Kept apart from the exam reading so that the SQL and ORM readings of nbgrader's database stay
comparable one to one, and so kefu.practice (a lower layer) never needs the gradebook.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

NO_RECORDS = "还没有跟踪辅导的练习记录(kefu practice record)"


def apply_practice(report: dict[str, Any], course_dir: str | Path, rules: Any = None) -> dict[str, Any]:
    """Adds each trainee's ``practice`` (ready, reasons, trial) and demotes ``certified`` to
    ``practice_pending`` where the practice is not done. Returns the same report."""
    if rules is None:
        from kefu.seeds import load

        rules = load("exam.yml")
    if "practice" not in rules.certification.requires:
        return report
    from kefu.practice import practice_status

    status = practice_status(course_dir, [t["id"] for t in report["trainees"]])
    for t in report["trainees"]:
        p = status.get(t["id"]) or {"ready": False, "reasons": [NO_RECORDS], "trial_passed": False,
                                     "trial_mean": None, "days_practised": 0}
        t["practice"] = p
        if t["status"] == "certified" and not p["ready"]:
            t["status"] = "practice_pending"
    return report
