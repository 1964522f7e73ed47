"""Read a cohort's nbgrader gradebook into kefu's report: per trainee theory attempts and status,
practical score and status, chapter progress and the overall certification status.

``build_report(course_dir)`` returns ``{"trainees": [...], "cohort": {...}, "items": [...]}``; the JSON
format of ``kefu gradebook`` prints the ``trainees`` part exactly as the issue specifies.
"""
from __future__ import annotations


import statistics
from pathlib import Path
from zoneinfo import ZoneInfo

from .policy import (
    Attempt,
    overall_status,
    practical_status,
    theory_status,
)

# Conventional item-analysis guides (Ebel): discrimination below 0.2 is poor; a question almost
# nobody (or everybody) gets right tells the trainer little.


def _scale(score: float, max_score: float, total: float) -> float:
    """A score on the exam's scale (pass marks are on the 0..total scale of seeds/exam.yml)."""
    if not max_score:
        return 0.0
    return score / max_score * total


def final_raw_score(sub, assignment: str) -> float:
    """A submission's final score: late penalty taken off; a late *exam* scores zero in full
    (nbgrader caps its penalty at the autograded marks, so manual points added later would survive)."""
    from kefu.cohort.create import exam_ids

    late = float(getattr(sub, "total_seconds_late", 0) or 0)
    if late > 0 and assignment in exam_ids().values():
        return 0.0
    return max(float(sub.score or 0.0) - float(sub.late_submission_penalty or 0.0), 0.0)


def attempt_from_submission(sub, assignment: str, total: float) -> Attempt:
    raw = final_raw_score(sub, assignment)
    score = _scale(raw, float(sub.max_score or 0.0), total)
    return Attempt(
        assignment, round(score, 2), total, sub.timestamp, bool(sub.needs_manual_grade),
        late=float(getattr(sub, "total_seconds_late", 0) or 0) > 0,
        extra={"raw_score": raw, "raw_max": float(sub.max_score or 0.0)},
    )


_attempt = attempt_from_submission


def _grades(sub) -> dict[str, tuple[float, float]]:
    out: dict[str, tuple[float, float]] = {}
    for nb in sub.notebooks:
        for g in nb.grades:
            out[f"{g.name}"] = (float(g.score or 0.0), float(g.max_score or 0.0))
    return out


def build_report(course_dir: str | Path) -> dict:
    from nbgrader.api import Gradebook, MissingEntry

    from kefu.cohort.config import ensure_bin_on_path, load_config
    from kefu.cohort.create import exam_ids, load_meta, programme_assignments
    from kefu.seeds import load

    ensure_bin_on_path()
    course_dir = Path(course_dir).resolve()
    cfg = load_config(course_dir)
    try:
        meta = load_meta(course_dir)
    except Exception:
        meta = {}
    tz = ZoneInfo(meta.get("timezone", "UTC"))
    teams = {t["id"]: t.get("team", "") for t in meta.get("trainees", [])}
    rules = load("exam.yml")
    ids = exam_ids()
    chapter_ids = [aid for aid, kind, _ in programme_assignments() if kind == "chapter"]
    trainees: list[dict] = []
    theory_items: list[tuple[str, float, dict[str, tuple[float, float]]]] = []
    with Gradebook(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id) as gb:
        in_gb = {a.name for a in gb.assignments}
        for st in sorted(gb.students, key=lambda s: s.id):
            subs = {}
            for aid in in_gb:
                try:
                    subs[aid] = gb.find_submission(aid, st.id)
                except MissingEntry:
                    pass
            first = _attempt(subs[ids["theory"]], ids["theory"], rules.theory.total_points) \
                if ids["theory"] in subs else None
            retake = _attempt(subs[ids["retake"]], ids["retake"], rules.theory.total_points) \
                if ids["retake"] in subs else None
            if first is not None:
                theory_items.append((st.id, first.score or 0.0, _grades(subs[ids["theory"]])))
            t_status = theory_status(first, retake)
            prac = _attempt(subs[ids["practical"]], ids["practical"], 100.0) if ids["practical"] in subs else None
            p_score = prac.score if prac else None
            p_status = practical_status(p_score)
            chapters: dict[str, dict | None] = {}
            for aid in chapter_ids:
                if aid not in in_gb:
                    continue
                sub = subs.get(aid)
                if sub is None:
                    chapters[aid] = None
                else:
                    mx = float(sub.max_score or 0.0)
                    sc = float(sub.score or 0.0)
                    chapters[aid] = {"score": round(sc, 2), "max_score": round(mx, 2),
                                     "percent": round(100.0 * sc / mx, 1) if mx else None,
                                     "needs_manual_grade": bool(sub.needs_manual_grade)}
            trainees.append({
                "id": st.id,
                "name": " ".join(x for x in (st.last_name, st.first_name) if x) or st.id,
                "team": teams.get(st.id, ""),
                "theory": {"attempts": [a.as_dict(tz) for a in (first, retake) if a is not None],
                           "status": t_status},
                "practical": {"score": p_score, "status": p_status,
                              "needs_manual_grade": bool(prac.needs_manual_grade) if prac else False},
                "chapters": chapters,
                "status": overall_status(t_status, p_status),
            })
    return {
        "trainees": trainees,
        "cohort": {"course_id": cfg.CourseDirectory.course_id, "timezone": str(tz),
                   "theory_pass": rules.theory.pass_score, "practical_pass": rules.practical.pass_score},
        "items": item_analysis(theory_items),
    }


