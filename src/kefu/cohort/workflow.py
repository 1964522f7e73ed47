"""The trainer's weekly steps on a cohort folder, through nbgrader's real exchange:
release, collect (with the exam policy), feedback; and the trainee's fetch / submit.

Every failure raises :class:`CohortError` with a Chinese message; nothing already collected or
graded is overwritten by a refused submission (it stays in the exchange's inbound folder).
"""
from __future__ import annotations

import datetime as dt
import glob
import io
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from .config import CohortError, ensure_bin_on_path, load_config
from .create import exam_ids, load_meta


def _quiet(obj) -> None:
    """Send an nbgrader object's log to a buffer (shown only on failure)."""
    buf = io.StringIO()
    handler = logging.StreamHandler(buf)
    obj.log.handlers[:] = [handler]
    obj.log.propagate = False
    obj._kefu_log = buf


def _coursedir(course_dir, config, assignment: str = "", student: str = "*"):
    from nbgrader.coursedir import CourseDirectory

    cd = CourseDirectory(config=config)
    cd.assignment_id = assignment
    cd.student_id = student
    return cd


def cohort_tz(course_dir) -> ZoneInfo:
    try:
        return ZoneInfo(load_meta(course_dir).get("timezone", "UTC"))
    except CohortError:
        return ZoneInfo("UTC")


def source_assignments(course_dir) -> list[str]:
    src = Path(course_dir) / "source"
    return sorted(p.name for p in src.iterdir() if p.is_dir()) if src.is_dir() else []


def released_assignments(course_dir) -> list[str]:
    cfg = load_config(course_dir)
    out = Path(cfg.Exchange.root) / cfg.CourseDirectory.course_id / "outbound"
    return sorted(p.name for p in out.iterdir() if p.is_dir()) if out.is_dir() else []


def roster_ids(course_dir) -> list[str]:
    from nbgrader.api import Gradebook

    cfg = load_config(course_dir)
    with Gradebook(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id) as gb:
        return [s.id for s in gb.students]


def _check_assignment(course_dir, assignment: str, known: list[str], what: str = "作业") -> None:
    if assignment not in known:
        listing = "、".join(known) or "(无)"
        raise CohortError(f"没有这个{what}:“{assignment}”。现有:{listing}")


# ----------------------------------------------------------------------------- trainer side
def release(course_dir, assignment: str, *, force: bool = False) -> str:
    """generate_assignment + release_assignment; returns the outbound folder."""
    from nbgrader.apps import NbGraderAPI

    ensure_bin_on_path()
    course_dir = Path(course_dir).resolve()
    cfg = load_config(course_dir)
    _check_assignment(course_dir, assignment, source_assignments(course_dir))
    api = NbGraderAPI(coursedir=_coursedir(course_dir, cfg), config=cfg)
    res = api.generate_assignment(assignment, force=True)
    if not res["success"]:
        raise CohortError(f"生成学员版“{assignment}”失败:\n{res.get('error') or res.get('log')}")
    outbound = Path(cfg.Exchange.root) / cfg.CourseDirectory.course_id / "outbound" / assignment
    if outbound.exists():
        if not force:
            raise CohortError(f"“{assignment}”已经发布过;如需重新发布请加 --force(学员已领取的不受影响)")
        res = api.unrelease(assignment)
        if not res["success"]:
            raise CohortError(f"撤回旧版“{assignment}”失败:\n{res.get('error') or res.get('log')}")
    res = api.release_assignment(assignment)
    if not res["success"]:
        raise CohortError(f"发布“{assignment}”失败:\n{res.get('error') or res.get('log')}")
    return str(outbound)


@dataclass
class CollectReport:
    collected: list[tuple[str, str, dt.datetime]] = field(default_factory=list)  # (trainee, assignment, local time)
    refused: list[tuple[str, str, str]] = field(default_factory=list)  # (trainee, assignment, Chinese reason)
    late: list[tuple[str, str, float]] = field(default_factory=list)  # (trainee, assignment, minutes late)


def _inbound_records(inbound: Path, assignment: str) -> dict[str, list[tuple[dt.datetime, str]]]:
    from nbgrader.utils import parse_utc

    by_student: dict[str, list[tuple[dt.datetime, str]]] = {}
    for path in glob.glob(str(inbound / f"*+{glob.escape(assignment)}+*")):
        parts = os.path.basename(path).rsplit("+", 3)
        if len(parts) < 3 or parts[1] != assignment:
            continue
        try:
            when = parse_utc(parts[2])
        except (ValueError, OverflowError):
            continue
        by_student.setdefault(parts[0], []).append((when, os.path.basename(path)))
    for recs in by_student.values():
        recs.sort(reverse=True)
    return by_student


