"""Exam integrity through the real CLI (issue 10 item 4), on one small cohort (small placeholder exams
with the real exam ids, so release and autograde stay quick).

Submission time and identity come from the trainer's side at collect (the inbound folder's ctime and
owner), a backdated ``timestamp.txt`` is flagged and loses; a graded theory exam, retake or practical
is locked; the retake rule (a failed first attempt, >= retake_min_days calendar days, one retake) holds
at ``kefu submit`` and again at ``kefu collect``; ``--student`` cannot name another trainee where the OS
account says who is submitting.

"A trainee who bypasses ``kefu submit``" is nbgrader's own submit (what JupyterLab's Assignments panel
runs), which knows nothing of kefu's rules: ``workflow.submit(check_policy=False)`` in a subprocess.
The tests run in file order on one cohort (each step builds on the one before, as in a real week).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import pwd
import random
import shutil
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kefu.cohort import simulate as S
from kefu.cohort.create import exam_ids
from kefu.seeds import load

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
KEFU = str(BIN / "kefu")
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
IDS = exam_ids()
RULES = load("exam.yml").theory
TZ = ZoneInfo("Asia/Shanghai")


def kefu(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([KEFU, *args], capture_output=True, text=True, timeout=600, env=ENV, input=stdin)


def ok(res: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert res.returncode == 0, res.stdout + res.stderr
    assert "Traceback" not in res.stderr
    return res


def refused(res: subprocess.CompletedProcess, *words: str) -> str:
    assert res.returncode == 1, res.stdout + res.stderr
    assert "Traceback" not in res.stdout + res.stderr
    for w in words:
        assert w in res.stderr, res.stderr
    return res.stderr


def bypass_submit(course: Path, sid: str, aid: str) -> None:
    """The trainee submits with nbgrader directly (no kefu rules), as the Assignments panel does."""
    code = ("import sys; from kefu.cohort.workflow import submit; "
            "submit(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], check_policy=False)")
    res = subprocess.run([sys.executable, "-c", code, str(course), sid, aid, str(course / "trainees" / sid)],
                         capture_output=True, text=True, timeout=300, env=ENV)
    assert res.returncode == 0, res.stderr


def answer(course: Path, sid: str, aid: str, level: S.Level) -> None:
    """The trainee fetches (once) and answers at ``level`` (again: changes the answers)."""
    if not (course / "trainees" / sid / aid).is_dir():
        ok(kefu("fetch", aid, "--student", sid, "--course", str(course)))
    nb = next((course / "trainees" / sid / aid).glob("*.ipynb"))
    S.answer_notebook(nb, S.load_keys(course.parent / "assignments", aid), level, random.Random(5))


def report(course: Path) -> dict[str, dict]:
    data = json.loads(ok(kefu("gradebook", "--course", str(course), "-f", "json")).stdout)
    return {t["id"]: t for t in data["trainees"]}


def submission(course: Path, sid: str, aid: str):
    """(timestamp, seconds late) of a graded submission, read from the gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "integrity") as gb:
        sub = gb.find_submission(aid, sid)
        return sub.timestamp, sub.total_seconds_late


def inbound(course: Path, sid: str, aid: str) -> list[Path]:
    return sorted((course / "exchange" / "integrity" / "inbound").glob(f"{sid}+{aid}+*"))


def set_accounts(course: Path, accounts: dict[str, str] | None) -> None:
    meta_file = course / "cohort.json"
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    if accounts is None:
        meta.pop("os_accounts", None)
    else:
        meta["os_accounts"] = accounts
    meta_file.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("integrity")
    for kind, aid in IDS.items():
        S.placeholder_exam(root / "assignments", aid, kind)
    roster = root / "名单.csv"
    roster.write_text("工号,姓名,班组,入职日期\nKF001,王一,1组,2025-03-03\nKF002,李二,1组,2025-03-03\n"
                      "KF003,张三,2组,2025-03-03\n", encoding="utf-8")
    course = root / "cohort"
    # the theory exam started half an hour ago: a submission now is on time; the practical is long due
    theory_at = (dt.datetime.now(TZ) - dt.timedelta(minutes=30)).strftime("%Y-%m-%d %H:%M")
    ok(kefu("cohort", "init", str(course), "--roster", str(roster), "--course-id", "integrity",
            "--theory-at", theory_at, "--assignments", str(root / "assignments")))
    for aid in IDS.values():
        ok(kefu("release", aid, "--course", str(course)))
    return course


