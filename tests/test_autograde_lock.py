"""One kefu autograde per cohort; kill -9 leaves nothing running; a rerun resumes without losing or
duplicating a grade. The CLI runs in subprocesses; processes are found by scanning /proc."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from kefu.autograde.config import CourseError
from kefu.autograde.lock import CohortLock
from kefu.autograde.testcourse import clone_course
from kefu.sandbox.testing import descendants, processes_with, sandbox_processes, wait_until_gone

BIN = Path(sys.executable).parent
MARKER = f"kefu-lock-test-{uuid.uuid4().hex}"
STUDENTS = {"amy": "correct", "bob": "partial", "cat": "rude", "dan": "correct"}


def test_second_holder_is_refused_and_a_killed_holder_leaves_no_lock(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom kefu.autograde.lock import CohortLock\n"
         f"CohortLock(__import__('pathlib').Path({str(tmp_path)!r})).acquire()\nprint('held', flush=True)\n"
         "time.sleep(120)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(CourseError) as err:
            CohortLock(tmp_path, wait=0.5).acquire()
        assert f"进程 {holder.pid}" in str(err.value) and "一次只能运行一个评分" in str(err.value)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    with CohortLock(tmp_path, wait=0):  # the kernel dropped the dead holder's lock
        pass


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    from kefu.autograde import testcourse as S

    with S.jupyter_env(tmp_path_factory.mktemp("jupyter-env")):
        course = S.make_course(tmp_path_factory.mktemp("lock-course") / "c")
        nb, variants = S.practice_assignments()["practice-a"]
        S.add_source(course, "practice-a", nb)
        S.generate(course, "practice-a")
        released = S.released_notebook(course, "practice-a")
        for student, kind in STUDENTS.items():
            answers = {gid: v[kind] for gid, v in variants.items()}
            S.place_submission(course, student, "practice-a", {"practice-a": S.answer(released, answers)})
        # a slow submission that also leaves a detached process behind (if the sandbox let it)
        slow = ("import subprocess, sys, time\n"
                f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)', {MARKER!r}], "
                "start_new_session=True)\n"
                "time.sleep(12)\n" + variants["greeting"]["correct"])
        answers = {"greeting": slow, "aht": variants["aht"]["correct"]}
        S.place_submission(course, "zed", "practice-a", {"practice-a": S.answer(released, answers)})
        yield course


def kefu_autograde(course: Path, *extra: str) -> list[str]:
    return [str(BIN / "kefu"), "autograde", "--course", str(course), "--jobs", "2", *extra]


def grades(course: Path) -> dict[str, list[tuple[str, float | None]]]:
    """Every recorded grade, per student (a duplicated submission would show up twice)."""
    import sqlite3

    out: dict[str, list[tuple[str, float | None]]] = {}
    with sqlite3.connect(course / "gradebook.db") as db:
        rows = db.execute(
            "SELECT student.id, base_cell.name, grade.auto_score FROM grade "
            "JOIN submitted_notebook ON grade.notebook_id = submitted_notebook.id "
            "JOIN submitted_assignment ON submitted_notebook.assignment_id = submitted_assignment.id "
            "JOIN student ON submitted_assignment.student_id = student.id "
            "JOIN base_cell ON grade.cell_id = base_cell.id ORDER BY 1, 2").fetchall()
    for student, cell, score in rows:
        out.setdefault(student, []).append((cell, score))
    return out


@pytest.fixture(scope="module")
def reference(course, tmp_path_factory):
    ref = clone_course(course, tmp_path_factory.mktemp("ref") / "c")
    out = subprocess.run(kefu_autograde(ref, "--json"), capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    found = grades(ref)
    assert set(found) == set(STUDENTS) | {"zed"} and all(len(g) == 3 for g in found.values())
    assert found["zed"] == found["amy"] != found["bob"]  # the slow one is a correct answer; variants differ
    return found


def _wait_for(predicate, timeout: float = 180.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.slow
def test_kill_9_leaves_nothing_and_a_rerun_resumes(course, reference, tmp_path):
    work = clone_course(course, tmp_path / "killed")
    proc = subprocess.Popen(kefu_autograde(work, "--no-progress"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _wait_for(lambda: processes_with(MARKER)), "the slow submission never started"
        tree = descendants(proc.pid)
        kernels = set(sandbox_processes()) & tree
        assert kernels, "no sandboxed kernel below kefu autograde"
        assert len(tree) >= 4  # workers, zygote, a keeper, its kernel, the detached process
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    left = wait_until_gone(tree | set(processes_with(MARKER)), timeout=20)
    assert not left, f"left running after kill -9: {sorted(left)}"
    rerun = subprocess.run(kefu_autograde(work, "--json"), capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    res = json.loads(rerun.stdout)
    assert {s for s, _ in res["graded"]} | {s for s, _ in res["skipped"]} == set(STUDENTS) | {"zed"}
    assert grades(work) == reference
    assert not wait_until_gone(processes_with(MARKER), timeout=20)


@pytest.mark.slow
def test_a_second_grader_on_the_same_cohort_is_turned_away(course, reference, tmp_path):
    work = clone_course(course, tmp_path / "twice")
    first = subprocess.Popen(kefu_autograde(work, "--json"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert _wait_for(lambda: processes_with(MARKER)), "the first grader never reached the slow submission"
        second = subprocess.run(kefu_autograde(work, "--no-progress"), capture_output=True, text=True, timeout=120)
        out, err = first.communicate(timeout=600)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert second.returncode == 1
    assert "另一个 kefu autograde" in second.stderr and f"进程 {first.pid}" in second.stderr
    assert "Traceback" not in second.stderr
    assert first.returncode == 0, err
    assert len(json.loads(out)["graded"]) == len(STUDENTS) + 1
    assert grades(work) == reference
