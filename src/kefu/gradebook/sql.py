"""Read a cohort's nbgrader gradebook with a handful of set-based SQL queries.

nbgrader's ORM computes every score, maximum and "needs manual grade" flag with one correlated
subquery per object; walking 2,000 trainees × 15 assignments through it issues hundreds of thousands
of queries (minutes). Here the same numbers come from six GROUP BY / JOIN queries over the whole
database, in plain SQL that SQLite and PostgreSQL both run. The formulas mirror ``nbgrader.api``
(0.9.x) exactly, so the report is identical to the ORM path (tests/test_gradebook_sql.py keeps that
path as the reference):

- a grade's score: manual score if set, else auto score, else 0, plus extra credit;
- a submission's score: the sum of its grades; its maximum: the assignment's grade-cell plus
  task-cell maxima; its late penalty: the sum over its notebooks; it needs manual grading when any
  grade does;
- seconds late: timestamp minus (due date + extension), never negative, 0 without either.

nbgrader itself is never imported (importing ``nbgrader.api`` costs seconds); only SQLAlchemy Core.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# One grade's score, as nbgrader.api.Grade.score defines it.
_SCORE = ("CASE WHEN g.manual_score IS NOT NULL THEN g.manual_score + COALESCE(g.extra_credit, 0.0) "
          "WHEN g.auto_score IS NOT NULL THEN g.auto_score + COALESCE(g.extra_credit, 0.0) ELSE 0.0 END")

_STUDENTS = "SELECT id, first_name, last_name FROM student"
_ASSIGNMENTS = "SELECT id, name, duedate FROM assignment"
_SUBMISSIONS = ("SELECT sa.id AS sid, a.name AS assignment, sa.student_id AS student, sa.timestamp AS ts, "
                "sa.extension AS extension, a.duedate AS duedate "
                "FROM submitted_assignment sa JOIN assignment a ON a.id = sa.assignment_id")
_SUBMISSION_SCORES = (f"SELECT sn.assignment_id AS sid, SUM({_SCORE}) AS score, "
                      "MAX(CASE WHEN g.needs_manual_grade THEN 1 ELSE 0 END) AS manual "
                      "FROM grade g JOIN submitted_notebook sn ON sn.id = g.notebook_id GROUP BY sn.assignment_id")
_PENALTIES = ("SELECT assignment_id AS sid, SUM(late_submission_penalty) AS penalty "
              "FROM submitted_notebook GROUP BY assignment_id")
_MAX_SCORES = ("SELECT n.assignment_id AS aid, SUM(c.max_score) AS mx FROM {table} c "
               "JOIN base_cell bc ON bc.id = c.id JOIN notebook n ON n.id = bc.notebook_id GROUP BY n.assignment_id")
# Per-cell grades of chosen notebooks: no joins to name tables (names and maxima come from the
# small cell tables below), so the one large result is plain ids and numbers.
_CELL_GRADES = (f"SELECT sn.assignment_id AS sid, g.cell_id AS cell, {_SCORE} AS score, "
                "CASE WHEN g.needs_manual_grade THEN 1 ELSE 0 END AS manual "
                "FROM grade g JOIN submitted_notebook sn ON sn.id = g.notebook_id "
                "WHERE sn.notebook_id IN :notebooks")
_CELLS = ("SELECT bc.id, bc.name, n.id AS notebook, a.name AS assignment, COALESCE(gc.max_score, tc.max_score, 0.0) "
          "FROM base_cell bc JOIN notebook n ON n.id = bc.notebook_id JOIN assignment a ON a.id = n.assignment_id "
          "LEFT JOIN grade_cells gc ON gc.id = bc.id LEFT JOIN task_cells tc ON tc.id = bc.id")
_COMMENTS = ("SELECT sn.assignment_id AS sid, bc.name AS name, c.manual_comment AS comment "
             "FROM comment c JOIN submitted_notebook sn ON sn.id = c.notebook_id "
             "JOIN base_cell bc ON bc.id = c.cell_id "
             "WHERE c.manual_comment IS NOT NULL AND c.manual_comment <> ''")


@dataclass
class Submission:
    """One submitted assignment with nbgrader's derived numbers."""

    id: str
    assignment: str
    student: str
    timestamp: dt.datetime | None  # naive UTC, as nbgrader stores it
    score: float = 0.0
    max_score: float = 0.0
    late_submission_penalty: float = 0.0
    needs_manual_grade: bool = False
    total_seconds_late: float = 0.0
    cells: dict[str, tuple[float, float, bool]] = field(default_factory=dict)  # name -> (score, max, manual)
    comments: dict[str, str] = field(default_factory=dict)  # cell name -> grader comment