def test_backdated_timestamp_is_flagged_and_does_not_win(course: Path):
    aid = IDS["practical"]
    due = dt.datetime.fromisoformat(json.loads((course / "cohort.json").read_text())["schedule"]["practical_due"])
    answer(course, "KF003", aid, S.PASS)
    ok(kefu("submit", aid, "--student", "KF003", "--course", str(course)))
    # the trainee rewrites the claim to a day before the deadline and sets every mtime to match
    folder, = inbound(course, "KF003", aid)
    claim = (due - dt.timedelta(days=1)).astimezone(dt.timezone.utc)
    (folder / "timestamp.txt").write_text(claim.strftime("%Y-%m-%d %H:%M:%S.%f UTC"), encoding="utf-8")
    for p in [*folder.rglob("*"), folder]:
        os.utime(p, (claim.timestamp(), claim.timestamp()))

    res = ok(kefu("collect", aid, "--course", str(course)))
    assert "时间不符 KF003" in res.stdout and "以后者为准" in res.stdout
    assert "迟交 KF003" in res.stdout
    stamp = (course / "submitted" / "KF003" / aid / "timestamp.txt").read_text(encoding="utf-8")
    from nbgrader.utils import parse_utc

    trusted = parse_utc(stamp)
    assert trusted > due.astimezone(dt.timezone.utc).replace(tzinfo=None)
    assert abs(trusted - dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)) < dt.timedelta(minutes=30)
    log = json.loads((course / ".kefu" / "collected.json").read_text(encoding="utf-8"))[f"KF003/{aid}"]
    assert log["flag"] and log["claimed"].startswith(claim.strftime("%Y-%m-%d"))

    # nbgrader's late logic sees the trusted time: the exam is late
    ok(kefu("autograde", aid, "--course", str(course), "--no-progress"))
    when, late = submission(course, "KF003", aid)
    assert when == trusted and late > 0
    assert report(course)["KF003"]["practical"]["score"] in (0, None)


def test_graded_exam_resubmission_is_refused_and_the_grade_stays(course: Path):
    aid = IDS["theory"]
    answer(course, "KF001", aid, S.PASS)
    answer(course, "KF002", aid, S.Level(correct=0.0, wrong=1.0, manual=0.2))
    for sid in ("KF001", "KF002"):
        ok(kefu("submit", aid, "--student", sid, "--course", str(course)))
    res = ok(kefu("collect", aid, "--course", str(course)))
    assert "收取 KF001" in res.stdout and "收取 KF002" in res.stdout and "时间不符" not in res.stdout
    ok(kefu("autograde", aid, "--course", str(course), "--no-progress"))
    for sid, ratio in (("KF001", 0.9), ("KF002", 0.2)):  # the grader scores the short answers
        S.grade_manually(course, aid, sid, ratio, random.Random(0))
    before = report(course)
    score = before["KF001"]["theory"]["attempts"][0]["score"]
    assert score and score > 0
    assert before["KF002"]["theory"]["status"] == "retake_due"
    stamp = (course / "submitted" / "KF001" / aid / "timestamp.txt").read_text(encoding="utf-8")

    # a resubmission with other answers: refused by kefu submit, with the reason
    answer(course, "KF001", aid, S.Level(correct=0.0, wrong=1.0))
    refused(kefu("submit", aid, "--student", "KF001", "--course", str(course)), "已锁定")
    # and when it reaches the exchange another way, by collect
    bypass_submit(course, "KF001", aid)
    res = kefu("collect", aid, "--course", str(course))
    assert res.returncode == 0 and "Traceback" not in res.stderr
    assert "KF001" in res.stderr and "已锁定" in res.stderr and "收取 KF001" not in res.stdout
    assert (course / "submitted" / "KF001" / aid / "timestamp.txt").read_text(encoding="utf-8") == stamp
    assert report(course)["KF001"]["theory"] == before["KF001"]["theory"]
    # the failed first attempt names the way forward
    refused(kefu("submit", aid, "--student", "KF002", "--course", str(course)), "已锁定", IDS["retake"])


