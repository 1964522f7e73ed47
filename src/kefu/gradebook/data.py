"""Read a cohort's nbgrader gradebook into kefu's report: per trainee theory attempts and status,
practical score, dimensions and status, chapter progress, late work, grader comments, weak areas and
the overall certification status; plus the theory exam's item analysis.

``build_report(course_dir)`` returns ``{"trainees": [...], "cohort": {...}, "items": [...]}``; the JSON
format of ``kefu gradebook`` prints the ``trainees`` part exactly as the issue specifies. The numbers
come from a few set-based SQL queries (:mod:`kefu.gradebook.sql`), never from nbgrader's per-object ORM.
"""
from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import ZoneInfo

from .items import item_analysis, question_info, sample_note
from .policy import (
    OVERALL_STATUSES,
    Attempt,
    overall_status,
    practical_status,
    theory_status,
)

__all__ = ["build_report", "item_analysis", "summary", "attempt_from_submission", "final_raw_score"]


def _scale(score: float, max_score: float, total: float) -> float:
    """A score on the exam's scale (pass marks are on the 0..total scale of seeds/exam.yml)."""
    if not max_score:
        return 0.0
    return score / max_score * total


def final_raw_score(sub, assignment: str, exams: set[str] | None = None) -> float:
    """A submission's final score: late penalty taken off; a late *exam* scores zero in full
    (nbgrader caps its penalty at the autograded marks, so manual points added later would survive).

    ``sub`` is an nbgrader ``SubmittedAssignment`` or a :class:`kefu.gradebook.sql.Submission`."""
    if exams is None:
        from kefu.cohort.create import exam_ids

        exams = set(exam_ids().values())
    late = float(getattr(sub, "total_seconds_late", 0) or 0)
    if late > 0 and assignment in exams:
        return 0.0
    return max(float(sub.score or 0.0) - float(sub.late_submission_penalty or 0.0), 0.0)


def attempt_from_submission(sub, assignment: str, total: float, exams: set[str] | None = None) -> Attempt:
    raw = final_raw_score(sub, assignment, exams)
    score = _scale(raw, float(sub.max_score or 0.0), total)
    return Attempt(
        assignment, round(score, 2), total, sub.timestamp, bool(sub.needs_manual_grade),
        late=float(getattr(sub, "total_seconds_late", 0) or 0) > 0,
        extra={"raw_score": raw, "raw_max": float(sub.max_score or 0.0)},
    )


def _db_url(course_dir: Path) -> tuple[str, str]:
    from kefu.cohort.config import load_config

    cfg = load_config(course_dir)
    try:  # the gradebook-file check (kefu.cohort.backup): refuse a missing or broken file, change nothing
        from kefu.cohort.backup import check_gradebook
    except ImportError:  # pragma: no cover - older tree without the check
        check_gradebook = None
    if check_gradebook is not None:
        check_gradebook(course_dir)
    return cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id


def practical_dimensions() -> list[dict]:
    """The practical rubric's dimensions with the grade cells that score each (seeds/practical_rubric.yml;
    the ticket-record cells count towards the dimension practical_scenarios.yml names)."""
    from kefu.seeds import load

    rubric = load("practical_rubric.yml")
    ticket_dim = load("practical_scenarios.yml").ticket_record.dimension
    return [{"id": d.id, "name": d.name, "weight": d.weight, "cell": f"rubric-{d.id}",
             "tickets": ticket_dim in (d.id, d.name)} for d in rubric.dimensions]


def _dimension_scores(cells: dict[str, tuple[float, float, bool]], dims: list[dict]) -> dict[str, dict]:
    """Per rubric dimension: points earned, points possible and percent (None when not graded yet)."""
    out: dict[str, dict] = {}
    for d in dims:
        parts = [v for name, v in cells.items()
                 if name == d["cell"] or (d["tickets"] and name.startswith("ticket") and name.endswith("-check"))]
        if not parts:
            continue
        score = sum(p[0] for p in parts)
        mx = sum(p[1] for p in parts)
        pending = any(p[2] for p in parts)
        out[d["name"]] = {"score": round(score, 2), "max_score": round(mx, 2),
                          "percent": round(100.0 * score / mx, 1) if mx else None, "needs_manual_grade": pending}
    return out


