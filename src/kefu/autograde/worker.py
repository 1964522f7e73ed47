"""One grading worker: nbgrader's Autograde converter on one submission at a time.

A worker owns a private copy of the gradebook (taken at the start of the batch) and a staging folder.
It runs nbgrader's own converter — sanitize (ClearOutput, DeduplicateIds, OverwriteKernelspec,
OverwriteCells, CheckCellMetadata) then autograde (Execute, TrustedScore, SanitizeOutputs,
IgnorePattern, ClearMetadata, LimitOutput, SaveAutoGrades, AssignLatePenalties, CheckCellMetadata; see
:mod:`kefu.autograde.pipeline`) — against that copy, then reads back what nbgrader wrote for the
submission and hands it to the batch process, the single writer of the real gradebook. Scores come
from TrustedScore (keys read in this process) or, for plain nbgrader tests, from nbgrader itself.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import time
import traceback
from pathlib import Path
from typing import Any

from nbgrader.preprocessors import OverwriteCells

from .speedups import apply_all as apply_speedups
from .speedups import cache_metadata_schema, share_engines  # noqa: F401 - kept importable here

STAGING = ".kefu/staging"


class FlaggingOverwriteCells(OverwriteCells):  # type: ignore[misc]
    """nbgrader's OverwriteCells, also noting which protected cells the trainee changed.

    A hidden-test cell always differs from the database copy (the release lacks the hidden part),
    so a change counts as tampering only when the cell differs from its *released* version too.
    """

    def preprocess_cell(self, cell: Any, resources: Any, index: int) -> Any:
        # the cells as generated do not change during a batch: read each from the database once
        real = self.gradebook
        self.gradebook = _KnownCells(real, self.db_url)
        try:
            return super().preprocess_cell(cell, resources, index)
        finally:
            self.gradebook = real

    def report_change(self, name: str, attr: str, old: Any, new: Any) -> None:
        super().report_change(name, attr, old, new)
        if attr == "checksum" and _released_checksum(self, name) == new:
            return
        _TAMPER_LOG.append((self.notebook_id, name, attr))


_CELLS: dict[tuple[str, str, str, str, str], Any] = {}


class _KnownCells:
    """A Gradebook whose ``find_source_cell`` / ``find_graded_cell`` answers are remembered for the
    batch (as plain copies of the fields OverwriteCells reads); everything else goes to the gradebook.
    A worker's gradebook is a private copy taken when the batch starts, so these rows cannot change."""

    def __init__(self, gradebook: Any, db_url: str) -> None:
        self._gb = gradebook
        self._url = db_url

    def __getattr__(self, name: str) -> Any:
        return getattr(self._gb, name)

    def _find(self, kind: str, name: str, notebook: str, assignment: str) -> Any:
        from types import SimpleNamespace

        from nbgrader.api import MissingEntry

        key = (self._url, kind, assignment, notebook, name)
        if key not in _CELLS and (kind, assignment, notebook, name) in _PRELOADED:
            _CELLS[key] = _PRELOADED[(kind, assignment, notebook, name)]
        if key not in _CELLS:
            try:
                if kind == "source":
                    c = self._gb.find_source_cell(name, notebook, assignment)
                    _CELLS[key] = SimpleNamespace(name=c.name, cell_type=c.cell_type, locked=c.locked,
                                                  checksum=c.checksum, source=c.source)
                else:
                    c = self._gb.find_graded_cell(name, notebook, assignment)
                    _CELLS[key] = SimpleNamespace(name=c.name, max_score=c.max_score)
            except MissingEntry:
                _CELLS[key] = None
        found = _CELLS[key]
        if found is None:
            raise MissingEntry()
        return found

    def find_source_cell(self, name: str, notebook: str, assignment: str) -> Any:
        return self._find("source", name, notebook, assignment)

    def find_graded_cell(self, name: str, notebook: str, assignment: str) -> Any:
        return self._find("graded", name, notebook, assignment)


