"""The autograde batch: find submissions, back up the gradebook, grade in parallel, record safely.

Workers (see :mod:`kefu.autograde.worker`) grade against private copies of the gradebook; this process
is the only writer of the real one. A submission counts as done only once its grades are committed and
its graded notebooks have been moved (one rename) into ``autograded/``; so an interrupted batch loses
nothing already done, and a rerun picks up exactly the submissions that are not done.

One batch per cohort at a time (:mod:`kefu.autograde.lock`). Every kernel runs in the sandbox
(:mod:`kefu.sandbox`); when it cannot be set up the batch refuses to start. Nothing outlives the batch
process: workers and the zygote get ``PR_SET_PDEATHSIG`` (SIGKILL when it dies), the zygote's keepers
and kernels likewise, so even a ``kill -9`` of ``kefu autograde`` leaves no process behind.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from .config import CourseError, db_path, ensure_alembic_on_path, load_config

#: modules imported once by each worker's kernel zygote (those that exist); hidden tests import them
DEFAULT_PRELOAD = [
    "kefu.seeds", "kefu.phrases", "kefu.kpi", "kefu.erlang", "kefu.scripts", "kefu.qa", "kefu.tickets",
    "kefu.data", "kefu.course", "kefu.selfcheck", "kefu.exams.marking", "kefu.authoring.marking", "numpy",
    "pandas", "kefu.autograde.warmup:warm",
]
_LIMITS: dict[str, Any] = {}
#: packages whose imports found in the assignments may be preloaded too (no import-time side effects
#: that depend on the kernel's environment)
PRELOADABLE = ("kefu", "numpy", "pandas")


@dataclass
class BatchResult:
    graded: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    flagged: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[tuple[str, str, str]] = field(default_factory=list)
    backup: str | None = None
    seconds: float = 0.0
    interrupted: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "graded": [list(x) for x in self.graded],
            "failed": [list(x) for x in self.failed],
            "skipped": [list(x) for x in self.skipped],
            "flagged": [list(x) for x in self.flagged],
            "notes": [list(x) for x in self.notes],
            "backup": self.backup,
            "interrupted": self.interrupted,
            "seconds": round(self.seconds, 2),
        }


def _timestamp(folder: Path) -> str | None:
    f = folder / "timestamp.txt"
    try:
        return f.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def find_submissions(course: Path, cfg: Any, assignment: str | None, students: Iterable[str] | None) -> list[tuple[str, str]]:
    """(student, assignment) pairs present in ``submitted/``."""
    submitted = course / cfg.CourseDirectory.get("submitted_directory", "submitted")
    if not submitted.is_dir():
        return []
    wanted = set(students) if students else None
    out = []
    for sdir in sorted(p for p in submitted.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if wanted is not None and sdir.name not in wanted:
            continue
        for adir in sorted(p for p in sdir.iterdir() if p.is_dir() and not p.name.startswith(".")):
            if assignment is None or adir.name == assignment:
                out.append((sdir.name, adir.name))
    return out


def is_done(course: Path, cfg: Any, student: str, assignment: str) -> bool:
    """Graded already, and not resubmitted since (same rule as nbgrader's own skip)."""
    sub = course / cfg.CourseDirectory.get("submitted_directory", "submitted") / student / assignment
    dest = course / cfg.CourseDirectory.get("autograded_directory", "autograded") / student / assignment
    marker = course / ".kefu" / "done" / student / assignment
    if not dest.is_dir() or not marker.is_file():
        return False
    return marker.read_text(encoding="utf-8") == (_timestamp(sub) or "")


def backup_gradebook(course: Path, db: Path) -> Path | None:
    """Copy the gradebook to ``backups/gradebook-<time>-autograde.db`` (the cohort's one backup helper)."""
    from kefu.cohort.backup import backup_gradebook as cohort_backup

    return cohort_backup(course, "autograde", db=getattr(db, "path", db))  # None: PostgreSQL


def _check_assignments(db: Path, course_id: str, pairs: list[tuple[str, str]]) -> set[str]:
    """Assignment ids (among ``pairs``) that the gradebook does not know."""
    from nbgrader.api import Gradebook, MissingEntry

    missing = set()
    with Gradebook(db.url, course_id) as gb:
        for a in sorted({a for _, a in pairs}):
            try:
                gb.find_assignment(a)
            except MissingEntry:
                missing.add(a)
    return missing


def apply_record(gb: Any, student: str, assignment: str, record: dict[str, Any], flagged: list[str]) -> None:
    """Write into the real gradebook what nbgrader recorded in a worker's copy."""
    from nbgrader import utils
    from nbgrader.api import MissingEntry

    from .worker import cell_names

    gb.update_or_create_student(student)
    ts = record.get("timestamp")
    kwargs = {"timestamp": utils.parse_utc(ts)} if ts else {}
    gb.update_or_create_submission(assignment, student, **kwargs)
    flagged_nbs = {f.split("/", 1)[0] for f in flagged}
    for nb_name, nbrec in (record.get("notebooks") or {}).items():
        sub_nb = gb.find_submission_notebook(nb_name, assignment, student)
        sub_nb.late_submission_penalty = nbrec.get("late_submission_penalty")
        if nb_name in flagged_nbs:
            sub_nb.flagged = True
        names = cell_names(gb, sub_nb)
        grades = {names.get(g.cell_id): g for g in sub_nb.grades}
        comments = {names.get(c.cell_id): c for c in sub_nb.comments}
        for name, (auto, needs) in nbrec.get("grades", {}).items():
            g = grades.get(name)
            if g is None:
                raise MissingEntry(f"no grade {name} in {nb_name}")
            g.auto_score = auto
            g.needs_manual_grade = bool(needs)
        for name, text in nbrec.get("comments", {}).items():
            c = comments.get(name)
            if c is None:
                raise MissingEntry(f"no comment {name} in {nb_name}")
            c.auto_comment = text
    gb.db.commit()


def publish(course: Path, cfg: Any, student: str, assignment: str, staged: str) -> None:
    """Move a worker's graded folder into ``autograded/`` (after the grades are committed)."""
    dest = course / cfg.CourseDirectory.get("autograded_directory", "autograded") / student / assignment
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists():
        trash = dest.with_name(f".{dest.name}.old-{os.getpid()}")
        os.replace(dest, trash)
        shutil.rmtree(trash, ignore_errors=True)
    os.replace(staged, dest)
    marker = course / ".kefu" / "done" / student / assignment
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(_timestamp(dest) or "", encoding="utf-8")


def default_jobs() -> int:
    # kernels spend part of their life waiting on each other (start-up handshake, shutdown):
    # one worker more than cores keeps the cores busy
    return max(1, (os.cpu_count() or 1) + 1)


def autograde(
    course_dir: str | os.PathLike[str],
    assignment: str | None = None,
    students: Iterable[str] | None = None,
    jobs: int | None = None,
    progress: bool = True,
    cell_timeout: int = 30,
    force: bool = False,
    preload: list[str] | None = None,
    on_result: Callable[[dict[str, Any]], None] | None = None,
    limits: Any = None,
    lock_wait: float = 5.0,
) -> BatchResult:
    """Autograde every (or one assignment's, or some students') submissions in ``submitted/``.

    ``limits``: the sandbox's :class:`kefu.sandbox.Limits` for every kernel (None: the defaults).
    ``lock_wait``: seconds to wait for another batch on the same cohort before giving up (CourseError).
    """
    t0 = time.monotonic()
    skip_unused_format_checkers()  # before anything imports jsonschema (load_config does)
    ensure_alembic_on_path()
    course = Path(course_dir).resolve()
    if not course.is_dir():
        raise CourseError(f"找不到课程文件夹:{course}")
    from .lock import CohortLock

    with CohortLock(course, wait=lock_wait):
        return _autograde_locked(course, assignment, students, jobs, progress, cell_timeout, force, preload,
                                 on_result, limits, t0)


def _autograde_locked(course: Path, assignment: str | None, students: Iterable[str] | None, jobs: int | None,
                      progress: bool, cell_timeout: int, force: bool, preload: list[str] | None,
                      on_result: Callable[[dict[str, Any]], None] | None, limits: Any, t0: float) -> BatchResult:
    from kefu.sandbox import check
    from kefu.sandbox.limits import Limits

    _LIMITS["batch"] = limits if isinstance(limits, Limits) else Limits()
    ctx = mp.get_context("fork")
    # the kernel zygote's warm-up (ipykernel, pandas: ~2 s) is the longest step before grading can
    # start: start it first, so that it overlaps trying the sandbox, reading the course and importing
    # nbgrader (it holds no course data and forks nothing until asked)
    zygote = _start_zygote(course, preload, ctx) if _has_submissions(course) else None
    try:
        reason = check()  # a real trial sandbox; never grade without one
        if reason:
            raise CourseError(f"无法为学员代码建立沙箱,拒绝评分:{reason}")
        result = _prepare_and_run(course, assignment, students, jobs, progress, cell_timeout, force, preload,
                                  on_result, ctx, zygote)
    except BaseException:  # e.g. a course folder that cannot be used: no kernel was started
        if zygote is not None:
            zygote.kill()
        raise
    result.seconds = time.monotonic() - t0
    return result


def _has_submissions(course: Path) -> bool:
    sub = course / "submitted"
    try:
        return sub.is_dir() and any(p.is_dir() for p in sub.iterdir())
    except OSError:
        return False


def _start_zygote(course: Path, preload: list[str] | None, ctx: Any) -> Any:
    from .kernels_client import ZygoteClient, zygote_env

    if preload is None:
        preload = DEFAULT_PRELOAD + notebook_imports(course / "source")
    preload = [m for m in dict.fromkeys(preload) if _importable(m)]
    return ZygoteClient(preload, env=zygote_env(), lock=ctx.Lock())


def _prepare_and_run(course: Path, assignment: str | None, students: Iterable[str] | None, jobs: int | None,
                     progress: bool, cell_timeout: int, force: bool, preload: list[str] | None,
                     on_result: Callable[[dict[str, Any]], None] | None, ctx: Any, zygote: Any) -> BatchResult:
    cfg = load_config(course)
    from .database import locate_database

    db = locate_database(course, cfg)  # SQLite file or PostgreSQL, checked for damage (.database)
    from kefu.cohort.upgrade import config_problems, outdated_message

    problems = config_problems(course, cfg)  # a cohort made before trusted scoring: no keys, zero scores
    if problems:
        raise CourseError(outdated_message(course, problems))
    course_id = cfg.CourseDirectory.get("course_id", "default_course") or "default_course"
    result = BatchResult()
    pairs = find_submissions(course, cfg, assignment, students)
    if assignment is not None and not pairs:
        subs = course / "submitted"
        known = sorted({p.name for s in subs.iterdir() if s.is_dir() for p in s.iterdir()}) if subs.is_dir() else []
        if assignment not in known:
            raise CourseError(f"没有作业 {assignment!r} 的提交(submitted/ 中已有:{'、'.join(known) or '无'})")
    todo = []
    for s, a in pairs:
        if not force and is_done(course, cfg, s, a):
            result.skipped.append((s, a))
        else:
            todo.append((s, a))
    if not todo:
        if zygote is not None:
            zygote.kill()
        return result
    if zygote is None:  # submissions appeared after the first look
        zygote = _start_zygote(course, preload, ctx)
    try:
        _batch(course, cfg, db, course_id, todo, jobs, cell_timeout, progress, result, on_result, ctx, zygote)
    except KeyboardInterrupt:  # what is committed stays; a rerun continues with the rest
        result.interrupted = True
    finally:
        zygote.close()
        shutil.rmtree(course / ".kefu" / "staging", ignore_errors=True)
        for f in (course / ".kefu").glob("worker-*.db"):
            f.unlink(missing_ok=True)
    return result


def _batch(course: Path, cfg: Any, db: Path, course_id: str, todo: list[tuple[str, str]], jobs: int | None,
           cell_timeout: int, progress: bool, result: BatchResult, on_result: Any, ctx: Any, zygote: Any) -> None:
    unknown = _check_assignments(db, course_id, todo)
    for s, a in [p for p in todo if p[1] in unknown]:
        result.failed.append((s, a, f"成绩册中没有作业 {a}:请先生成并发布该作业"))
    todo = [p for p in todo if p[1] not in unknown]
    if not todo:
        return
    result.backup = str(backup_gradebook(course, db))
    n = max(1, min(jobs or default_jobs(), len(todo)))
    _run_pool(course, cfg, db, course_id, todo, n, cell_timeout, progress, result, on_result, ctx, zygote)


def notebook_imports(folder: Path) -> list[str]:
    """Modules (of PRELOADABLE packages) imported by the source notebooks' code cells."""
    import ast
    import json

    found: list[str] = []
    for path in sorted(folder.glob("*/*.ipynb")):
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for cell in nb.get("cells", []):
            if cell.get("cell_type") != "code":
                continue
            src = cell.get("source", "")
            src = "".join(src) if isinstance(src, list) else src
            try:
                tree = ast.parse("\n".join(ln for ln in src.splitlines() if not ln.lstrip().startswith(("%", "!"))))
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names = [node.module]
                found += [n for n in names if n.split(".")[0] in PRELOADABLE]
    return list(dict.fromkeys(found))


def _importable(name: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(name.split(":", 1)[0]) is not None
    except (ImportError, ValueError, AttributeError):
        return False


def skip_unused_format_checkers() -> None:
    """jsonschema builds a grammar for the optional "iri" format checker (2–3 s of CPU) when it is
    imported; nbformat never checks formats, so in this process that checker is left out."""
    import sys

    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def _run_pool(course: Path, cfg: Any, db: Path, course_id: str, todo: list[tuple[str, str]], n: int,
              cell_timeout: int, progress: bool, result: BatchResult,
              on_result: Callable[[dict[str, Any]], None] | None, ctx: Any, zygote: Any) -> None:
    from multiprocessing.connection import wait

    # import nbgrader's converters here, once: forked workers inherit them
    import nbgrader.converters  # noqa: F401
    import nbgrader.preprocessors  # noqa: F401
    from nbgrader.api import Gradebook

    from .speedups import apply_all as apply_speedups
    from .worker import worker_main

    apply_speedups()
    from .trusted import warm as warm_trusted

    # keys parsed and marking engines loaded once here, not once per forked worker
    warm_trusted(cfg.TrustedScore.get("keys_dir") if "TrustedScore" in cfg else None, sorted({a for _, a in todo}))
    from .worker import preload_cells

    preload_cells(db.url, course_id, sorted({a for _, a in todo}))
    from .kernels import set_limits

    set_limits(_LIMITS.get("batch"))  # inherited by the forked workers
    import warnings

    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader's own autoflush notices
    queue = list(reversed(todo))
    source = db.worker_source(course)  # what workers copy: the SQLite file, or a PostgreSQL snapshot
    workers: dict[Any, dict[str, Any]] = {}

    def start(i: int) -> None:
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_worker_entry, args=(os.getpid(), child, str(course), i, str(source), cell_timeout,
                                                       zygote), daemon=True)
        proc.start()
        child.close()
        workers[parent] = {"proc": proc, "task": None, "index": i}

    for i in range(n):
        start(i)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(todo), desc="自动评分", unit="份", dynamic_ncols=True)
    next_index = n
    gb = Gradebook(db.url, course_id)
    try:
        while workers:
            ready = wait(list(workers), timeout=1.0)
            for conn in ready:
                w = workers[conn]
                try:
                    msg = conn.recv()
                except (EOFError, OSError):
                    msg = None
                if msg is None:  # the worker process died
                    w["proc"].join(timeout=1)
                    del workers[conn]
                    if w["task"] is not None:
                        s, a = w["task"]
                        result.failed.append((s, a, "评分进程意外退出(可能是内存耗尽),该份作业未评分"))
                        if bar:
                            bar.update(1)
                    if queue and w["task"] is not None and next_index < 4 * n:
                        start(next_index)
                        next_index += 1
                    elif queue and not workers:
                        for s, a in reversed(queue):
                            result.failed.append((s, a, "评分进程无法继续,该份作业未评分"))
                        queue.clear()
                    continue
                if "fatal" in msg:  # a worker that cannot start: stop the batch, keep what is done
                    raise CourseError("评分进程无法启动:\n" + msg["fatal"])
                if "ready" not in msg:
                    _record(course, cfg, gb, msg, result, on_result)
                    if bar:
                        bar.update(1)
                        if result.failed:
                            bar.set_postfix_str(f"失败 {len(result.failed)}")
                if queue:
                    w["task"] = queue.pop()
                    conn.send(w["task"])
                else:
                    w["task"] = None
                    conn.send(None)
                    w["proc"].join(timeout=10)
                    del workers[conn]
    finally:
        for conn, w in list(workers.items()):
            try:
                conn.send(None)
            except (OSError, BrokenPipeError):
                pass
        for conn, w in list(workers.items()):
            w["proc"].join(timeout=3)
            if w["proc"].is_alive():
                w["proc"].terminate()
        gb.close()
        if bar:
            bar.close()


