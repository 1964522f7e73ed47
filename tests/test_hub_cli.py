"""`kefu hub` parts that need no running hub: account names, the environment check, the passwords CLI,
and the refusal to start without passwords. (The hub itself: tests/test_hub.py.)"""
from __future__ import annotations

import os
import subprocess

import pytest

from test_hub import KEFU, TRAINEES, _free_port, _kefu, _make_cohort


def test_names_never_map_to_system_accounts():
    from kefu.hub.users import hub_name, os_name

    assert hub_name(" KF001 ") == "kf001"
    assert os_name("kf001") == "kf-kf001"
    assert os_name("root") == "kf-root"
    long = os_name("a" * 40)
    assert long.startswith("kf-") and len(long) <= 32 and long != os_name("a" * 41)
    assert os_name("1001") == "kf-1001"


def test_environment_check_names_the_closed_folder(tmp_path):
    from kefu.cohort.config import CohortError
    from kefu.hub.accounts import check_environment_shared

    closed = tmp_path / "closed"
    (closed / "bin").mkdir(parents=True)
    py = closed / "bin" / "python"
    py.write_text("#!/bin/sh\n")
    py.chmod(0o755)
    closed.chmod(0o700)
    with pytest.raises(CohortError, match=str(closed)):
        check_environment_shared(py)
    closed.chmod(0o755)
    tmp_path.chmod(0o755)
    if all(os.stat(p).st_mode & 0o001 for p in tmp_path.parents):
        check_environment_shared(py)  # reachable all the way: no complaint


@pytest.fixture(scope="module")
def small_cohort(tmp_path_factory):
    root = tmp_path_factory.mktemp("hubcli")
    return _make_cohort(root)


@pytest.mark.slow
def test_passwords_cli(small_cohort, tmp_path):
    import csv

    from kefu.hub.passwords import check_password

    course = small_cohort
    out = tmp_path / "logins.csv"
    res = _kefu("hub", "passwords", "--course", str(course), "--out", str(out), "--graders", "Grader1")
    assert "3 个密码" in res.stdout
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert [r["id"] for r in rows] == [*TRAINEES, "Grader1"]
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    for r in rows:
        assert len(r["password"]) >= 12 and not set(r["password"]) & set("0o1li")
        assert check_password(course, r["id"].lower(), r["password"])
        assert not check_password(course, r["id"].lower(), r["password"] + "x")
    store = (course / "hub" / "passwords.json")
    assert oct(store.stat().st_mode & 0o777) == "0o600"
    assert not any(r["password"] in store.read_text() for r in rows)

    again = _kefu("hub", "passwords", "--course", str(course), "--out", str(tmp_path / "again.csv"))
    assert "0 个密码" in again.stdout and "--reset" in again.stdout
    one = _kefu("hub", "passwords", "--course", str(course), "--out", str(tmp_path / "one.xlsx"), "--only", "kf002")
    assert "1 个密码" in one.stdout
    assert check_password(course, "kf001", rows[0]["password"])  # untouched
    assert not check_password(course, "kf002", rows[1]["password"])  # replaced

    # the trainer sets one password by hand (typed twice); too short is refused in Chinese
    res = subprocess.run([*KEFU, "hub", "passwd", "KF001", "--course", str(course)], input="short\nshort\n",
                         capture_output=True, text=True, timeout=60, start_new_session=True)
    assert res.returncode == 1 and "太短" in res.stderr, res.stdout + res.stderr
    res = subprocess.run([*KEFU, "hub", "passwd", "KF001", "--course", str(course)],
                         input="换一个新的密码-8\n换一个新的密码-8\n", capture_output=True, text=True, timeout=60,
                         start_new_session=True)
    assert res.returncode == 0, res.stdout + res.stderr
    assert check_password(course, "kf001", "换一个新的密码-8")
    assert not check_password(course, "kf001", rows[0]["password"])


@pytest.mark.slow
@pytest.mark.parametrize("args, code, message", [
    (["--out", "x.txt"], 2, ".csv 或 .xlsx"),
    (["--out", "x.csv", "--graders", "评卷人"], 1, "阅卷员账号“评卷人”无效"),
    (["--out", "x.csv", "--graders", "kf001"], 1, "不区分大小写"),
    (["--out", "x.csv", "--only", "nobody"], 1, "nobody"),
])
def test_passwords_cli_refusals(small_cohort, tmp_path, args, code, message):
    res = subprocess.run([*KEFU, "hub", "passwords", "--course", str(small_cohort), *args], capture_output=True,
                         text=True, cwd=tmp_path)
    assert res.returncode == code, res.stdout + res.stderr
    assert message in res.stderr and "Traceback" not in res.stderr
    assert not (tmp_path / "x.csv").exists()
    from kefu.hub.users import read_graders

    assert "kf001" not in read_graders(small_cohort)  # a refused grader list is not kept


@pytest.mark.slow
def test_up_refuses_without_passwords(tmp_path_factory):
    course = _make_cohort(tmp_path_factory.mktemp("nopw"))
    res = subprocess.run([*KEFU, "hub", "up", "--course", str(course), "--port", str(_free_port())],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 1
    assert "还没有密码" in res.stderr or "root" in res.stderr, res.stderr
    assert "Traceback" not in res.stderr
    assert not (course / "hub" / "jupyterhub_config.py").exists()
