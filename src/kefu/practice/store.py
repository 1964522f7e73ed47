"""Coached-practice records of a cohort: ``<cohort>/practice.db`` (SQLite, the kit's own small schema,
not nbgrader's gradebook).

- ``scorecards``: one QA scorecard (seeds/qa_rubric.yml) of a real or role-played call per row —
  trainee, practice day (1–14), the points each item earned, the scorecard total, pass and critical failure
  as scored by :func:`kefu.qa.score_call` when recorded.
- ``call_logs``: one KPI call log (kefu.kpi schema) per row — trainee, day, number of answered calls and
  the trainee's KPIs (:func:`kefu.kpi.compute`) as JSON.

Recording never overwrites: each call is a new row. Every write is one transaction.
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any, Mapping

DB_NAME = "practice.db"

SCHEMA = """
CREATE TABLE IF NOT EXISTS scorecards (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    trainee TEXT NOT NULL,
    day INTEGER NOT NULL,
    recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    source TEXT NOT NULL DEFAULT '',
    items TEXT NOT NULL,          -- JSON {item_id: points earned}
    score REAL NOT NULL,
    passed INTEGER NOT NULL,
    critical_failed TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS call_logs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    trainee TEXT NOT NULL,
    day INTEGER NOT NULL,
    recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    source TEXT NOT NULL DEFAULT '',
    calls INTEGER NOT NULL,
    metrics TEXT NOT NULL         -- JSON of kefu.kpi.compute's per-agent metrics
);
CREATE INDEX IF NOT EXISTS scorecards_trainee ON scorecards(trainee, day);
CREATE INDEX IF NOT EXISTS call_logs_trainee ON call_logs(trainee, day);
"""


class PracticeError(Exception):
    """Bad practice input or an unreadable practice database (Chinese message naming the place)."""


def db_path(course: Path) -> Path:
    return Path(course) / DB_NAME


def connect(course: Path, create: bool = False) -> sqlite3.Connection:
    path = db_path(course)
    if not path.exists() and not create:
        return _empty()
    try:
        con = sqlite3.connect(path)
        con.executescript(SCHEMA)
    except sqlite3.DatabaseError as exc:
        raise PracticeError(f"{path}: 练习记录数据库无法读取({exc});可从备份恢复后再试") from None
    return con


def _empty() -> sqlite3.Connection:
    con = sqlite3.connect(":memory:")
    con.executescript(SCHEMA)
    return con


def add_scorecard(course: Path, trainee: str, day: int, items: Mapping[str, float], score: float,
                  passed: bool, critical_failed: list[str], source: str = "") -> int:
    with closing(connect(course, create=True)) as con, con:
        cur = con.execute(
            "INSERT INTO scorecards(trainee, day, source, items, score, passed, critical_failed) VALUES (?,?,?,?,?,?,?)",
            (trainee, int(day), source, json.dumps(dict(items), ensure_ascii=False), float(score), int(passed),
             json.dumps(list(critical_failed))))
        return int(cur.lastrowid)


def add_call_log(course: Path, trainee: str, day: int, calls: int, metrics: Mapping[str, Any],
                 source: str = "") -> int:
    with closing(connect(course, create=True)) as con, con:
        cur = con.execute("INSERT INTO call_logs(trainee, day, source, calls, metrics) VALUES (?,?,?,?,?)",
                          (trainee, int(day), source, int(calls), json.dumps(dict(metrics), ensure_ascii=False,
                                                                             default=float)))
        return int(cur.lastrowid)


def scorecards(course: Path) -> list[dict[str, Any]]:
    with closing(connect(course)) as con:
        rows = con.execute("SELECT trainee, day, score, passed, critical_failed, items FROM scorecards "
                           "ORDER BY trainee, day, id").fetchall()
    return [{"trainee": t, "day": d, "score": s, "passed": bool(p), "critical_failed": json.loads(c),
             "items": json.loads(i)} for t, d, s, p, c, i in rows]


def call_logs(course: Path) -> list[dict[str, Any]]:
    with closing(connect(course)) as con:
        rows = con.execute("SELECT trainee, day, calls, metrics FROM call_logs ORDER BY trainee, day, id").fetchall()
    return [{"trainee": t, "day": d, "calls": n, "metrics": json.loads(m)} for t, d, n, m in rows]
