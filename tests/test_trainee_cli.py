"""The trainee's and grader's commands on a real cohort: kefu fetch / submit through nbgrader's exchange,
and kefu formgrader serving nbgrader's formgrader on 127.0.0.1."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
KEFU = [sys.executable, "-m", "kefu.cli.main"]
AID = "ch01-service-mindset"


def kefu(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*KEFU, *args], capture_output=True, text=True, timeout=300, **kw)


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("trainee")
    roster = root / "名单.csv"
    roster.write_text("工号,姓名,班组,入职日期\nKF001,王一,1组,2025-03-03\nKF002,李二,1组,2025-03-03\n", encoding="utf-8")
    course = root / "cohort"
    res = kefu("cohort", "init", str(course), "--roster", str(roster))
    assert res.returncode == 0, res.stderr
    res = kefu("release", AID, "--course", str(course))
    assert res.returncode == 0, res.stderr
    return course


def test_fetch_and_submit_through_the_exchange(course: Path):
    res = kefu("fetch", AID, "--student", "KF001", "--course", str(course))
    assert res.returncode == 0, res.stderr
    nb = course / "trainees" / "KF001" / AID / f"{AID}.ipynb"
    assert nb.is_file()
    assert "BEGIN SOLUTION" not in nb.read_text(encoding="utf-8")

    res = kefu("submit", AID, "--student", "KF001", "--course", str(course))
    assert res.returncode == 0, res.stderr
    assert "已提交" in res.stdout

    res = kefu("collect", AID, "--course", str(course))
    assert res.returncode == 0, res.stderr
    assert "收取 KF001" in res.stdout
    assert (course / "submitted" / "KF001" / AID / f"{AID}.ipynb").is_file()


def test_unknown_trainee_and_missing_fetch_are_refused(course: Path):
    res = kefu("fetch", AID, "--student", "NOPE9", "--course", str(course))
    assert res.returncode == 1
    assert "不在本班名单" in res.stderr and "Traceback" not in res.stderr
    res = kefu("submit", AID, "--student", "KF002", "--course", str(course))
    assert res.returncode == 1
    assert "请先运行 kefu fetch" in res.stderr
    res = kefu("fetch", "no-such-assignment", "--student", "KF002", "--course", str(course))
    assert res.returncode == 1 and "Traceback" not in res.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_formgrader_serves_the_cohort(course: Path, tmp_path: Path):
    port, token = _free_port(), "kefu-test-token"
    env = dict(os.environ, KEFU_LAB_TOKEN=token, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    proc = subprocess.Popen([*KEFU, "formgrader", "--course", str(course), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        body, deadline = "", time.time() + 120
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/formgrader?token={token}", timeout=5) as r:
                    assert r.status == 200
                    body = r.read().decode("utf-8", "replace")
                    break
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                time.sleep(1)
        assert "formgrader" in body.lower(), "formgrader did not answer"
        # the formgrader's API sees the cohort's assignments from its nbgrader_config.py
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/formgrader/api/assignments?token={token}", timeout=30) as r:
            assert AID in r.read().decode("utf-8")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