#: cells read once by the batch process before the workers fork (see :func:`preload_cells`)
_PRELOADED: dict[tuple[str, str, str, str], Any] = {}


def preload_cells(db_url: str, course_id: str, assignments: list[str]) -> None:
    """Read the generated cells of ``assignments`` in the batch process, before the workers are forked,
    so that no worker looks each one up again. Workers' private gradebooks are copies of this one
    taken at the start of the batch, and the batch never changes generated cells, so the rows are
    the same; a cell not found here is still looked up (and reported missing) by the worker."""
    from types import SimpleNamespace

    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url, course_id) as gb:
        for a in assignments:
            try:
                notebooks = gb.find_assignment(a).notebooks
            except MissingEntry:
                continue
            for nb in notebooks:
                for c in nb.source_cells:
                    _PRELOADED[("source", a, nb.name, c.name)] = SimpleNamespace(
                        name=c.name, cell_type=c.cell_type, locked=c.locked, checksum=c.checksum, source=c.source)
                # find_graded_cell: a grade cell of that name, else a task cell
                for c in list(nb.task_cells) + list(nb.grade_cells):
                    _PRELOADED[("graded", a, nb.name, c.name)] = SimpleNamespace(name=c.name, max_score=c.max_score)


_TAMPER_LOG: list[tuple[str, str, str]] = []


_RELEASED: dict[tuple[str, str, str, str], str | None] = {}


def _released_checksum(pp: Any, grade_id: str) -> str | None:
    """Checksum of the cell as released: the database copy with its hidden tests removed."""
    key = (pp.db_url, pp.assignment_id, pp.notebook_id, grade_id)
    if key not in _RELEASED:
        _RELEASED[key] = _compute_released_checksum(pp, grade_id)
    return _RELEASED[key]


def _compute_released_checksum(pp: Any, grade_id: str) -> str | None:
    from nbformat.v4 import new_code_cell, new_markdown_cell
    from nbgrader import utils
    from nbgrader.preprocessors import ClearHiddenTests

    src = pp.gradebook.find_source_cell(grade_id, pp.notebook_id, pp.assignment_id)
    make = new_code_cell if src.cell_type == "code" else new_markdown_cell
    grade = pp.gradebook.find_graded_cell(grade_id, pp.notebook_id, pp.assignment_id) if _is_graded(
        pp, grade_id) else None
    cell = make(src.source)
    cell.metadata.nbgrader = {
        "grade": grade is not None,
        "solution": False,
        "locked": bool(src.locked),
        "grade_id": grade_id,
        "points": float(grade.max_score) if grade is not None else 0.0,
    }
    ClearHiddenTests()._remove_hidden_test_region(cell)
    return utils.compute_checksum(cell)


def _is_graded(pp: Any, grade_id: str) -> bool:
    from nbgrader.api import MissingEntry

    try:
        pp.gradebook.find_graded_cell(grade_id, pp.notebook_id, pp.assignment_id)
        return True
    except MissingEntry:
        return False


def build_config(course: Path, db_url: str, staging: str, cell_timeout: int) -> Any:
    from nbgrader.converters import Autograde

    from .config import load_config
    from .kernels import KefuExecute
    from .pipeline import make_trusted

    cfg = load_config(course)
    cfg.CourseDirectory.db_url = db_url
    cfg.CourseDirectory.autograded_directory = staging
    traits = Autograde.class_traits()
    auto = list(cfg.Autograde.get("autograde_preprocessors", traits["autograde_preprocessors"].default()))
    # the trusted path whatever the course's config says: kernel, then TrustedScore and SanitizeOutputs
    cfg.Autograde.autograde_preprocessors = make_trusted(auto, KefuExecute)
    san = list(cfg.Autograde.get("sanitize_preprocessors", traits["sanitize_preprocessors"].default()))
    cfg.Autograde.sanitize_preprocessors = [FlaggingOverwriteCells if _same(p, OverwriteCells) else p for p in san]
    cfg.Execute.timeout = int(cell_timeout)
    return cfg