def _collected_timestamp(course_dir: Path, cfg, student: str, assignment: str) -> dt.datetime | None:
    from nbgrader.utils import parse_utc

    p = course_dir / "submitted" / student / assignment / "timestamp.txt"
    if not p.is_file():
        return None
    try:
        return parse_utc(p.read_text().strip())
    except ValueError:
        return None


def _graded_attempt(cfg, student: str, assignment: str):
    """The gradebook's record of a submission as a policy Attempt, or None."""
    from nbgrader.api import Gradebook, MissingEntry

    from kefu.gradebook.data import attempt_from_submission
    from kefu.seeds import load

    total = load("exam.yml").theory.total_points
    with Gradebook(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id) as gb:
        try:
            sub = gb.find_submission(assignment, student)
        except MissingEntry:
            return None
        return attempt_from_submission(sub, assignment, total)


def policy_refusal(course_dir, student: str, assignment: str, when: dt.datetime) -> str | None:
    """Why the exam policy refuses a submission made at ``when`` (naive UTC or aware), or None."""
    from kefu.gradebook.policy import Attempt, RetakeRefused, check_retake

    course_dir = Path(course_dir).resolve()
    cfg = load_config(course_dir)
    tz = cohort_tz(course_dir)
    ids = exam_ids()
    local = lambda t: (t.replace(tzinfo=dt.timezone.utc) if t.tzinfo is None else t).astimezone(tz)  # noqa: E731
    if assignment == ids["retake"]:
        first = _graded_attempt(cfg, student, ids["theory"])
        if first is None:
            ts = _collected_timestamp(course_dir, cfg, student, ids["theory"])
            first = Attempt(ids["theory"], None, submitted_at=ts) if ts else None
        prev = _collected_timestamp(course_dir, cfg, student, assignment)
        # a resubmission on the same day is the same sitting; another day is a second retake
        taken = 1 if prev is not None and local(prev).date() != local(when).date() else 0
        try:
            check_retake(student, first, when, retakes_taken=taken, tz=tz)
        except RetakeRefused as exc:
            return str(exc)
    if assignment in (ids["theory"], ids["practical"]):
        graded = _graded_attempt(cfg, student, assignment)
        prev = _collected_timestamp(course_dir, cfg, student, assignment)
        if graded is not None and prev is not None and local(prev).date() != local(when).date():
            extra = f";补考请提交 {ids['retake']}" if assignment == ids["theory"] else ""
            return f"学员 {student}: {assignment} 已经评过分({prev:%Y-%m-%d}),不再接受新的提交{extra}"
    return None


def collect(course_dir, assignment: str | None = None) -> CollectReport:
    """Collect submissions from the exchange, applying the exam policy per trainee."""
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.exchange.default import ExchangeCollect

    ensure_bin_on_path()
    course_dir = Path(course_dir).resolve()
    cfg = load_config(course_dir)
    released = released_assignments(course_dir)
    if assignment is not None:
        _check_assignment(course_dir, assignment, sorted(set(released) | set(source_assignments(course_dir))))
        todo = [assignment]
    else:
        todo = released
    known = set(roster_ids(course_dir))
    tz = cohort_tz(course_dir)
    inbound = Path(cfg.Exchange.root) / cfg.CourseDirectory.course_id / "inbound"
    report = CollectReport()
    for aid in todo:
        with Gradebook(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id) as gb:
            try:
                due = gb.find_assignment(aid).duedate
            except MissingEntry:
                due = None
        for student, recs in sorted(_inbound_records(inbound, aid).items()):
            when = recs[0][0]
            if student not in known:
                report.refused.append((student, aid, f"工号“{student}”不在本班名单中,提交未收取"))
                continue
            prev = _collected_timestamp(course_dir, cfg, student, aid)
            if prev is not None and prev >= when:
                continue  # nothing newer
            reason = policy_refusal(course_dir, student, aid, when)
            if reason:
                report.refused.append((student, aid, reason))
                continue
            cd = _coursedir(course_dir, cfg, aid, student)
            coll = ExchangeCollect(coursedir=cd, config=cfg)
            coll.update = True
            _quiet(coll)
            try:
                coll.start()
            except Exception as exc:
                raise CohortError(f"收取 {student} 的 {aid} 失败:{exc}\n{coll._kefu_log.getvalue()}") from None
            local = when.replace(tzinfo=dt.timezone.utc).astimezone(tz)
            report.collected.append((student, aid, local))
            if due is not None and when > due:
                report.late.append((student, aid, (when - due).total_seconds() / 60))
    return report


