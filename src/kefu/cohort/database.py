"""The cohort's gradebook when it is not the SQLite ``gradebook.db``: a PostgreSQL database.

Everything here works on nbgrader's own tables (``nbgrader.api.Base.metadata``) through SQLAlchemy,
so a copy means the same rows in the same nbgrader schema whatever the database:

- :func:`copy_to_sqlite` — a consistent logical copy (one read transaction) of the database into a
  new SQLite file. It is the backup format on PostgreSQL (``backups/gradebook-….db`` like on SQLite,
  so ``kefu restore`` lists, checks and opens both alike, no server-version-matched ``pg_dump`` needed)
  and the snapshot the autograde workers grade against (:mod:`kefu.autograde.database`).
- :func:`restore_from_sqlite` — replaces every row of the database by the rows of such a copy, in
  one transaction: a failure leaves the database as it was.
- :func:`check_database` — reachable, nbgrader's tables present; Chinese message naming the URL
  without its password.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from kefu.errors import KefuError

from .config import CohortError

#: tables a gradebook must have (as for the SQLite check)
REQUIRED_TABLES = {"student", "assignment", "submitted_assignment"}


class DatabaseProblem(CohortError, KefuError):
    """The gradebook database cannot be reached or is not an nbgrader gradebook (Chinese message)."""


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", str(url))


def is_sqlite(url: str) -> bool:
    return str(url).startswith("sqlite:")


def _reason(exc: Exception) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else exc.__class__.__name__


def _engine(url: str) -> Any:
    from sqlalchemy import create_engine

    return create_engine(url, future=True)


def _tables() -> list[Any]:
    """nbgrader's tables, parents before children, plus alembic's version table."""
    from nbgrader.api import Base
    from sqlalchemy import Column, MetaData, String, Table

    alembic = Table("alembic_version", MetaData(), Column("version_num", String(32), nullable=False))
    return [*Base.metadata.sorted_tables, alembic]


def check_database(url: str, hint: str = "") -> None:
    """Raise :class:`DatabaseProblem` unless ``url`` is reachable and holds nbgrader's tables."""
    from sqlalchemy import inspect
    from sqlalchemy.exc import SQLAlchemyError

    engine = _engine(url)
    try:
        with engine.connect() as conn:
            names = set(inspect(conn).get_table_names())
    except SQLAlchemyError as exc:
        raise DatabaseProblem(f"无法连接成绩册数据库 {redact(url)}:{_reason(exc)}", hint=hint
                              or "请确认数据库服务已启动、地址和密码正确(kefu hub db --course 培训班 查看当前成绩册)") from None
    finally:
        engine.dispose()
    missing = sorted(REQUIRED_TABLES - names)
    if missing:
        raise DatabaseProblem(f"成绩册数据库 {redact(url)} 里没有 nbgrader 的数据表({'、'.join(missing)})",
                              hint=hint or "数据库是空的或不是成绩册;请用 kefu restore 从备份恢复")


def copy_to_sqlite(url: str, dest: str | os.PathLike[str]) -> Path:
    """Copy every nbgrader row of the database at ``url`` into a new SQLite file ``dest``."""
    from sqlalchemy import inspect
    from sqlalchemy.exc import SQLAlchemyError

    dest = Path(dest)
    dest.unlink(missing_ok=True)
    tables = _tables()
    src, out = _engine(url), _engine(f"sqlite:///{dest}")
    try:
        for t in tables:
            t.create(out, checkfirst=True)
        # one read transaction on the source: a copy taken while the batch writes is consistent
        with src.connect() as sconn, out.begin() as oconn:
            if not is_sqlite(url):
                sconn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            present = set(inspect(sconn).get_table_names())
            for t in tables:
                if t.name not in present:
                    continue
                rows = [dict(r._mapping) for r in sconn.execute(t.select())]
                if rows:
                    oconn.execute(t.insert(), rows)
    except SQLAlchemyError as exc:
        dest.unlink(missing_ok=True)
        raise DatabaseProblem(f"无法复制成绩册数据库 {redact(url)}:{_reason(exc)}") from None
    finally:
        src.dispose()
        out.dispose()
    return dest


def restore_from_sqlite(url: str, backup: str | os.PathLike[str]) -> None:
    """Replace all nbgrader rows of the database at ``url`` by those of the SQLite copy ``backup``,
    in one transaction (all or nothing)."""
    from sqlalchemy import inspect
    from sqlalchemy.exc import SQLAlchemyError

    tables = _tables()
    src, dst = _engine(f"sqlite:///{Path(backup)}"), _engine(url)
    try:
        with src.connect() as sconn:
            present = set(inspect(sconn).get_table_names())
            data = {t.name: [dict(r._mapping) for r in sconn.execute(t.select())] if t.name in present else []
                    for t in tables}
        for t in tables:
            t.create(dst, checkfirst=True)
        with dst.begin() as dconn:
            for t in reversed(tables):
                dconn.execute(t.delete())
            for t in tables:
                if data[t.name]:
                    dconn.execute(t.insert(), data[t.name])
    except SQLAlchemyError as exc:
        raise DatabaseProblem(f"恢复成绩册数据库 {redact(url)} 失败,数据库没有改动:{_reason(exc)}") from None
    finally:
        src.dispose()
        dst.dispose()
