"""The trainer's weekly steps on a cohort folder, through nbgrader's real exchange:
release, collect (with the exam policy), feedback; and the trainee's fetch / submit.

Every failure raises :class:`CohortError` with a Chinese message; nothing already collected or
graded is overwritten by a refused submission (it stays in the exchange's inbound folder).

Exam integrity: collect dates each submission and identifies its trainee on the trainer's side
(:mod:`kefu.cohort.provenance`); a ``timestamp.txt`` that claims an earlier time is flagged and
rewritten to the trusted time (nbgrader's late logic reads that file); a graded exam attempt is locked;
the retake rule is checked at submit and again at collect. Every command first checks the cohort folder
and its gradebook (:func:`kefu.cohort.backup.check_gradebook`), so a damaged gradebook is never
silently recreated.
"""
from __future__ import annotations

import datetime as dt
import glob
import io
import json
import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from . import provenance as P
from .backup import backup_folder, backup_gradebook, check_gradebook
from .config import CohortError, ensure_bin_on_path, load_config
from .create import check_complete, exam_ids, load_meta

#: kefu's record of what collect took from the exchange (trusted time, claim, owner, flags)
COLLECTED_LOG = Path(".kefu") / "collected.json"


def check_cohort(course_dir) -> Path:
    """A finished cohort folder with a healthy gradebook, or a Chinese :class:`CohortError`."""
    course_dir = Path(course_dir).resolve()
    check_complete(course_dir)
    load_config(course_dir)
    check_gradebook(course_dir)
    return course_dir


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

    check_cohort(course_dir)
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
    course_dir = check_cohort(course_dir)
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
    flagged: list[tuple[str, str, str]] = field(default_factory=list)  # (trainee, assignment, Chinese note)
    backups: list[str] = field(default_factory=list)  # replaced submissions kept under backups/


def _inbound_records(inbound: Path, assignment: str, clock: P.Clock) -> dict[str, list[tuple[dt.datetime, str]]]:
    """trainee → [(trusted time, inbound folder name)], newest first. The trainee id is the one in the
    folder name (checked against the folder's owner where that can be known)."""
    by_student: dict[str, list[tuple[dt.datetime, str]]] = {}
    for path in glob.glob(str(inbound / f"*+{glob.escape(assignment)}+*")):
        parts = os.path.basename(path).rsplit("+", 3)
        if len(parts) < 3 or parts[1] != assignment or not os.path.isdir(path):
            continue
        try:
            when = clock(Path(path))
        except OSError:
            continue
        by_student.setdefault(parts[0], []).append((when, os.path.basename(path)))
    for recs in by_student.values():
        recs.sort(reverse=True)
    return by_student


def _log_path(course_dir: Path) -> Path:
    return course_dir / COLLECTED_LOG


