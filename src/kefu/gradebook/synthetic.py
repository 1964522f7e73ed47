"""A realistic cohort gradebook of any size, bulk-loaded with SQL into nbgrader's own schema.

For the benchmarks (bench/gradebook.py, bench/scale.py) and the gradebook tests: ``kefu cohort init``
makes the cohort folder (config, cohort.json, nbgrader's schema via alembic, students, assignments and
due dates), then the cells of the kit's real assignments (read from their source notebooks) and every
submission, grade and comment are inserted with a few executemany statements — not tens of thousands
of ``Gradebook`` API calls. What it simulates: each trainee has an ability; chapter exercises are
submitted by most (some late); everyone sits the theory exam (a few late, who score 0), those below the
pass mark sit the retake a week later; the practical exam's five rubric dimensions are scored by hand
(a few still ungraded), graders leave comments on some answers.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import random
import uuid
from pathlib import Path

_COMMENTS = ["开头语不规范,注意先报工号", "复述确认做得好", "方案不够具体,没有给出时限",
             "身份核实顺序错误", "语速偏快,客户多次打断", "要点齐全,表达清楚", "漏答了回访环节"]


def _uid() -> str:
    return uuid.uuid4().hex


def _cells_of(notebook: Path) -> list[tuple[str, str, float, str]]:
    """(grade id, cell kind GradeCell|SolutionCell|TaskCell, points, cell type) of a source notebook."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    out = []
    for cell in nb.get("cells", []):
        md = cell.get("metadata", {}).get("nbgrader") or {}
        gid = md.get("grade_id")
        if not gid:
            continue
        ctype = cell.get("cell_type", "code")
        if md.get("task"):
            out.append((gid, "TaskCell", float(md.get("points") or 0), ctype))
            continue
        if md.get("grade"):
            out.append((gid, "GradeCell", float(md.get("points") or 0), ctype))
        if md.get("solution"):
            out.append((gid, "SolutionCell", 0.0, ctype))
    return out


def _roster(path: Path, n: int, start: dt.date, rng: random.Random) -> None:
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
    given = "思雨浩然欣怡子涵宇轩佳琪俊杰雨桐梓萱明轩若曦博文晓彤嘉怡"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["工号", "姓名", "班组", "入职日期"])
        for i in range(1, n + 1):
            name = rng.choice(surnames) + "".join(rng.choice(given) for _ in range(2))
            w.writerow([f"KF{i:05d}", name, f"{i % 20 + 1}组", start.isoformat()])