def _worker_entry(batch_pid: int, *args: Any) -> None:
    """A worker dies with the batch process (PR_SET_PDEATHSIG), even when that is SIGKILLed."""
    import signal

    from kefu.sandbox import linux

    from .worker import worker_main

    linux.prctl(linux.PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != batch_pid:  # it died before the line above
        os._exit(1)
    worker_main(*args)


def _record(course: Path, cfg: Any, gb: Any, msg: dict[str, Any], result: BatchResult,
            on_result: Callable[[dict[str, Any]], None] | None) -> None:
    s, a = msg["student"], msg["assignment"]
    try:
        if msg.get("record"):
            apply_record(gb, s, a, msg["record"], msg.get("flags") or [])
        if msg.get("ok"):
            publish(course, cfg, s, a, msg["staged"])
            result.graded.append((s, a))
        else:
            result.failed.append((s, a, msg.get("error") or "评分出错"))
    except Exception as exc:  # noqa: BLE001
        gb.db.rollback()
        result.failed.append((s, a, f"写入成绩册失败:{exc}"))
    for f in msg.get("flags") or []:
        result.flagged.append((s, a, f"受保护的单元格 {f} 被改动过,已按原题恢复后评分,请人工复核"))
    for note in msg.get("notes") or []:
        result.notes.append((s, a, note))
    if on_result:
        on_result(msg)
