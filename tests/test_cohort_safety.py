"""Nothing lost (issue 16 item 3), through the real CLI: cohort init is atomic (an injected failure and
a SIGKILL halfway leave nothing release would use); a missing, empty or corrupt gradebook is refused by
every command with a Chinese message and left untouched; kefu restore lists and restores backups;
kefu demo refuses a non-empty folder it did not make."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from cohort_folder import ENV, KEFU, copy_cohort, kefu, placeholder_cohort
from kefu.cohort.create import exam_ids

pytestmark = pytest.mark.slow

IDS = exam_ids()
ROSTER = "工号,姓名,班组,入职日期\nKF001,王一,1组,2025-03-03\nKF002,李二,1组,2025-03-03\n"


def clean_failure(res: subprocess.CompletedProcess, *words: str) -> None:
    out = res.stdout + res.stderr
    assert res.returncode == 1, out
    assert "Traceback" not in out, out
    for w in words:
        assert w in out, out


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> tuple[Path, Path]:
    """(root, assignments): ``root/base`` is a cohort with the placeholder exams, the theory exam released and
    KF002's submission collected; tests that damage a cohort work on a copy."""
    root = tmp_path_factory.mktemp("safety")
    course, adir = placeholder_cohort(root, ROSTER)
    assert kefu("release", IDS["theory"], "--course", str(course)).returncode == 0
    # one collected submission, so that autograde gets as far as the gradebook
    for step in (["fetch", IDS["theory"], "--student", "KF002"], ["submit", IDS["theory"], "--student", "KF002"],
                 ["collect", IDS["theory"]]):
        res = kefu(*step, "--course", str(course))
        assert res.returncode == 0, res.stderr
    return root, adir


def _copy(base: tuple[Path, Path], name: str) -> Path:
    return copy_cohort(base[0] / "base", name)


# ----------------------------------------------------------------------------- atomic init
def _leftovers(course: Path) -> list[Path]:
    return sorted(course.parent.glob(f".kefu-init-{course.name}.*"))


def test_init_failing_halfway_leaves_no_folder(base):
    root, adir = base
    bad = root / "bad-assignments"
    shutil.copytree(adir, bad)
    os.mkfifo(bad / IDS["theory"] / "pipe")  # copying a named pipe fails after config and exchange exist
    course = root / "half"
    res = kefu("cohort", "init", str(course), "--roster", str(root / "名单.csv"), "--assignments", str(bad))
    clean_failure(res, "建立培训班失败")
    assert not course.exists() and _leftovers(course) == []