def _pearson(xs: list[float], ys: list[float]) -> float | None:
    if len(xs) < 3:
        return None
    try:
        return statistics.correlation(xs, ys)
    except statistics.StatisticsError:  # a constant column
        return None


def item_analysis(rows: list[tuple[str, float, dict[str, tuple[float, float]]]]) -> list[dict]:
    """Per question (grade cell) of the theory exam's first attempts: difficulty (mean score ratio),
    upper-lower group discrimination (thresholds from seeds/exam.yml), point-biserial (item vs. rest of the exam) and a flag."""
    if not rows:
        return []
    from kefu.seeds import load

    limits = load("exam.yml").item_analysis
    names = sorted({n for _, _, g in rows for n in g})
    ranked = sorted(rows, key=lambda r: r[1], reverse=True)
    k = max(1, round(len(ranked) * limits.group_share))
    upper, lower = ranked[:k], ranked[-k:]
    out = []
    for name in names:
        def ratio(g: dict[str, tuple[float, float]]) -> float:
            s, m = g.get(name, (0.0, 0.0))
            return s / m if m else 0.0

        ratios = [ratio(g) for _, _, g in rows]
        max_pts = max(g.get(name, (0.0, 0.0))[1] for _, _, g in rows)
        difficulty = sum(ratios) / len(ratios)
        disc = (sum(ratio(g) for _, _, g in upper) / k) - (sum(ratio(g) for _, _, g in lower) / k)
        rest = [total - g.get(name, (0.0, 0.0))[0] for _, total, g in rows]
        pbis = _pearson(ratios, rest)
        reasons = []
        if difficulty < limits.min_difficulty:
            reasons.append("过难")
        if difficulty > limits.max_difficulty:
            reasons.append("过易")
        if len(rows) >= limits.min_candidates_for_discrimination and disc < limits.min_discrimination:
            reasons.append("区分度低" if disc >= 0 else "区分度为负(高分者反而答错)")
        out.append({
            "question": name, "points": max_pts, "difficulty": round(difficulty, 3),
            "discrimination": round(disc, 3), "point_biserial": None if pbis is None else round(pbis, 3),
            "weak": bool(reasons), "reasons": reasons,
        })
    return out


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
        "overall": {s: count(lambda t: t["status"], {s}) for s in
                    ("certified", "retrain", "practical_failed", "in_progress")},
        "rates": {
            "theory_first": count(lambda t: t["theory"]["status"], {"passed"}) / n,
            "theory": count(lambda t: t["theory"]["status"], {"passed", "retake_passed"}) / n,
            "practical": count(lambda t: t["practical"]["status"], {"passed"}) / n,
            "certified": count(lambda t: t["status"], {"certified"}) / n,
        },
    }