def _weak_areas(t: dict, theory_cells: dict[str, tuple[float, float, bool]] | None,
                questions: dict[str, dict], chapter_names: dict[str, str], threshold: float) -> dict:
    """Topics of the theory exam and chapters where the trainee scored below ``threshold``."""
    topics: dict[str, list[float]] = {}
    for name, (score, mx, _) in (theory_cells or {}).items():
        topic = questions.get(name, {}).get("topic")
        if topic and mx:
            acc = topics.setdefault(topic, [0.0, 0.0])
            acc[0] += score
            acc[1] += mx
    weak_topics = [{"topic": k, "percent": round(100 * s / m, 1)} for k, (s, m) in topics.items()
                   if m and s / m < threshold]
    weak_topics.sort(key=lambda x: x["percent"])
    weak_chapters = [{"chapter": chapter_names.get(aid, aid), "assignment": aid, "percent": c["percent"]}
                     for aid, c in t["chapters"].items()
                     if c and c["percent"] is not None and c["percent"] < 100 * threshold]
    weak_chapters.sort(key=lambda x: x["percent"])
    return {"topics": weak_topics, "chapters": weak_chapters, "phrases": []}


def chapter_labels() -> dict[str, str]:
    """assignment id -> 第N章 title (course/course.yml), plus the exams' titles."""
    from kefu.course import load_course

    course = load_course()
    out = {ch.assignment_id: f"第{ch.number}章 {ch.title}" for ch in course.chapters}
    out.update({ex.id: ex.title for ex in course.exams})
    return out


def _read(db_url: str, cells_for: tuple[str, ...]):
    """The snapshot, or a Chinese CohortError naming the database (password left out)."""
    from sqlalchemy.exc import SQLAlchemyError

    from kefu.cohort.config import CohortError

    from .sql import read_snapshot

    try:
        return read_snapshot(db_url, cells_for=cells_for)
    except SQLAlchemyError as exc:
        where = re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", db_url)
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else exc.__class__.__name__
        raise CohortError(f"无法读取成绩册数据库 {where}:{reason}") from None