def _same(p: Any, cls: type) -> bool:
    return p is cls or p in (f"{cls.__module__}.{cls.__name__}", f"nbgrader.preprocessors.{cls.__name__}")


def read_back(db_url: str, course_id: str, assignment: str, student: str) -> dict[str, Any]:
    """What nbgrader recorded for one submission, as plain data."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url, course_id) as gb:
        try:
            sub = gb.find_submission(assignment, student)
        except MissingEntry:
            return {}
        out: dict[str, Any] = {"timestamp": sub.timestamp.isoformat() if sub.timestamp else None, "notebooks": {}}
        for nb in sub.notebooks:
            names = cell_names(gb, nb)
            out["notebooks"][nb.name] = {
                "late_submission_penalty": nb.late_submission_penalty,
                "grades": {names[g.cell_id]: [g.auto_score, g.needs_manual_grade] for g in nb.grades},
                "comments": {names[c.cell_id]: c.auto_comment for c in nb.comments},
            }
        return out


def cell_names(gb: Any, sub_nb: Any) -> dict[str, str]:
    """Cell id → cell name for a submitted notebook's cells, in one query (``grade.name`` would
    load each grade's cell separately)."""
    from nbgrader.api import BaseCell

    rows = gb.db.query(BaseCell.id, BaseCell.name).filter(BaseCell.notebook_id == sub_nb.notebook_id).all()
    return {cid: name for cid, name in rows}


def explain(log_text: str, error: str) -> str:
    """A Chinese one-line reason for a failed submission, from nbgrader's log and traceback."""
    text = f"{log_text}\n{error}"
    if "DeadKernelError" in text or "Kernel died" in text or "kernel died" in text:
        return "内核崩溃:学员代码让 Python 进程退出或被系统终止"
    if "UnresponsiveKernelError" in text or "unresponsive" in text:
        return "内核无响应:学员代码陷入无法中断的死循环或占用内存过多"
    if "NotJSONError" in text or "JSONDecodeError" in text or "Unterminated string" in text or "Expecting" in text:
        return "笔记本文件已损坏(不是有效的 JSON),无法读取"
    if "failed to validate" in text or "ValidationError" in text or "Notebook does not appear to be" in text:
        return "笔记本格式或 nbgrader 元数据已损坏,无法评分"
    if "No notebooks" in text:
        return "提交中没有可评分的笔记本"
    if "CellExecutionError" in text:
        return "执行单元格时出错"
    last = [ln for ln in text.strip().splitlines() if ln.strip()]
    return "评分出错:" + (last[-1][:300] if last else "未知错误")


def notes_from(staged: Path) -> list[str]:
    """Per-cell remarks worth a trainer's attention (timeouts, truncated output)."""
    notes: list[str] = []
    for path in sorted(staged.glob("*.ipynb")):
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for cell in nb.get("cells", []):
            gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or cell.get("id", "?")
            for out in cell.get("outputs", []) or []:
                if out.get("output_type") == "error" and out.get("ename") == "CellTimeoutError":
                    notes.append(f"{path.stem}/{gid}:运行超时被中断(该单元格按出错处理)")
                text = out.get("text")
                if isinstance(text, list):
                    text = "".join(text)
                if isinstance(text, str) and text.endswith("... Output truncated ..."):
                    notes.append(f"{path.stem}/{gid}:输出过长,已截断")
    return notes


