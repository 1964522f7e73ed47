"""Is a trainee's feedback still true? Grades fingerprints, stale-feedback detection, late exams at 0.

:func:`grades_fingerprint` hashes every grade and comment of one submitted notebook (auto, manual,
extra credit, comment text, late penalty). :class:`kefu.grading.teach.TeachingFeedback` writes it into
the feedback page (``data-kefu-grades``); :func:`stale_feedback` recomputes it from the gradebook and
lists the feedback files whose grades changed since (a grader edited a score or comment after the
feedback was generated) or that are missing. ``kefu feedback`` regenerates exactly those.

:func:`sync_late_exams`: nbgrader computes the late penalty at autograde time, capped at the
autograded score, so manual points added later would show through for a late exam. The kit's rule
(seeds/exam.yml, autograde/late_plugin.py) is that a late exam scores 0: this sets each late exam
notebook's ``late_submission_penalty`` to its whole score (grades themselves are untouched), so
nbgrader's feedback header and kefu's gradebook agree.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

FINGERPRINT_ATTR = "data-kefu-grades"
_FP_RE = re.compile(FINGERPRINT_ATTR + r'="([0-9a-f]{16})"')


def _gradebook(course: Path):
    from nbgrader.api import Gradebook

    from kefu.cohort.config import load_config

    cfg = load_config(course)
    return Gradebook(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id)


def fingerprint_notebook(nb: Any) -> str:
    """Hash of one ``nbgrader.api.SubmittedNotebook``'s grades and comments."""
    parts = []
    for g in sorted(nb.grades, key=lambda g: g.name):
        parts.append(f"g|{g.name}|{g.auto_score}|{g.manual_score}|{g.extra_credit}")
    for c in sorted(nb.comments, key=lambda c: c.name):
        parts.append(f"c|{c.name}|{c.manual_comment}")
    parts.append(f"late|{nb.late_submission_penalty}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]


def grades_fingerprint(db_url: str, course_id: str, assignment: str, notebook: str, student: str) -> str | None:
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url, course_id) as gb:
        try:
            nb = gb.find_submission_notebook(notebook, assignment, student)
        except MissingEntry:
            return None
        return fingerprint_notebook(nb)


def notebook_grades(course: Path, assignment: str, student: str,
                    notebook: str | None = None) -> dict[str, dict[str, Any]] | None:
    """{grade_id: {score, auto_score, manual_score, max_score, comment}} of one submission (None: none)."""
    from nbgrader.api import MissingEntry

    with _gradebook(course) as gb:
        try:
            nb = gb.find_submission_notebook(notebook or assignment, assignment, student)
        except MissingEntry:
            return None
        comments = {c.name: c.comment for c in nb.comments}
        return {g.name: {"score": g.score, "auto_score": g.auto_score, "manual_score": g.manual_score,
                         "max_score": g.max_score, "comment": comments.get(g.name)} for g in nb.grades}


def feedback_fingerprint(path: Path) -> str | None:
    try:
        m = _FP_RE.search(path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return None
    return m.group(1) if m else None


def stale_feedback(course: Path, assignment: str) -> list[tuple[str, str]]:
    """[(student, why)] for every autograded submission of ``assignment`` whose feedback is missing
    or was generated before its grades last changed."""
    from kefu.cohort.config import load_config

    course = Path(course).resolve()
    cfg = load_config(course)
    fb_root = course / cfg.CourseDirectory.get("feedback_directory", "feedback")
    out: list[tuple[str, str]] = []
    with _gradebook(course) as gb:
        try:
            subs = gb.assignment_submissions(assignment)
        except Exception:  # noqa: BLE001 - unknown assignment: nothing graded
            return []
        for sub in subs:
            for nb in sub.notebooks:
                page = fb_root / sub.student.id / assignment / f"{nb.name}.html"
                if not page.is_file():
                    out.append((sub.student.id, "还没有反馈"))
                elif feedback_fingerprint(page) != fingerprint_notebook(nb):
                    out.append((sub.student.id, "生成反馈后成绩或评语有改动"))
    return sorted(set(out))


def sync_late_exams(course: Path, assignment: str | None = None) -> list[tuple[str, str]]:
    """Late exam submissions → penalty = whole score (so they show 0). Returns [(student, assignment)] changed."""
    from kefu.seeds import load

    exam = load("exam.yml")
    exams = {exam.theory.assignment_id, exam.theory.retake_assignment_id, exam.practical.assignment_id}
    if assignment is not None:
        exams &= {assignment}
    changed = []
    with _gradebook(course) as gb:
        for aid in sorted(exams):
            try:
                subs = gb.assignment_submissions(aid)
            except Exception:  # noqa: BLE001 - the exam is not in this gradebook yet
                continue
            for sub in subs:
                if not (sub.total_seconds_late or 0) > 0:
                    continue
                for nb in sub.notebooks:
                    whole = float(nb.score or 0)
                    if (nb.late_submission_penalty or 0) != whole:
                        nb.late_submission_penalty = whole
                        changed.append((sub.student.id, aid))
        if changed:
            gb.db.commit()
    return changed