@dataclass
class Snapshot:
    students: list[tuple[str, str | None, str | None]]  # (id, first name, last name), sorted by id
    assignments: list[str]
    submissions: dict[tuple[str, str], Submission]  # (student, assignment) -> submission


def _engine(db_url: str):
    from sqlalchemy import create_engine

    return create_engine(db_url)


def _seconds_late(ts, duedate, extension) -> float:
    if ts is None or duedate is None:
        return 0.0
    due = duedate + extension if extension is not None else duedate
    return max(0.0, (ts - due).total_seconds())


def _raw_rows(conn, clause, params: dict) -> list[tuple]:
    """Rows of a large, plain-typed query straight from the DB-API cursor: SQLAlchemy's row objects cost
    more than the query itself at 10^5 rows. Compiled by the connection's dialect, so the placeholders
    (``?`` for sqlite3, ``%(name)s`` for psycopg2) and the expanded IN list are right for either."""
    compiled = clause.bindparams(**params).compile(dialect=conn.dialect,
                                                   compile_kwargs={"render_postcompile": True})
    args = compiled.params
    if compiled.positional:
        args = tuple(args[name] for name in compiled.positiontup)
    cur = conn.connection.cursor()
    try:
        cur.execute(str(compiled), args)
        return cur.fetchall()
    finally:
        cur.close()


def read_snapshot(db_url: str, *, cells_for: tuple[str, ...] = (), comments: bool = True) -> Snapshot:
    """Everything the report needs from the gradebook at ``db_url``, in one read transaction.

    ``cells_for``: assignment names whose per-cell grades are read too (item analysis, practical
    dimensions, weak areas). Only SQLAlchemy Core and plain SQL: works on SQLite and PostgreSQL.
    """
    from sqlalchemy import DateTime, Interval, bindparam, text

    engine = _engine(db_url)
    try:
        with engine.connect() as conn:
            students = sorted((r[0], r[1], r[2]) for r in conn.execute(text(_STUDENTS)))
            assignments = [r[1] for r in conn.execute(text(_ASSIGNMENTS))]
            subs_q = text(_SUBMISSIONS).columns(ts=DateTime(), extension=Interval(), duedate=DateTime())
            by_id: dict[str, Submission] = {}
            for r in conn.execute(subs_q).fetchall():
                by_id[r.sid] = Submission(r.sid, r.assignment, r.student, r.ts,
                                          total_seconds_late=_seconds_late(r.ts, r.duedate, r.extension))
            maxima: dict[str, float] = {}
            for table in ("grade_cells", "task_cells"):
                for aid, mx in conn.execute(text(_MAX_SCORES.format(table=table))):
                    maxima[aid] = maxima.get(aid, 0.0) + float(mx or 0.0)
            names_by_id = {r[0]: r[1] for r in conn.execute(text(_ASSIGNMENTS))}
            max_by_name = {names_by_id[aid]: maxima.get(aid, 0.0) for aid in names_by_id}
            for sid, score, manual in conn.execute(text(_SUBMISSION_SCORES)).fetchall():
                s = by_id.get(sid)
                if s is not None:
                    s.score = float(score or 0.0)
                    s.needs_manual_grade = bool(manual)
            for sid, penalty in conn.execute(text(_PENALTIES)).fetchall():
                s = by_id.get(sid)
                if s is not None:
                    s.late_submission_penalty = float(penalty or 0.0)
            cell_info = {r[0]: (r[1], float(r[4] or 0.0)) for r in conn.execute(text(_CELLS)).fetchall()
                         if r[3] in cells_for}
            notebooks = sorted({r[2] for r in conn.execute(text(_CELLS)).fetchall() if r[3] in cells_for})
            if notebooks:
                q = text(_CELL_GRADES).bindparams(bindparam("notebooks", expanding=True))
                for sid, cell, score, manual in _raw_rows(conn, q, {"notebooks": notebooks}):
                    name, mx = cell_info[cell]
                    by_id[sid].cells[name] = (float(score or 0.0), mx, bool(manual))
            if comments:
                for sid, name, comment in conn.execute(text(_COMMENTS)):
                    s = by_id.get(sid)
                    if s is not None:
                        s.comments[name] = comment
    finally:
        engine.dispose()
    for s in by_id.values():
        s.max_score = max_by_name.get(s.assignment, 0.0)
    return Snapshot(students, assignments, {(s.student, s.assignment): s for s in by_id.values()})