def test_init_killed_halfway_is_never_used_and_init_can_rerun(base):
    root, adir = base
    roster = root / "big.csv"
    roster.write_text("工号,姓名,班组,入职日期\n" + "".join(f"K{i:05d},学员{i},1组,2025-03-03\n" for i in range(600)),
                      encoding="utf-8")
    course = root / "killed"
    proc = subprocess.Popen([KEFU, "cohort", "init", str(course), "--roster", str(roster), "--assignments", str(adir)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    try:
        # kill it while it writes the gradebook (the sibling build folder exists, the cohort does not)
        for _ in range(60000):
            if any((p / "gradebook.db").exists() for p in _leftovers(course)) or proc.poll() is not None:
                break
            time.sleep(0.002)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "init finished before it could be killed"
    assert not course.exists() and _leftovers(course)
    res = kefu("release", IDS["theory"], "--course", str(course))
    clean_failure(res, "中途停止", "kefu cohort init")
    # running init again clears the half-made build and makes the cohort
    res = kefu("cohort", "init", str(course), "--roster", str(root / "名单.csv"), "--assignments", str(adir))
    assert res.returncode == 0, res.stderr
    assert _leftovers(course) == [] and (course / "cohort.json").is_file()


def test_init_refuses_a_non_empty_folder(base):
    root, _ = base
    course = root / "notes"
    course.mkdir()
    (course / "我的笔记.txt").write_text("别删我", encoding="utf-8")
    clean_failure(kefu("cohort", "init", str(course), "--roster", str(root / "名单.csv")), "不是空的")
    assert (course / "我的笔记.txt").read_text(encoding="utf-8") == "别删我"


def test_a_folder_with_config_but_no_cohort_json_is_refused(base):
    course = _copy(base, "legacy-half")
    (course / "cohort.json").unlink()  # what the old, non-atomic init left when killed
    clean_failure(kefu("release", IDS["retake"], "--course", str(course)), "不完整")


# ----------------------------------------------------------------------------- damaged gradebook
DAMAGE = {
    "empty": lambda db: db.write_bytes(b""),
    "garbage": lambda db: db.write_bytes(b"this is not a database\n" * 50),
    "truncated": lambda db: db.write_bytes(db.read_bytes()[:3000]),
    "missing": lambda db: db.unlink(),
}
COMMANDS = {
    "release": ["release", IDS["retake"]],
    "collect": ["collect", IDS["theory"]],
    "feedback": ["feedback", IDS["theory"]],
    "fetch": ["fetch", IDS["theory"], "--student", "KF001"],
    "submit": ["submit", IDS["theory"], "--student", "KF001"],
    "autograde": ["autograde", IDS["theory"], "--no-progress"],
    "gradebook": ["gradebook"],
}
CASES = [("empty", c) for c in COMMANDS] + [("garbage", "collect"), ("truncated", "gradebook"),
                                             ("missing", "release")]


@pytest.mark.parametrize("damage,command", [
    pytest.param(d, c, id=f"{d}-{c}") for d, c in CASES])
def test_damaged_gradebook_is_refused_and_left_untouched(base, damage, command):
    course = _copy(base, f"damaged-{damage}-{command}")
    if command == "submit":
        assert kefu("fetch", IDS["theory"], "--student", "KF001", "--course", str(course)).returncode == 0
    db = course / "gradebook.db"
    DAMAGE[damage](db)
    before = db.read_bytes() if db.exists() else None
    res = kefu(*COMMANDS[command], "--course", str(course))
    clean_failure(res, "成绩册", "kefu restore")
    assert (db.read_bytes() if db.exists() else None) == before


# ----------------------------------------------------------------------------- restore
def test_restore_lists_and_restores_keeping_the_current_file(base):
    from nbgrader.api import Gradebook

    from kefu.cohort.backup import backup_gradebook

    course = _copy(base, "restore")
    db = course / "gradebook.db"
    assert backup_gradebook(course, "autograde")  # what kefu autograde does before grading
    db.write_bytes(b"")

    res = kefu("restore", "--course", str(course))
    assert res.returncode == 0, res.stderr
    assert "成绩册有问题" in res.stdout and "自动评分前" in res.stdout and "   1  " in res.stdout
    # no confirmation: nothing changes
    clean_failure(kefu("restore", "1", "--course", str(course), stdin="n\n"), "已取消")
    assert db.stat().st_size == 0
    res = kefu("restore", "9", "--course", str(course))
    assert res.returncode == 2 and "没有编号 9" in res.stderr

    res = kefu("restore", "1", "--course", str(course), "--yes")
    assert res.returncode == 0, res.stderr
    assert "已恢复" in res.stdout and "恢复前的成绩册已另存为" in res.stdout
    with Gradebook(f"sqlite:///{db}", "restore") as gb:
        assert sorted(s.id for s in gb.students) == ["KF001", "KF002"]
    listing = kefu("restore", "--course", str(course)).stdout
    assert "成绩册完好" in listing and "恢复前" in listing
    kept = sorted((course / "backups").glob("gradebook-*-restore.db"))
    assert len(kept) == 1 and kept[0].stat().st_size == 0  # the empty file that was replaced
    # the restored gradebook works again
    assert kefu("fetch", IDS["theory"], "--student", "KF001", "--course", str(course)).returncode == 0


def test_restore_refuses_a_damaged_backup(base):
    course = _copy(base, "restore-bad")
    backups = course / "backups"
    backups.mkdir(exist_ok=True)
    (backups / "gradebook-20250101-120000-000000-collect.db").write_bytes(b"junk" * 100)
    before = (course / "gradebook.db").read_bytes()
    clean_failure(kefu("restore", "1", "--course", str(course), "--yes"), "损坏")
    assert (course / "gradebook.db").read_bytes() == before


# ----------------------------------------------------------------------------- demo
def test_demo_refuses_a_non_empty_folder_it_did_not_make(tmp_path):
    (tmp_path / "cohort").mkdir()
    (tmp_path / "cohort" / "gradebook.db").write_bytes(b"real data")
    clean_failure(kefu("demo", "--out", str(tmp_path)), "不是空的", "--out")
    assert (tmp_path / "cohort" / "gradebook.db").read_bytes() == b"real data"
    assert not (tmp_path / ".kefu-demo").exists()


def test_demo_folder_marker_allows_a_rerun_to_replace_its_own_output(tmp_path):
    from kefu.cohort.demo import DEMO_MARKER, prepare_out

    out = prepare_out(tmp_path / "demo")  # new folder: made and marked
    (out / "成绩册.csv").write_text("old", encoding="utf-8")
    assert (out / DEMO_MARKER).is_file()
    assert prepare_out(out) == out and sorted(p.name for p in out.iterdir()) == [DEMO_MARKER]