def make_cohort(folder: str | Path, trainees: int, *, seed: int = 1, start: dt.date = dt.date(2025, 3, 3),
                assignments_dir: str | Path | None = None) -> dict:
    """Create a cohort folder with ``trainees`` simulated trainees; returns counts of what was loaded."""
    from sqlalchemy import DateTime, bindparam, create_engine, text

    from kefu.cohort.config import load_config
    from kefu.cohort.create import exam_ids, init_cohort, load_meta, programme_assignments

    rng = random.Random(seed)
    folder = Path(folder).resolve()
    folder.parent.mkdir(parents=True, exist_ok=True)
    roster = folder.parent / f"{folder.name}-roster.csv"
    _roster(roster, trainees, start, rng)
    meta = init_cohort(folder, roster, course_id="kefu-scale", assignments_dir=assignments_dir, start=start)
    roster.unlink()
    cfg = load_config(folder)
    ids = exam_ids()
    from kefu.seeds import load

    pass_score = load("exam.yml").theory.pass_score
    due = {k: dt.datetime.fromisoformat(v).astimezone(dt.timezone.utc).replace(tzinfo=None)
           for k, v in meta["schedule"]["due"].items()}
    chapters = [a for a, kind, _ in programme_assignments() if kind == "chapter" and a in meta["assignments"]]
    engine = create_engine(cfg.CourseDirectory.db_url)
    rows: dict[str, list[dict]] = {k: [] for k in ("notebook", "base_cell", "grade_cells", "task_cells",
                                                   "solution_cells", "submitted_assignment",
                                                   "submitted_notebook", "grade", "comment")}
    with engine.begin() as conn:
        aid_of = {name: aid for aid, name in conn.execute(text("SELECT id, name FROM assignment"))}
        cells: dict[str, tuple[str, list[tuple[str, str, float, str, str]]]] = {}
        for name in meta["assignments"]:
            nb_path = next((folder / "source" / name).glob("*.ipynb"))
            nb_id = _uid()
            rows["notebook"].append({"id": nb_id, "name": nb_path.stem, "assignment_id": aid_of[name]})
            these = []
            for gid, kind, points, ctype in _cells_of(nb_path):
                cid = _uid()
                rows["base_cell"].append({"id": cid, "name": gid, "notebook_id": nb_id, "type": kind})
                if kind == "SolutionCell":
                    rows["solution_cells"].append({"id": cid})
                else:
                    table = "grade_cells" if kind == "GradeCell" else "task_cells"
                    rows[table].append({"id": cid, "max_score": points, "cell_type": ctype})
                these.append((gid, kind, points, ctype, cid))
            cells[name] = (nb_id, these)

        def submit(student: str, name: str, when: dt.datetime, ability: float, *, pending: float = 0.0) -> float:
            nb_id, these = cells[name]
            sa, sn = _uid(), _uid()
            rows["submitted_assignment"].append({"id": sa, "assignment_id": aid_of[name], "student_id": student,
                                                 "timestamp": when})
            rows["submitted_notebook"].append({"id": sn, "assignment_id": sa, "notebook_id": nb_id,
                                               "flagged": False, "late_submission_penalty": None})
            total = 0.0
            for gid, kind, points, ctype, cid in these:
                if kind == "SolutionCell":
                    manual = rng.random() < 0.15 and ctype == "markdown"
                    rows["comment"].append({"id": _uid(), "notebook_id": sn, "cell_id": cid, "auto_comment": None,
                                            "manual_comment": rng.choice(_COMMENTS) if manual else None})
                    continue
                by_hand = kind == "TaskCell" or ctype == "markdown"
                if by_hand:
                    waiting = rng.random() < pending
                    score = None if waiting else float(max(0, min(points, round(points * rng.gauss(ability, 0.08)))))
                    rows["grade"].append({"id": _uid(), "notebook_id": sn, "cell_id": cid, "auto_score": None,
                                          "manual_score": score, "extra_credit": None, "needs_manual_grade": waiting})
                    if kind == "TaskCell" and rng.random() < 0.3:
                        rows["comment"].append({"id": _uid(), "notebook_id": sn, "cell_id": cid,
                                                "auto_comment": None, "manual_comment": rng.choice(_COMMENTS)})
                else:
                    score = points if rng.random() < ability else (points / 2 if rng.random() < 0.2 else 0.0)
                    rows["grade"].append({"id": _uid(), "notebook_id": sn, "cell_id": cid, "auto_score": score,
                                          "manual_score": None, "extra_credit": None, "needs_manual_grade": False})
                total += score or 0.0
            return total

        students = [r[0] for r in conn.execute(text("SELECT id FROM student ORDER BY id"))]
        for sid in students:
            ability = min(0.99, max(0.3, rng.gauss(0.82, 0.1)))
            for name in chapters:
                if rng.random() < 0.95:
                    late = rng.random() < 0.03
                    submit(sid, name, due[name] + dt.timedelta(hours=rng.uniform(2, 30) if late else -rng.uniform(2, 200)),
                           ability)
            if ids["theory"] in cells:
                late = rng.random() < 0.01
                t_due = due[ids["theory"]]
                score = submit(sid, ids["theory"], t_due + dt.timedelta(minutes=rng.uniform(5, 30) if late
                                                                           else -rng.uniform(5, 50)), ability)
                if (late or score < pass_score) and ids["retake"] in cells:
                    submit(sid, ids["retake"], due[ids["retake"]] - dt.timedelta(minutes=rng.uniform(5, 50)),
                           min(0.99, ability + 0.08))
            if ids["practical"] in cells and rng.random() < 0.97:
                submit(sid, ids["practical"], due[ids["practical"]] - dt.timedelta(hours=rng.uniform(1, 100)),
                       ability, pending=0.01)
        order = ["notebook", "base_cell", "grade_cells", "task_cells", "solution_cells", "submitted_assignment",
                 "submitted_notebook", "grade", "comment"]
        for table in order:
            if rows[table]:
                cols = list(rows[table][0])
                sql = text(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)})")
                if "timestamp" in cols:  # stored the way nbgrader's DateTime column stores it, on any database
                    sql = sql.bindparams(bindparam("timestamp", type_=DateTime()))
                conn.execute(sql, rows[table])
    engine.dispose()
    return {"trainees": len(students), "submissions": len(rows["submitted_assignment"]),
            "grades": len(rows["grade"]), "course": str(folder), "timezone": load_meta(folder)["timezone"]}
