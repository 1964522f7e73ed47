"""The cohort's gradebook on SQLite (the default) or PostgreSQL (``kefu hub up --db postgresql://…``).

Moving to PostgreSQL copies the roster and the assignments (with due dates) from the SQLite gradebook
into the database, then points the cohort at it: the URL goes to ``<cohort>/gradebook_url`` (root
only: it may hold a password) and a short block of the cohort's nbgrader_config.py
(:func:`kefu.cohort.config.db_url_lines`, written by ``render_config``) reads it, so every
command that loads the cohort's config (``kefu autograde``, ``kefu gradebook``, formgrader) follows.
Grades already in the SQLite gradebook are never moved or deleted: the move is refused instead.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from kefu.cohort.config import (
    CONFIG_NAME,
    DB_NAME,
    DB_URL_FILE,
    DB_URL_MARK,
    CohortError,
    db_url_lines,
    ensure_bin_on_path,
    load_config,
)

from kefu.cohort.database import redact  # noqa: F401 - the one place that hides passwords

URL_FILE = DB_URL_FILE


def normalise_url(url: str) -> str:
    url = url.strip()
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg2://" + url[len("postgresql://"):]
    if not re.match(r"^(postgresql\+psycopg2|sqlite)://", url):
        raise CohortError(f"数据库地址“{redact(url)}”无效:请用 postgresql://用户:密码@主机:端口/数据库名")
    return url


def check_connection(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else exc.__class__.__name__
        raise CohortError(f"无法连接成绩册数据库 {redact(url)}:{reason}") from None
    finally:
        engine.dispose()


def current_url(course_dir) -> str:
    return str(load_config(course_dir).CourseDirectory.db_url)


def use_database(course_dir, url: str) -> str:
    """Point the cohort's gradebook at ``url`` (copying roster and assignments into it); returns it."""
    from nbgrader.api import Gradebook

    ensure_bin_on_path()
    course_dir = Path(course_dir).resolve()
    url = normalise_url(url)
    old = current_url(course_dir)
    if old == url:
        return url
    check_connection(url)
    cfg = load_config(course_dir)
    cid = cfg.CourseDirectory.course_id
    with Gradebook(old, cid) as src:
        students = [(s.id, s.first_name, s.last_name, s.email) for s in src.students]
        assignments = [(a.name, a.duedate) for a in src.assignments]
        graded = sum(len(a.submissions) for a in src.assignments)
    with Gradebook(url, cid) as dst:
        already = sum(len(a.submissions) for a in dst.assignments)
        if graded and not already:
            raise CohortError(
                f"现有成绩册 {redact(old)} 里已经有 {graded} 份提交的成绩;kefu hub 不迁移已有成绩。"
                "请在开班前(还没有收作业时)切换数据库,或继续使用现有成绩册(去掉 --db)"
            )
        for sid, first, last, email in students:
            dst.update_or_create_student(sid, first_name=first, last_name=last, email=email)
        for name, due in assignments:
            dst.update_or_create_assignment(name, duedate=due)
    url_file = course_dir / URL_FILE
    fd = os.open(url_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(url + "\n")
    os.chmod(url_file, 0o600)
    cfg_path = course_dir / CONFIG_NAME
    text = cfg_path.read_text(encoding="utf-8")
    if DB_URL_MARK not in text:  # a cohort made before render_config carried the block
        block = "\n".join(["", *db_url_lines()]) + "\n"
        cfg_path.write_text(text.rstrip("\n") + "\n" + block, encoding="utf-8")
    if current_url(course_dir) != url:
        raise CohortError(f"{cfg_path}: 配置没有使用新的成绩册地址(可能在文件末尾之后又设置了 db_url)")
    return url


def use_sqlite(course_dir) -> None:
    """Back to the cohort's own gradebook.db (the PostgreSQL data stays where it is)."""
    p = Path(course_dir).resolve() / URL_FILE
    if p.exists():
        p.unlink()


def sqlite_url(course_dir) -> str:
    return "sqlite:///" + str(Path(course_dir).resolve() / DB_NAME)
