"""Nothing lost: the gradebook check every command runs before opening ``gradebook.db``, and backups.

``check_gradebook(course_dir)`` refuses a missing, empty (0-byte) or corrupt sqlite gradebook with a
Chinese message *before* nbgrader opens it: nbgrader's ``Gradebook`` silently creates a fresh, empty
database for a missing or 0-byte file, after which every trainee looks unknown. The check only reads
(sqlite is opened read-only), so the damaged file stays exactly as it was for ``kefu restore``.

``backup_gradebook(course_dir, made_by)`` copies the gradebook into ``backups/`` (sqlite's online
backup, so a copy taken while another process writes is consistent) and names what made it;
``list_backups`` / ``restore_backup`` are ``kefu restore``. ``backup_folder`` keeps a copy of trainee
data (a collected submission) before it is replaced.

On PostgreSQL (``kefu hub db --db``) the check connects and looks for nbgrader's tables, a backup is
a logical copy of the database into the same kind of SQLite file, and a restore puts such a copy's rows
back into the database in one transaction (:mod:`kefu.cohort.database`).

Used by release, collect, feedback, fetch, submit and restore here; autograde and the gradebook
report should call :func:`check_gradebook` before their first ``Gradebook(...)`` (and autograde's
own backup can be :func:`backup_gradebook` with ``made_by="autograde"``).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from kefu.errors import KefuError

from .config import DB_NAME, CohortError

BACKUP_DIR = "backups"
KEEP_BACKUPS = 30
#: what made a backup, as shown by ``kefu restore`` (older autograde backups carry no name)
MADE_BY = {
    "autograde": "自动评分前",
    "collect": "收取前",
    "feedback": "生成反馈前",
    "restore": "恢复前(当时的成绩册)",
    "manual-grade": "导入人工评分前",
    "gradebook": "手动备份",
}
_SQLITE_MAGIC = b"SQLite format 3\x00"
_NBGRADER_TABLES = {"student", "assignment", "submitted_assignment"}
_NAME = re.compile(r"^gradebook-(\d{8}-\d{6}-\d{6})(?:-([a-z-]+))?\.db$")
_checked: dict[tuple[str, int, int], None] = {}


class GradebookDamaged(CohortError, KefuError):
    """gradebook.db is missing, empty or corrupt; nothing was changed (message in Chinese)."""


def gradebook_path(course_dir: str | os.PathLike[str]) -> Path | None:
    """The sqlite file of the cohort's gradebook, or None when it is not sqlite (e.g. PostgreSQL)."""
    from .config import load_config

    url = str(load_config(course_dir).CourseDirectory.get("db_url", ""))
    if not url:
        return Path(course_dir).resolve() / DB_NAME
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///"):])
    return None


def gradebook_url(course_dir: str | os.PathLike[str]) -> str:
    """The URL nbgrader opens for the cohort's gradebook (the SQLite file's by default)."""
    from .config import load_config

    url = str(load_config(course_dir).CourseDirectory.get("db_url", "") or "")
    return url or "sqlite:///" + str(Path(course_dir).resolve() / DB_NAME)


def _restore_hint(course_dir: Path) -> str:
    return f"文件没有被改动;请运行 kefu restore --course {course_dir} 查看备份并恢复"


def check_gradebook_file(db: Path, course_dir: Path | None = None) -> None:
    """Raise :class:`GradebookDamaged` unless ``db`` is a readable nbgrader sqlite gradebook."""
    course_dir = course_dir or db.parent
    hint = _restore_hint(course_dir)
    try:
        st = db.stat()
    except FileNotFoundError:
        raise GradebookDamaged("成绩册不存在(不会自动新建一个空成绩册)", place=db, hint=hint) from None
    if not db.is_file():
        raise GradebookDamaged("成绩册不是一个文件", place=db, hint=hint)
    key = (str(db), st.st_mtime_ns, st.st_size)
    if key in _checked:
        return
    if st.st_size == 0:
        raise GradebookDamaged("成绩册是空文件(0 字节),里面没有任何学员和成绩", place=db, hint=hint)
    with open(db, "rb") as fh:
        head = fh.read(len(_SQLITE_MAGIC))
    if head != _SQLITE_MAGIC:
        raise GradebookDamaged("成绩册已损坏(不是 SQLite 数据库文件)", place=db, hint=hint)
    try:
        # read-only: the check never changes the file it inspects
        con = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
        try:
            ok = con.execute("PRAGMA quick_check").fetchone()
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise GradebookDamaged(f"成绩册已损坏,无法读取({exc})", place=db, hint=hint) from None
    if not ok or ok[0] != "ok":
        raise GradebookDamaged(f"成绩册已损坏(完整性检查:{ok[0] if ok else '无结果'})", place=db, hint=hint)
    if not _NBGRADER_TABLES <= tables:
        raise GradebookDamaged("成绩册里没有 nbgrader 的数据表(空的或不是成绩册)", place=db, hint=hint)
    _checked[key] = None


def check_gradebook(course_dir: str | os.PathLike[str]) -> Path | None:
    """Check the cohort's gradebook before anything opens it; returns its path (None if not sqlite:
    then the database is checked to be reachable and to hold nbgrader's tables)."""
    course_dir = Path(course_dir).resolve()
    db = gradebook_path(course_dir)
    if db is not None:
        check_gradebook_file(db, course_dir)
    else:
        from .database import check_database

        check_database(gradebook_url(course_dir), hint=f"数据库没有被改动;{_restore_hint(course_dir)}")
    return db