class Worker:
    def __init__(self, course: Path, index: int, main_db: Path, cell_timeout: int, zygote: Any) -> None:
        from nbgrader.coursedir import CourseDirectory

        from .kernels import set_zygote
        from .kernels_client import ZygoteClient, zygote_env

        self.course = Path(course)
        self.index = index
        private = self.course / ".kefu" / f"worker-{index}.db"
        private.parent.mkdir(parents=True, exist_ok=True)
        _copy_db(main_db, private)
        self.db_url = f"sqlite:///{private}"
        self.staging = f"{STAGING}/w{index}"
        self.cfg = build_config(self.course, self.db_url, self.staging, cell_timeout)
        self.course_id = self.cfg.CourseDirectory.course_id
        self.coursedir = CourseDirectory(config=self.cfg)
        apply_speedups()
        import sys

        if str(self.course) not in sys.path:  # as `nbgrader` run in the course folder (late plugins)
            sys.path.insert(0, str(self.course))
        log = logging.getLogger("traitlets")
        log.setLevel(logging.WARNING)
        log.propagate = False
        if zygote is None or isinstance(zygote, list):  # standalone use: a zygote of our own
            zygote = ZygoteClient(zygote or [], env=zygote_env())
            zygote.wait_ready()
        # a shared zygote may still be warming up: the first kernel request simply waits for it, while
        # this worker already reads and sanitizes its first submission
        self.zygote = zygote
        set_zygote(self.zygote)

    def grade(self, student: str, assignment: str) -> dict[str, Any]:
        from nbgrader.converters import Autograde
        from nbgrader.utils import capture_log

        staged = Path(self.coursedir.format_path(self.staging, student, assignment))
        if staged.exists():
            shutil.rmtree(staged)
        _TAMPER_LOG.clear()
        self.coursedir.student_id = student
        self.coursedir.assignment_id = assignment
        conv = Autograde(coursedir=self.coursedir, config=self.cfg)
        conv.force = True
        conv.create_student = True
        try:
            res = capture_log(conv)
        except BaseException:  # noqa: BLE001 - capture_log already catches; belt and braces
            res = {"success": False, "log": "", "error": traceback.format_exc()}
        result: dict[str, Any] = {
            "student": student,
            "assignment": assignment,
            "ok": bool(res.get("success")),
            "record": read_back(self.db_url, self.course_id, assignment, student),
            "flags": [f"{nb}/{gid}" for nb, gid, _ in _TAMPER_LOG],
        }
        if result["ok"] and staged.is_dir():
            result["staged"] = str(staged)
            result["notes"] = notes_from(staged)
        else:
            result["ok"] = False
            result["error"] = explain(res.get("log") or "", res.get("error") or "")
            if staged.exists():
                shutil.rmtree(staged, ignore_errors=True)
        if not self.zygote.alive:  # extremely unlikely; fall back to ordinary kernel starts
            from .kernels import set_zygote

            set_zygote(None)
        return result

    def close(self) -> None:
        self.zygote.close()


def _copy_db(src: Path, dest: Path) -> None:
    import sqlite3

    if dest.exists():
        dest.unlink()
    with sqlite3.connect(str(src)) as a, sqlite3.connect(str(dest)) as b:
        a.backup(b)


def worker_main(conn: Any, course: str, index: int, main_db: str, cell_timeout: int, zygote: Any) -> None:
    """Process entry point: receive (student, assignment) over ``conn``, send back result dicts."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the batch process handles Ctrl-C
    worker = None
    try:
        try:
            worker = Worker(Path(course), index, Path(main_db), cell_timeout, zygote)
        except Exception:  # noqa: BLE001
            conn.send({"fatal": traceback.format_exc()})
            return
        conn.send({"ready": index})
        while True:
            task = conn.recv()
            if task is None:
                break
            try:
                c0 = time.process_time()
                res = worker.grade(*task)
                res["cpu"] = time.process_time() - c0
                conn.send(res)
            except Exception:  # noqa: BLE001
                conn.send({"student": task[0], "assignment": task[1], "ok": False, "record": {},
                           "flags": [], "error": explain("", traceback.format_exc())})
    except (EOFError, KeyboardInterrupt):
        pass
    finally:
        if worker is not None:
            worker.close()
