"""Which gradebook an autograde batch writes, and what its workers read: SQLite or PostgreSQL.

The batch process is the only writer of the real gradebook (``url``, opened with nbgrader's
``Gradebook``). Each worker grades against a private SQLite copy (see :mod:`kefu.autograde.worker`),
taken from :meth:`BatchDatabase.worker_source`:

- SQLite: the gradebook file itself (each worker copies it with sqlite's online backup);
- PostgreSQL: a snapshot of the database made once per batch, before any worker starts, by a logical
  copy of nbgrader's tables into ``.kefu/worker-snapshot.db`` (:func:`kefu.cohort.database.copy_to_sqlite`,
  one read transaction). The workers then copy that file as on SQLite, so they run nbgrader's converter
  against the same rows as the database holds and never open a connection to the server; what they
  record goes back through the batch process into PostgreSQL. The snapshot is removed with the
  workers' copies at the end of the batch (it matches their ``worker-*.db`` pattern).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import CourseError

SNAPSHOT = ".kefu/worker-snapshot.db"


@dataclass(frozen=True)
class BatchDatabase:
    url: str
    path: Path | None  # the SQLite file; None when the gradebook is a database server

    def worker_source(self, course: Path) -> Path:
        """The SQLite file every worker copies its private gradebook from."""
        if self.path is not None:
            return self.path
        from kefu.cohort.database import DatabaseProblem, copy_to_sqlite

        dest = Path(course) / SNAPSHOT
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            return copy_to_sqlite(self.url, dest)
        except DatabaseProblem as exc:
            raise CourseError(str(exc)) from None

    def __str__(self) -> str:
        from kefu.cohort.database import redact

        return str(self.path) if self.path is not None else redact(self.url)


def locate_database(course: Path, cfg: Any) -> BatchDatabase:
    """The course's gradebook, checked for damage before nbgrader opens (and silently recreates) it."""
    from .config import db_path

    url = str(cfg.CourseDirectory.db_url)
    db = db_path(cfg)
    if db is not None:
        if not db.exists():
            raise CourseError(f"找不到成绩册 {db}:请先发布作业(nbgrader generate_assignment / kefu release)")
        from kefu.cohort.backup import GradebookDamaged, check_gradebook_file

        try:
            check_gradebook_file(db, course)
        except GradebookDamaged as exc:
            raise CourseError(str(exc)) from None
        return BatchDatabase(url, db)
    if not url.startswith(("postgresql", "postgres:")):
        from kefu.cohort.database import redact

        raise CourseError(f"成绩册 {redact(url)}:kefu autograde 只支持 SQLite 和 PostgreSQL 成绩册")
    from kefu.cohort.database import DatabaseProblem, check_database

    try:
        check_database(url)
    except DatabaseProblem as exc:
        raise CourseError(str(exc)) from None
    return BatchDatabase(url, None)
