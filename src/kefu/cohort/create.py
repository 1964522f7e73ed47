"""``kefu cohort init``: a cohort folder from a roster.

The folder is an ordinary nbgrader course directory: nbgrader_config.py, gradebook.db (students and
assignments with due dates), source/<assignment>/ copied from the kit's assignments/, exchange/.
kefu's own notes about the cohort (teams, start dates, the exam schedule) go to cohort.json.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .config import (
    CONFIG_NAME,
    DB_NAME,
    EXCHANGE_NAME,
    LATE_PLUGIN_MODULE,
    CohortError,
    ensure_bin_on_path,
    late_plugin_class,
    render_config,
)
from .roster import Trainee, read_roster
from .students import add_students

META_NAME = "cohort.json"
#: a cohort being built lives in a hidden sibling folder ``.kefu-init-<name>.<pid>`` holding this marker
BUILD_PREFIX = ".kefu-init-"
BUILD_MARKER = ".kefu-init-unfinished"


def repo_root() -> Path:
    from kefu.seeds import seeds_dir

    return seeds_dir().parent


def programme_assignments() -> list[tuple[str, str, int | None]]:
    """(assignment id, kind, classroom day or None) in programme order: chapters, then the exams."""
    from kefu.course import load_course
    from kefu.seeds import load

    exam = load("exam.yml")
    out: list[tuple[str, str, int | None]] = []
    for ch in load_course().chapters:
        m = re.search(r"第\s*(\d+)\s*天", ch.day)
        out.append((ch.assignment_id, "chapter", int(m[1]) if m else None))
    out.append((exam.theory.assignment_id, "theory", None))
    out.append((exam.theory.retake_assignment_id, "retake", None))
    out.append((exam.practical.assignment_id, "practical", None))
    return out


def exam_ids() -> dict[str, str]:
    """kind -> assignment id for the exams (from seeds/exam.yml)."""
    from kefu.seeds import load

    exam = load("exam.yml")
    return {
        "theory": exam.theory.assignment_id,
        "retake": exam.theory.retake_assignment_id,
        "practical": exam.practical.assignment_id,
    }


@dataclass
class Schedule:
    """Exam times (aware datetimes in the cohort's time zone) and the due dates derived from them."""

    start: dt.date
    theory_at: dt.datetime
    retake_at: dt.datetime
    practical_due: dt.datetime
    chapters_due: dt.datetime

    def due_dates(self) -> dict[str, dt.datetime]:
        from kefu.seeds import load

        exam = load("exam.yml")
        minutes = dt.timedelta(minutes=exam.theory.minutes)
        chapters = {aid: self.chapters_due for aid, kind, _ in programme_assignments() if kind == "chapter"}
        return {
            **chapters,
            exam.theory.assignment_id: self.theory_at + minutes,
            exam.theory.retake_assignment_id: self.retake_at + minutes,
            exam.practical.assignment_id: self.practical_due,
        }


def _hhmm(text: str) -> dt.time:
    h, m = str(text).split(":")
    return dt.time(int(h) % 24, int(m))


def default_schedule(start: dt.date, tz: ZoneInfo, exam_time: dt.time | None = None) -> Schedule:
    """Exam times from seeds/programme.yml and seeds/exam.yml.

    The theory exam sits in the classroom session whose topic names 理论考核 (or, failing that, the first
    session after the last classroom day); the retake ``retake_min_days`` later; the practical is due
    ``within_days_after_training`` days after the last classroom day, chapter exercises at the end of the
    coached practice (``practice_weeks``), both at the end of the programme's last session of a day.
    """
    from kefu.seeds import load

    exam = load("exam.yml")
    prog = load("programme.yml")
    classroom_days = prog.classroom_days
    sessions = sorted(prog.sessions, key=lambda s: (s.day, s.start))
    day_end = max((_hhmm(s.end) for s in sessions), default=dt.time(23, 59))
    exam_session = next((s for s in sessions if "理论考核" in s.topic), None)
    if exam_session is not None:
        theory_day = start + dt.timedelta(days=exam_session.day - 1)
        at = exam_time or _hhmm(exam_session.start)
    else:
        theory_day = start + dt.timedelta(days=classroom_days)
        at = exam_time or (_hhmm(sessions[0].start) if sessions else dt.time(9, 0))
    theory_at = dt.datetime.combine(theory_day, at, tzinfo=tz)
    retake_at = theory_at + dt.timedelta(days=exam.theory.retake_min_days)
    last_day = start + dt.timedelta(days=classroom_days - 1)
    practical_due = dt.datetime.combine(
        last_day + dt.timedelta(days=exam.practical.within_days_after_training), day_end, tzinfo=tz
    )
    chapters_due = dt.datetime.combine(last_day + dt.timedelta(weeks=prog.practice_weeks), day_end, tzinfo=tz)
    return Schedule(start, theory_at, retake_at, practical_due, chapters_due)


def to_utc_naive(when: dt.datetime) -> dt.datetime:
    """nbgrader stores times as naive UTC."""
    return when.astimezone(dt.timezone.utc).replace(tzinfo=None)


def safe_course_id(folder: Path) -> str:
    cid = re.sub(r"[^A-Za-z0-9_-]+", "-", folder.name).strip("-").lower()
    return cid or "kefu-cohort"


def init_cohort(
    course_dir: str | Path,
    roster: str | Path,
    *,
    course_id: str | None = None,
    timezone: str = "Asia/Shanghai",
    exchange: str | Path | None = None,
    assignments_dir: str | Path | None = None,
    theory_at: dt.datetime | None = None,
    retake_at: dt.datetime | None = None,
    exam_time: dt.time | None = None,
    start: dt.date | None = None,
) -> dict:
    """Create a cohort folder; returns its metadata (also written to cohort.json).

    Raises :class:`~kefu.cohort.roster.RosterError` or :class:`CohortError` with Chinese messages.
    """
    course_dir = Path(course_dir).resolve()
    trainees: list[Trainee] = read_roster(roster)
    if (course_dir / CONFIG_NAME).exists():
        raise CohortError(f"{course_dir}: 这里已经有一个培训班(存在 {CONFIG_NAME}),请换一个新文件夹")
    if course_dir.exists() and (not course_dir.is_dir() or any(course_dir.iterdir())):
        raise CohortError(f"{course_dir}: 文件夹已存在且不是空的;培训班要建在一个新的(或空的)文件夹里")
    try:
        tz = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise CohortError(f"时区“{timezone}”无效(例如 Asia/Shanghai)") from None
    course_id = course_id or safe_course_id(course_dir)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", course_id):
        raise CohortError(f"班级编号“{course_id}”无效:只能用英文字母、数字、“-”和“_”")
    src_root = Path(assignments_dir) if assignments_dir else repo_root() / "assignments"

    start = start or min(t.start_date for t in trainees)
    sched = default_schedule(start, tz, exam_time)
    if theory_at:
        sched.theory_at = theory_at if theory_at.tzinfo else theory_at.replace(tzinfo=tz)
        if not retake_at:
            from kefu.seeds import load

            sched.retake_at = sched.theory_at + dt.timedelta(days=load("exam.yml").theory.retake_min_days)
    if retake_at:
        sched.retake_at = retake_at if retake_at.tzinfo else retake_at.replace(tzinfo=tz)
    due = sched.due_dates()

    # which assignments: the programme's, in order, then any other folder in assignments/
    wanted = [aid for aid, _, _ in programme_assignments()]
    if src_root.is_dir():
        wanted += sorted(
            p.name for p in src_root.iterdir()
            if p.is_dir() and not p.name.startswith(("_", ".")) and p.name not in wanted
        )
    present = [a for a in wanted if (src_root / a).is_dir() and any((src_root / a).glob("*.ipynb"))]
    missing = [a for a in wanted if a not in present]

    meta = {
        "course_id": course_id,
        "timezone": timezone,
        "schedule": {
            "start": start.isoformat(),
            "theory_at": sched.theory_at.isoformat(),
            "retake_at": sched.retake_at.isoformat(),
            "practical_due": sched.practical_due.isoformat(),
            "chapters_due": sched.chapters_due.isoformat(),
            "due": {k: v.isoformat() for k, v in due.items() if k in present},
        },
        "assignments": present,
        "missing_assignments": missing,
        "late_plugin": None,
        "trainees": [
            {"id": t.id, "name": t.name, "team": t.team, "start_date": t.start_date.isoformat()} for t in trainees
        ],
    }
    # Built in a hidden sibling folder and renamed into place at the end: a run killed halfway leaves
    # no cohort folder that release/collect could use, only the sibling (removed by the next init).
    course_dir.parent.mkdir(parents=True, exist_ok=True)
    for stale in unfinished_builds(course_dir):
        shutil.rmtree(stale, ignore_errors=True)
    work = course_dir.parent / f"{BUILD_PREFIX}{course_dir.name}.{os.getpid()}"
    work.mkdir()
    (work / BUILD_MARKER).write_text(f"kefu cohort init → {course_dir}\n", encoding="utf-8")
    try:
        _build(work, src_root, present, trainees, due, course_id, timezone, exchange, meta)
        (work / BUILD_MARKER).unlink()
        if course_dir.is_dir():
            course_dir.rmdir()  # empty (checked above): rename needs the name free or an empty folder
        os.rename(work, course_dir)
    except BaseException as exc:
        shutil.rmtree(work, ignore_errors=True)
        if isinstance(exc, (OSError, shutil.Error)):
            raise CohortError(f"建立培训班失败,没有留下任何文件夹:{exc}") from None
        raise
    return meta


def _build(work: Path, src_root: Path, present: list[str], trainees: list[Trainee], due: dict,
           course_id: str, timezone: str, exchange, meta: dict) -> None:
    """Write the whole cohort folder into ``work`` (cohort.json last)."""
    late_plugin = None
    plugin_file = repo_root() / "autograde" / "late_plugin.py"
    if plugin_file.is_file():
        late_plugin = late_plugin_class(plugin_file)
        if late_plugin:
            shutil.copy2(plugin_file, work / f"{LATE_PLUGIN_MODULE}.py")
    (work / CONFIG_NAME).write_text(
        render_config(course_id, timezone=timezone, exchange=str(exchange) if exchange else None,
                      late_plugin=late_plugin, keys_dir=str((src_root / "_keys").resolve())),
        encoding="utf-8",
    )
    exch = Path(exchange) if exchange else work / EXCHANGE_NAME
    exch.mkdir(parents=True, exist_ok=True)
    for aid in present:
        dest = work / "source" / aid
        shutil.copytree(src_root / aid, dest, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))

    ensure_bin_on_path()
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{work / DB_NAME}", course_id) as gb:
        add_students(gb, trainees)  # one commit for the whole roster (was one per trainee)
        for aid in present:
            gb.update_or_create_assignment(aid, duedate=to_utc_naive(due[aid]) if aid in due else None)

    meta["late_plugin"] = late_plugin
    (work / META_NAME).write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def unfinished_builds(course_dir: str | Path) -> list[Path]:
    """Hidden sibling folders left by a ``kefu cohort init`` of ``course_dir`` that did not finish."""
    course_dir = Path(course_dir).resolve()
    parent = course_dir.parent
    if not parent.is_dir():
        return []
    return sorted(p for p in parent.glob(f"{BUILD_PREFIX}{course_dir.name}.*") if (p / BUILD_MARKER).is_file())