# ----------------------------------------------------------------------------- backups
@dataclass
class Backup:
    path: Path
    when: dt.datetime
    size: int
    made_by: str

    @property
    def label(self) -> str:
        return MADE_BY.get(self.made_by, self.made_by)


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _prune(folder: Path) -> None:
    for extra in [b.path for b in list_backups(folder.parent)][KEEP_BACKUPS:]:
        extra.unlink(missing_ok=True)


def backup_gradebook(course_dir: str | os.PathLike[str], made_by: str, *, db: Path | None = None) -> Path | None:
    """Copy the gradebook to ``backups/gradebook-<time>-<made_by>.db``; returns the copy.

    A healthy gradebook is copied with sqlite's online backup (consistent while others write); a damaged
    one (only ``restore`` backs that up) byte for byte. Identical to the newest backup → no new copy.
    A PostgreSQL gradebook is copied into the same kind of SQLite file (``kefu.cohort.database``).
    """
    course_dir = Path(course_dir).resolve()
    db = db or gradebook_path(course_dir)
    url = None if db is not None else gradebook_url(course_dir)
    if db is not None and not db.exists():
        return None
    folder = course_dir / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    dest = folder / f"gradebook-{_stamp()}-{made_by}.db"
    tmp = dest.with_name("." + dest.name + ".part")
    healthy = True
    if db is not None:
        try:
            check_gradebook_file(db, course_dir)
        except GradebookDamaged:
            healthy = False
    if url is not None:
        from .database import copy_to_sqlite

        copy_to_sqlite(url, tmp)
    elif healthy:
        with sqlite3.connect(str(db)) as src, sqlite3.connect(str(tmp)) as out:
            src.backup(out)
        src.close()
        out.close()
    else:
        shutil.copy2(db, tmp)
    newest = list_backups(course_dir)
    if made_by != "restore" and newest and newest[0].size == tmp.stat().st_size and _digest(newest[0].path) == _digest(tmp):
        tmp.unlink()
        return newest[0].path
    os.replace(tmp, dest)
    _prune(folder)
    return dest


def list_backups(course_dir: str | os.PathLike[str]) -> list[Backup]:
    """The gradebook backups, newest first."""
    folder = Path(course_dir).resolve() / BACKUP_DIR
    out = []
    for p in folder.glob("gradebook-*.db") if folder.is_dir() else []:
        m = _NAME.match(p.name)
        if not m:
            continue
        when = dt.datetime.strptime(m[1], "%Y%m%d-%H%M%S-%f")
        out.append(Backup(p, when, p.stat().st_size, m[2] or "autograde"))
    out.sort(key=lambda b: b.when, reverse=True)
    return out


def restore_backup(course_dir: str | os.PathLike[str], backup: Backup) -> Path | None:
    """Put ``backup`` in place of the gradebook; the current file (whatever its state) is backed up
    first and its path returned. The backup must pass :func:`check_gradebook_file`. On PostgreSQL the
    backup's rows replace the database's in one transaction (the current rows are backed up first)."""
    course_dir = Path(course_dir).resolve()
    db = gradebook_path(course_dir)
    check_gradebook_file(backup.path, course_dir)
    if db is None:
        from .database import restore_from_sqlite

        kept = backup_gradebook(course_dir, "restore")  # fails (nothing changed) if unreachable
        restore_from_sqlite(gradebook_url(course_dir), backup.path)
        return kept
    kept = backup_gradebook(course_dir, "restore", db=db)
    # a leftover journal would be replayed into the restored file: keep it with the old gradebook
    for suffix in ("-journal", "-wal", "-shm"):
        side = db.with_name(db.name + suffix)
        if side.exists():
            target = (kept or course_dir / BACKUP_DIR / f"gradebook-{_stamp()}-restore.db")
            os.replace(side, target.with_name(target.name + suffix))
    tmp = db.with_name("." + db.name + ".restore")
    shutil.copy2(backup.path, tmp)
    os.replace(tmp, db)
    _checked.clear()
    return kept


def backup_folder(course_dir: str | os.PathLike[str], folder: Path, made_by: str) -> Path | None:
    """Copy trainee data (e.g. a collected submission about to be replaced) under ``backups/``."""
    course_dir = Path(course_dir).resolve()
    if not folder.is_dir():
        return None
    rel = folder.resolve().relative_to(course_dir)
    dest = course_dir / BACKUP_DIR / made_by / f"{_stamp()}" / rel
    shutil.copytree(folder, dest)
    return dest


def backup_file(course_dir: str | os.PathLike[str], path: Path, made_by: str) -> Path | None:
    """Copy one file of the cohort (e.g. ``nbgrader_config.py`` before it is rewritten) under
    ``backups/<made_by>/<time>/`` keeping its path inside the cohort folder."""
    course_dir = Path(course_dir).resolve()
    if not path.is_file():
        return None
    rel = path.resolve().relative_to(course_dir)
    dest = course_dir / BACKUP_DIR / made_by / f"{_stamp()}" / rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(path, dest)
    return dest