def test_retake_too_early_is_refused_at_submit_and_collect(course: Path):
    aid = IDS["retake"]
    answer(course, "KF002", aid, S.PASS)
    refused(kefu("submit", aid, "--student", "KF002", "--course", str(course)), f"至少 {RULES.retake_min_days} 天")
    bypass_submit(course, "KF002", aid)
    res = kefu("collect", aid, "--course", str(course))
    assert res.returncode == 0 and f"至少 {RULES.retake_min_days} 天" in res.stderr
    assert not (course / "submitted" / "KF002" / aid).exists()
    # a trainee who passed the first attempt has no retake
    answer(course, "KF001", aid, S.PASS)
    refused(kefu("submit", aid, "--student", "KF001", "--course", str(course)), "无需补考")


def test_failed_retake_resubmitted_the_same_day_is_refused(course: Path):
    from nbgrader.api import Gradebook

    aid = IDS["retake"]
    # the first attempt was sat last week (the gradebook's record of it, as if collected then)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "integrity") as gb:
        sub = gb.find_submission(IDS["theory"], "KF002")
        sub.timestamp = sub.timestamp - dt.timedelta(days=RULES.retake_min_days + 1)
        gb.db.commit()
    answer(course, "KF002", aid, S.Level(correct=0.0, wrong=1.0, manual=0.2))
    ok(kefu("submit", aid, "--student", "KF002", "--course", str(course)))
    res = ok(kefu("collect", aid, "--course", str(course)))
    assert "收取 KF002" in res.stdout
    ok(kefu("autograde", aid, "--course", str(course), "--no-progress"))
    S.grade_manually(course, aid, "KF002", 0.2, random.Random(0))
    before = report(course)["KF002"]
    assert before["theory"]["status"] == "failed_retrain"

    # the same day, a correct retake: refused at submit and at collect; the failed retake stays
    answer(course, "KF002", aid, S.PASS)
    refused(kefu("submit", aid, "--student", "KF002", "--course", str(course)), "已锁定", "只允许")
    bypass_submit(course, "KF002", aid)
    res = kefu("collect", aid, "--course", str(course))
    assert res.returncode == 0 and "已锁定" in res.stderr and "收取 KF002" not in res.stdout
    assert report(course)["KF002"] == before


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a submission to another OS account needs root (chown)")
def test_identity_comes_from_the_inbound_folder_owner(course: Path):
    aid = IDS["theory"]
    answer(course, "KF003", aid, S.PASS)
    ok(kefu("submit", aid, "--student", "KF003", "--course", str(course)))
    folder, = inbound(course, "KF003", aid)
    other = pwd.getpwnam("nobody")
    for p in [folder, *folder.rglob("*")]:
        os.chown(p, other.pw_uid, other.pw_gid)
    res = kefu("collect", aid, "--course", str(course))
    assert res.returncode == 0 and "nobody" in res.stderr and "不是 KF003 本人提交" in res.stderr
    assert not (course / "submitted" / "KF003" / aid).exists()
    # the hub case: the cohort maps that account to KF003
    set_accounts(course, {"nobody": "KF003"})
    try:
        res = ok(kefu("collect", aid, "--course", str(course)))
        assert "收取 KF003" in res.stdout
    finally:
        set_accounts(course, None)


def test_student_option_cannot_name_another_trainee(course: Path):
    me = pwd.getpwuid(os.geteuid()).pw_name
    set_accounts(course, {me: "KF001"})  # this OS account belongs to KF001
    try:
        answer(course, "KF002", IDS["practical"], S.PASS)
        err = refused(kefu("submit", IDS["practical"], "--student", "KF002", "--course", str(course)), me, "KF001")
        assert "不能以 KF002 的名义提交" in err
        assert inbound(course, "KF002", IDS["practical"]) == []
    finally:
        set_accounts(course, None)