def build_report(course_dir: str | Path, *, answers: bool = False) -> dict:
    """The cohort report. ``answers``: also scan the trainees' answers for forbidden phrases
    (weak areas by phrase category; reads the autograded notebooks, so only the Excel export asks)."""
    from kefu.cohort.create import exam_ids, load_meta, programme_assignments
    from kefu.seeds import load

    course_dir = Path(course_dir).resolve()
    db_url, course_id = _db_url(course_dir)
    try:
        meta = load_meta(course_dir)
    except Exception:
        meta = {}
    tz = ZoneInfo(meta.get("timezone", "UTC"))
    teams = {t["id"]: t.get("team", "") for t in meta.get("trainees", [])}
    rules = load("exam.yml")
    ids = exam_ids()
    exams = set(ids.values())
    chapter_ids = [aid for aid, kind, _ in programme_assignments() if kind == "chapter"]
    labels = chapter_labels()
    dims = practical_dimensions()
    questions = question_info(ids["theory"])
    retake_questions = question_info(ids["retake"])
    threshold = rules.item_analysis.weak_area_ratio
    snap = _read(db_url, (ids["theory"], ids["retake"], ids["practical"]))
    in_gb = set(snap.assignments)
    chapters_here = [aid for aid in chapter_ids if aid in in_gb]
    total = rules.theory.total_points
    trainees: list[dict] = []
    theory_items: list[tuple[str, float, dict[str, tuple[float, float]]]] = []
    subs_all = snap.submissions
    for sid, first_name, last_name in snap.students:
        sub_of = lambda aid: subs_all.get((sid, aid))  # noqa: E731
        s_first, s_retake, s_prac = sub_of(ids["theory"]), sub_of(ids["retake"]), sub_of(ids["practical"])
        first = attempt_from_submission(s_first, ids["theory"], total, exams) if s_first else None
        retake = attempt_from_submission(s_retake, ids["retake"], total, exams) if s_retake else None
        if first is not None:
            theory_items.append((sid, first.score or 0.0,
                                 {n: (s, m) for n, (s, m, _) in s_first.cells.items()}))
        t_status = theory_status(first, retake, rules)
        prac = attempt_from_submission(s_prac, ids["practical"], 100.0, exams) if s_prac else None
        p_score = prac.score if prac else None
        p_status = practical_status(p_score, rules)
        chapters: dict[str, dict | None] = {}
        late: list[str] = []
        for aid in chapters_here:
            sub = sub_of(aid)
            if sub is None:
                chapters[aid] = None
                continue
            mx, sc = float(sub.max_score or 0.0), float(sub.score or 0.0)
            chapters[aid] = {"score": round(sc, 2), "max_score": round(mx, 2),
                             "percent": round(100.0 * sc / mx, 1) if mx else None,
                             "needs_manual_grade": bool(sub.needs_manual_grade)}
        attempts = []
        for att in (first, retake):
            if att is not None:
                d = att.as_dict(tz)
                d["late"] = att.late
                attempts.append(d)
        comments = []
        for aid in [*chapters_here, ids["theory"], ids["retake"], ids["practical"]]:
            sub = sub_of(aid)
            if sub is None:
                continue
            if sub.total_seconds_late > 0:
                late.append(aid)
            qs = retake_questions if aid == ids["retake"] else questions
            for cell, text in sorted(sub.comments.items()):
                comments.append({"assignment": aid, "label": labels.get(aid, aid),
                                 "question": qs.get(cell, {}).get("qid", cell), "comment": text})
        t = {
            "id": sid,
            "name": " ".join(x for x in (last_name, first_name) if x) or sid,
            "team": teams.get(sid, ""),
            "theory": {"attempts": attempts, "status": t_status},
            "practical": {"score": p_score, "status": p_status,
                          "needs_manual_grade": bool(prac.needs_manual_grade) if prac else False,
                          "late": bool(prac.late) if prac else False,
                          "dimensions": _dimension_scores(s_prac.cells, dims) if s_prac else {}},
            "chapters": chapters,
            "status": overall_status(t_status, p_status, rules),
            "late": late,
            "comments": comments,
        }
        deciding, deciding_q = (s_retake, retake_questions) if s_retake else (s_first, questions)
        t["weak_areas"] = _weak_areas(t, deciding.cells if deciding else None, deciding_q, labels, threshold)
        trainees.append(t)
    if answers:
        from .answers import add_phrase_weak_areas

        add_phrase_weak_areas(course_dir, trainees, [*chapters_here, *exams])
    from .readiness import apply_practice

    apply_practice({"trainees": trainees}, course_dir, rules)
    return {
        "trainees": trainees,
        "cohort": {"course_id": course_id, "timezone": str(tz),
                   "theory_pass": rules.theory.pass_score, "practical_pass": rules.practical.pass_score,
                   "labels": labels, "chapters": chapters_here,
                   "dimensions": [{"name": d["name"], "weight": d["weight"]} for d in dims],
                   "item_sample": sample_note(len(theory_items), rules.item_analysis)},
        "items": item_analysis(theory_items, limits=rules.item_analysis, questions=questions),
    }


def summary(report: dict) -> dict:
    """Counts per status and pass rates (theory first attempt, theory overall, practical, certified)."""
    tr = report["trainees"]
    n = len(tr) or 1
    count = lambda key, vals: sum(1 for t in tr if key(t) in vals)  # noqa: E731
    return {
        "trainees": len(tr),
        "theory": {s: count(lambda t: t["theory"]["status"], {s}) for s in
                   ("not_taken", "passed", "retake_due", "retake_passed", "failed_retrain")},
        "practical": {s: count(lambda t: t["practical"]["status"], {s}) for s in ("not_taken", "passed", "failed")},
        "overall": {s: count(lambda t: t["status"], {s}) for s in OVERALL_STATUSES},
        "rates": {
            "theory_first": count(lambda t: t["theory"]["status"], {"passed"}) / n,
            "theory": count(lambda t: t["theory"]["status"], {"passed", "retake_passed"}) / n,
            "practical": count(lambda t: t["practical"]["status"], {"passed"}) / n,
            "certified": count(lambda t: t["status"], {"certified"}) / n,
        },
    }