def collected_log(course_dir) -> dict[str, dict]:
    """``"<trainee>/<assignment>"`` → what collect recorded about the submission it took."""
    p = _log_path(Path(course_dir))
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_log(course_dir: Path, log: dict) -> None:
    p = _log_path(course_dir)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_suffix(".tmp")
    tmp.write_text(json.dumps(log, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, p)


def _collected_timestamp(course_dir: Path, cfg, student: str, assignment: str) -> dt.datetime | None:
    """When the collected submission was made: the trusted time collect recorded (older cohorts:
    the collected ``timestamp.txt``)."""
    from nbgrader.utils import parse_utc

    rec = collected_log(course_dir).get(f"{student}/{assignment}")
    if rec and rec.get("trusted"):
        return dt.datetime.fromisoformat(rec["trusted"])
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


def _locked_reason(student: str, assignment: str, graded, ids: dict[str, str]) -> str:
    from kefu.gradebook.policy import passed
    from kefu.seeds import load

    rules = load("exam.yml")
    score = "阅卷中" if graded.score is None or graded.needs_manual_grade else f"{graded.score:g} 分"
    head = f"学员 {student}: {assignment} 已经评分({score}),这次考试的成绩已锁定,不再接受新的提交"
    if assignment == ids["theory"] and graded.score is not None and not passed(graded.score, rules.theory.pass_score):
        return head + f";补考请提交 {ids['retake']}(首考后至少 {rules.theory.retake_min_days} 天)"
    if assignment == ids["retake"]:
        return head + f";补考只允许 {rules.theory.retakes_allowed} 次"
    return head


def policy_refusal(course_dir, student: str, assignment: str, when: dt.datetime) -> str | None:
    """Why the exam rules refuse a submission made at ``when`` (naive UTC or aware), or None.

    A graded exam attempt (theory, retake, practical) is locked. A retake needs a graded, failed first
    attempt, at least ``retake_min_days`` calendar days before, and only ``retakes_allowed`` of them:
    a retake collected on another day counts as one taken (the same day is the same sitting).
    """
    from kefu.gradebook.policy import Attempt, RetakeRefused, check_retake

    course_dir = check_cohort(course_dir)
    cfg = load_config(course_dir)
    ids = exam_ids()
    if assignment not in ids.values():
        return None
    tz = cohort_tz(course_dir)
    local = lambda t: (t.replace(tzinfo=dt.timezone.utc) if t.tzinfo is None else t).astimezone(tz)  # noqa: E731
    graded = _graded_attempt(cfg, student, assignment)
    if graded is not None:
        return _locked_reason(student, assignment, graded, ids)
    if assignment == ids["retake"]:
        first = _graded_attempt(cfg, student, ids["theory"])
        if first is None:
            ts = _collected_timestamp(course_dir, cfg, student, ids["theory"])
            first = Attempt(ids["theory"], None, submitted_at=ts) if ts else None
        prev = _collected_timestamp(course_dir, cfg, student, assignment)
        taken = 1 if prev is not None and local(prev).date() != local(when).date() else 0
        try:
            check_retake(student, first, when, retakes_taken=taken, tz=tz)
        except RetakeRefused as exc:
            return str(exc)
    return None


def _identity_refusal(owner: P.Owner, student: str, known: set[str]) -> str | None:
    if owner.trainee is None or owner.trainee == student:
        return None
    if owner.trainee in known:
        return (f"这份以 {student} 名义提交的作业属于系统账号“{owner.account}”(学员 {owner.trainee}),"
                f"不是 {student} 本人提交的,未收取")
    return (f"这份以 {student} 名义提交的作业属于系统账号“{owner.account}”,不是 {student} 本人提交的,未收取;"
            f"如果这个账号确实是 {student} 的,请在 cohort.json 的 os_accounts 里登记"
            f"(\"{owner.account}\": \"{student}\")后重新收取")


def collect(course_dir, assignment: str | None = None, *, clock: P.Clock | None = None) -> CollectReport:
    """Collect submissions from the exchange, applying identity, time and exam rules per trainee.

    ``clock`` dates an inbound submission folder (default: :func:`provenance.trusted_time`; only
    simulations pass :func:`provenance.simulated_clock`).
    """
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.exchange.default import ExchangeCollect

    ensure_bin_on_path()
    course_dir = check_cohort(course_dir)
    clock = clock or P.trusted_time
    cfg = load_config(course_dir)
    released = released_assignments(course_dir)
    if assignment is not None:
        _check_assignment(course_dir, assignment, sorted(set(released) | set(source_assignments(course_dir))))
        todo = [assignment]
    else:
        todo = released
    known = set(roster_ids(course_dir))
    accounts = dict(load_meta(course_dir).get("os_accounts") or {})
    tz = cohort_tz(course_dir)
    inbound = Path(cfg.Exchange.root) / cfg.CourseDirectory.course_id / "inbound"
    report = CollectReport()
    log = collected_log(course_dir)
    for aid in todo:
        with Gradebook(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id) as gb:
            try:
                due = gb.find_assignment(aid).duedate
            except MissingEntry:
                due = None
        for student, recs in sorted(_inbound_records(inbound, aid, clock).items()):
            when, name = recs[0]
            folder = inbound / name
            if student not in known:
                report.refused.append((student, aid, f"工号“{student}”不在本班名单中,提交未收取"))
                continue
            key = f"{student}/{aid}"
            if log.get(key, {}).get("inbound") == name:
                continue  # this very submission was collected already
            prev = _collected_timestamp(course_dir, cfg, student, aid)
            if prev is not None and prev >= when:
                continue  # nothing newer
            why = _identity_refusal(P.folder_owner(folder, accounts), student, known)
            why = why or _links_refusal(folder) or _size_refusal(folder)
            why = why or policy_refusal(course_dir, student, aid, when)
            if why:
                report.refused.append((student, aid, why))
                continue
            claim = P.claimed_time(folder)
            flag = None
            if claim is not None and claim < when - P.TOLERANCE:
                loc = lambda t: t.replace(tzinfo=dt.timezone.utc).astimezone(tz)  # noqa: E731
                flag = (f"timestamp.txt 写的提交时间 {loc(claim):%Y-%m-%d %H:%M} 比交换文件夹记录的时间 "
                        f"{loc(when):%Y-%m-%d %H:%M} 早 {(when - claim).total_seconds() / 60:.0f} 分钟;以后者为准")
            dest = course_dir / "submitted" / student / aid
            if dest.is_dir():
                kept = backup_folder(course_dir, dest, "collect")
                report.backups.append(str(kept))
                shutil.rmtree(dest)
            _nbgrader_collect(ExchangeCollect, course_dir, cfg, student, aid, name, when)
            # nbgrader's late-penalty logic reads timestamp.txt: it gets the trusted time
            (dest / "timestamp.txt").write_text(P.utc_text(when), encoding="utf-8")
            log[key] = {
                "inbound": name, "trusted": when.isoformat(), "claimed": claim.isoformat() if claim else None,
                "owner": P.folder_owner(folder, accounts).account, "flag": flag,
                "collected_at": dt.datetime.now(dt.timezone.utc).replace(tzinfo=None).isoformat(),
            }
            _write_log(course_dir, log)
            report.collected.append((student, aid, when.replace(tzinfo=dt.timezone.utc).astimezone(tz)))
            if flag:
                report.flagged.append((student, aid, flag))
            if due is not None and when > due:
                report.late.append((student, aid, (when - due).total_seconds() / 60))
    return report


def _links_refusal(folder: Path, where: str = "提交里", doing: str = "收取") -> str | None:
    """Why ``folder`` cannot be copied by nbgrader (which follows links), or None: ``where`` names the
    folder, ``doing`` the refused step (收取 at collect; 提交 / 领取 for ``kefu submit`` / ``kefu fetch``)."""
    links = P.links_in(folder)
    if links:
        return (f"{where}有符号链接({'、'.join(links)}),{doing}时会把链接指向的文件(可能是答案或成绩册)"
                f"复制过来或写过去,未{doing};请删除这些链接后重新{'提交' if doing == '收取' else doing}")
    return None


def _size_refusal(folder: Path, where: str = "这份提交", doing: str = "收取") -> str | None:
    """Why ``folder`` is too big to copy (provenance.oversize), or None."""
    too_much = P.oversize(folder)
    if too_much:
        return (f"{where}{too_much}(每份提交最多 {P.SUBMISSION_MAX_BYTES // (1024 * 1024)} MB、"
                f"{P.SUBMISSION_MAX_FILES} 个文件或文件夹),未{doing};请删除不需要的大文件(数据、视频、压缩包等)后重新提交")
    return None


def _nbgrader_collect(base, course_dir: Path, cfg, student: str, aid: str, name: str, when: dt.datetime) -> None:
    """nbgrader's own collect, of exactly the inbound folder kefu chose (by trusted time)."""

    class _Collect(base):
        def init_src(self):
            self.course_path = os.path.join(self.root, self.coursedir.course_id)
            self.inbound_path = os.path.join(self.course_path, "inbound")
            self.src_records = [{"username": student, "filename": name, "timestamp": when}]

    coll = _Collect(coursedir=_coursedir(course_dir, cfg, aid, student), config=cfg)
    coll.update = True
    _quiet(coll)
    try:
        coll.start()
    except Exception as exc:
        raise CohortError(f"收取 {student} 的 {aid} 失败:{exc}\n{coll._kefu_log.getvalue()}") from None


def feedback(course_dir, assignment: str | None = None):
    """Generate and release feedback (hidden tests removed) through kefu.autograde."""
    course_dir = check_cohort(course_dir)
    if assignment is not None:
        _check_assignment(course_dir, assignment, source_assignments(course_dir))
    ensure_bin_on_path()
    backup_gradebook(course_dir, "feedback")
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
    folder, shown = Path(home) / assignment, Path(home).resolve() / assignment
    why = _links_refusal(folder, f"作业文件夹 {shown} 里", "领取")
    if why:
        raise CohortError(why)
    cfg = trainee_config(course_dir, trainee, home)
    cd = _coursedir(course_dir, cfg, assignment, trainee)
    ex = ExchangeFetchAssignment(coursedir=cd, authenticator=Authenticator(config=cfg), config=cfg)
    _quiet(ex)
    try:
        ex.start()
    except ExchangeError as exc:
        if "already have a copy" in str(exc):
            raise CohortError(f"{trainee} 已经领取过 {assignment}:{shown} 已存在,"
                              "直接在里面作答即可(不会覆盖已有的答案)") from None
        raise CohortError(f"{trainee} 领取 {assignment} 失败:{exc}") from None
    return shown


def submit(
    course_dir, trainee: str, assignment: str, home: str | Path, when: dt.datetime | None = None,
    *, check_policy: bool = True,
) -> dt.datetime:
    """A trainee submits ``home/<assignment>/``. ``when`` (aware) fixes the recorded time (simulations).

    The exam policy is checked first (a graded exam, a retake too early are refused here as at collect
    time); ``check_policy=False`` skips that check (a trainee's own machine cannot see the gradebook).
    Where the running OS account belongs to a trainee (its name is a roster id, or ``os_accounts`` in
    cohort.json maps it), it may submit only as that trainee. ``when`` only sets what the trainee side
    writes (timestamp.txt); collect dates the submission itself.
    Returns the submission time (UTC, naive, as nbgrader records it).
    """
    from dateutil.tz import gettz
    from nbgrader.auth import Authenticator
    from nbgrader.exchange import ExchangeError
    from nbgrader.exchange.default import ExchangeSubmit
    from nbgrader.utils import parse_utc

    roster = set(roster_ids(course_dir))
    if trainee not in roster:
        raise CohortError(f"工号“{trainee}”不在本班名单中")
    _check_assignment(course_dir, assignment, released_assignments(course_dir), "已发布的作业")
    me = P.current_trainee(dict(load_meta(course_dir).get("os_accounts") or {}), roster)
    if me.trainee is not None and me.trainee != trainee:
        # one OS account per trainee (the hub): the account says who is submitting, not --student
        raise CohortError(f"当前系统账号“{me.account}”是学员 {me.trainee} 的账号,不能以 {trainee} 的名义提交")
    moment = when or dt.datetime.now(dt.timezone.utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    folder, shown = Path(home) / assignment, Path(home).resolve() / assignment
    reason = _links_refusal(folder, f"作业文件夹 {shown} 里", "提交")
    reason = reason or _size_refusal(folder, f"作业文件夹 {shown} ", "提交")
    reason = reason or (policy_refusal(course_dir, trainee, assignment, moment) if check_policy else None)
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