def test_a_submission_holding_a_link_is_refused_at_collect(course: Path):
    """nbgrader's collect copies with shutil, which follows links: a link in an inbound submission would
    make the trainer's side copy what it points to (here the cohort's source, with its solutions) into
    the trainee's graded work. collect refuses it in Chinese and copies nothing; without the link it
    collects."""
    aid = IDS["practical"]
    answer(course, "KF002", aid, S.PASS)
    ok(kefu("submit", aid, "--student", "KF002", "--course", str(course)))
    folder, = inbound(course, "KF002", aid)
    source = next((course / "source" / aid).glob("*.ipynb"))
    link = folder / "答案.ipynb"
    os.symlink(source, link)
    res = kefu("collect", aid, "--course", str(course))
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stdout + res.stderr
    assert "KF002" in res.stderr and "符号链接(答案.ipynb)" in res.stderr and "未收取" in res.stderr, res.stderr
    assert not (course / "submitted" / "KF002" / aid).exists()
    link.unlink()
    res = ok(kefu("collect", aid, "--course", str(course)))
    assert "收取 KF002" in res.stdout
    assert not (course / "submitted" / "KF002" / aid / "答案.ipynb").exists()


def test_a_submission_too_big_is_refused_at_submit_and_at_collect(course: Path):
    """A submission over the kit's limits (provenance.SUBMISSION_MAX_BYTES / _FILES) would be copied into
    the exchange and again at collect: `kefu submit` refuses it before copying, and collect refuses one
    that reached inbound another way, copying nothing; trimmed, it is collected."""
    from kefu.cohort import provenance as P

    aid = IDS["practical"]
    answer(course, "KF002", aid, S.PASS)
    big = course / "trainees" / "KF002" / aid / "录像.mp4"
    before = inbound(course, "KF002", aid)
    with open(big, "wb") as fh:  # sparse: its size counts, the disk is not filled
        fh.truncate(P.SUBMISSION_MAX_BYTES + 1)
    try:
        refused(kefu("submit", aid, "--student", "KF002", "--course", str(course)), "超过 50 MB", "未提交")
        assert inbound(course, "KF002", aid) == before
    finally:
        big.unlink()
    ok(kefu("submit", aid, "--student", "KF002", "--course", str(course)))
    folder = inbound(course, "KF002", aid)[-1]
    stuffed = folder / "碎片"
    stuffed.mkdir()
    for i in range(P.SUBMISSION_MAX_FILES + 1):
        (stuffed / f"{i}.txt").write_text("好", encoding="utf-8")
    res = kefu("collect", aid, "--course", str(course))
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stdout + res.stderr
    assert "KF002" in res.stderr and "超过 500 个文件" in res.stderr and "未收取" in res.stderr, res.stderr
    assert not (course / "submitted" / "KF002" / aid / "碎片").exists()
    shutil.rmtree(stuffed)
    res = ok(kefu("collect", aid, "--course", str(course)))
    assert "收取 KF002" in res.stdout


def test_kefu_submit_and_fetch_refuse_an_assignment_folder_holding_a_link(course: Path):
    """`kefu submit` / `kefu fetch` copy with nbgrader too (links followed, as whoever runs the CLI): a link
    a notebook left in the assignment folder is refused in Chinese before anything is copied."""
    aid = IDS["practical"]
    answer(course, "KF001", aid, S.PASS)
    link = course / "trainees" / "KF001" / aid / "答案.ipynb"
    os.symlink(next((course / "source" / aid).glob("*.ipynb")), link)
    before = inbound(course, "KF001", aid)
    try:
        refused(kefu("submit", aid, "--student", "KF001", "--course", str(course)), "符号链接(答案.ipynb)", "未提交")
        assert inbound(course, "KF001", aid) == before
        refused(kefu("fetch", aid, "--student", "KF001", "--course", str(course)), "符号链接(答案.ipynb)", "未领取")
    finally:
        link.unlink()