def feedback(course_dir, assignment: str | None = None):
    """Generate and release feedback (hidden tests removed) through kefu.autograde."""
    if assignment is not None:
        _check_assignment(course_dir, assignment, source_assignments(course_dir))
    ensure_bin_on_path()
    try:
        from kefu.autograde import feedback as _feedback

        return _feedback(Path(course_dir).resolve(), assignment)
    except ImportError as exc:
        if (getattr(exc, "name", "") or "").startswith("kefu.autograde"):
            raise CohortError("反馈功能(kefu.autograde.feedback)尚未安装;请先更新 kefu-kit") from None
        raise
    except Exception as exc:
        if exc.__class__.__name__ == "CourseError":
            raise CohortError(str(exc)) from None
        raise


# ----------------------------------------------------------------------------- trainee side
def trainee_config(course_dir, trainee: str, home: str | Path):
    """The cohort config as seen from a trainee's workspace ``home`` (fetched assignments go there)."""
    cfg = load_config(course_dir)
    home = Path(home).resolve()
    home.mkdir(parents=True, exist_ok=True)
    cfg.CourseDirectory.student_id = trainee
    cfg.Exchange.assignment_dir = str(home)
    cfg.Exchange.cache = str(home / ".nbgrader_cache")
    return cfg


def fetch(course_dir, trainee: str, assignment: str, home: str | Path) -> Path:
    """A trainee fetches a released assignment into ``home/<assignment>/``."""
    from nbgrader.auth import Authenticator
    from nbgrader.exchange import ExchangeError
    from nbgrader.exchange.default import ExchangeFetchAssignment

    if trainee not in roster_ids(course_dir):
        raise CohortError(f"工号“{trainee}”不在本班名单中")
    _check_assignment(course_dir, assignment, released_assignments(course_dir), "已发布的作业")
    cfg = trainee_config(course_dir, trainee, home)
    cd = _coursedir(course_dir, cfg, assignment, trainee)
    ex = ExchangeFetchAssignment(coursedir=cd, authenticator=Authenticator(config=cfg), config=cfg)
    _quiet(ex)
    try:
        ex.start()
    except ExchangeError as exc:
        raise CohortError(f"{trainee} 领取 {assignment} 失败:{exc}") from None
    return Path(home).resolve() / assignment


def submit(
    course_dir, trainee: str, assignment: str, home: str | Path, when: dt.datetime | None = None,
    *, check_policy: bool = True,
) -> dt.datetime:
    """A trainee submits ``home/<assignment>/``. ``when`` (aware) fixes the recorded time (simulations).

    The exam policy is checked first (e.g. a retake too early is refused here as at collect time);
    ``check_policy=False`` skips that check (a trainee's own machine cannot see the gradebook).
    Returns the submission time (UTC, naive, as nbgrader records it).
    """
    from dateutil.tz import gettz
    from nbgrader.auth import Authenticator
    from nbgrader.exchange import ExchangeError
    from nbgrader.exchange.default import ExchangeSubmit
    from nbgrader.utils import parse_utc

    if trainee not in roster_ids(course_dir):
        raise CohortError(f"工号“{trainee}”不在本班名单中")
    _check_assignment(course_dir, assignment, released_assignments(course_dir), "已发布的作业")
    moment = when or dt.datetime.now(dt.timezone.utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    reason = policy_refusal(course_dir, trainee, assignment, moment) if check_policy else None
    if reason:
        raise CohortError(reason)
    cfg = trainee_config(course_dir, trainee, home)

    class _Submit(ExchangeSubmit):
        def set_timestamp(self):
            tz = gettz(self.timezone)
            self.timestamp = moment.astimezone(tz).strftime(self.timestamp_format)

    ex = _Submit(coursedir=_coursedir(course_dir, cfg, assignment, trainee),
                 authenticator=Authenticator(config=cfg), config=cfg)
    _quiet(ex)
    try:
        ex.start()
    except ExchangeError as exc:
        raise CohortError(f"{trainee} 提交 {assignment} 失败:{exc}") from None
    return parse_utc(ex.timestamp)