def check_complete(course_dir: str | Path) -> None:
    """Refuse a folder that is not a finished cohort (an init killed halfway), in Chinese."""
    course_dir = Path(course_dir).resolve()
    left = unfinished_builds(course_dir)
    if not (course_dir / CONFIG_NAME).is_file() and left:
        raise CohortError(
            f"{course_dir}: 培训班没有建成——上次的 kefu cohort init 中途停止了(留下未完成的 {left[0].name});"
            f"请重新运行 kefu cohort init {course_dir} --roster 名单,未完成的部分会被清掉"
        )
    if (course_dir / CONFIG_NAME).is_file() and not (course_dir / META_NAME).is_file():
        raise CohortError(
            f"{course_dir}: 培训班文件夹不完整(有 {CONFIG_NAME},缺少 {META_NAME}),可能是建班时被中断;"
            "不能在它上面发布或收取作业。请把它改名留存,再用 kefu cohort init 重新建班"
        )


def load_meta(course_dir: str | Path) -> dict:
    p = Path(course_dir) / META_NAME
    if not p.is_file():
        raise CohortError(f"{Path(course_dir).resolve()}: 缺少 {META_NAME}(不是用 kefu cohort init 创建的培训班?)")
    return json.loads(p.read_text(encoding="utf-8"))
