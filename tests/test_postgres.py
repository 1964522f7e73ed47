"""The cohort's gradebook on PostgreSQL: a throw-away cluster from Debian's postgresql (initdb as the
``postgres`` user into a temporary folder, a free loopback port, its unix socket in that folder), then
release → fetch/submit → collect → autograde → gradebook through the ``kefu`` CLI, with the cohort
pointed at ``postgresql+psycopg2://…`` by ``kefu hub db``. The cluster is stopped at the end."""
from __future__ import annotations

import glob
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
KEFU = [str(BIN / "kefu")]
ASSIGNMENT = "pg-ch01"
TRAINEES = ["PG001", "PG002", "PG003"]

pytestmark = pytest.mark.slow


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(*cmd: str) -> subprocess.CompletedProcess:
    prefix = [] if pwd.getpwuid(os.geteuid()).pw_name == "postgres" else ["runuser", "-u", "postgres", "--"]
    return subprocess.run([*prefix, *cmd], capture_output=True, text=True, timeout=120)


def _kefu(*args: str) -> subprocess.CompletedProcess:
    res = subprocess.run([*KEFU, *args], capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, f"kefu {' '.join(args)} failed ({res.returncode}):\n{res.stdout}\n{res.stderr}"
    return res


@pytest.fixture(scope="module")
def cluster():
    pg = _pg_bin()
    if pg is None:
        pytest.skip("没有安装 Debian 的 postgresql(找不到 /usr/lib/postgresql/*/bin/initdb):apt-get install postgresql")
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("没有 postgres 系统账号(postgresql 软件包没有装完整)")
    if os.geteuid() != 0 and pwd.getpwuid(os.geteuid()).pw_name != "postgres":
        pytest.skip("需要 root(以 postgres 账号运行 initdb)")
    tmp = Path(tempfile.mkdtemp(prefix="kefu-pg-"))
    shutil.chown(tmp, "postgres", "postgres")
    data, sock, log = tmp / "data", tmp, tmp / "pg.log"
    res = _as_postgres(str(pg / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                       "--locale=C.UTF-8")
    assert res.returncode == 0, res.stderr
    port = _free_port()
    res = _as_postgres(str(pg / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o",
                       f"-p {port} -k {sock} -c listen_addresses=127.0.0.1", "start")
    assert res.returncode == 0, res.stdout + res.stderr + (log.read_text() if log.exists() else "")
    try:
        res = _as_postgres(str(pg / "createdb"), "-h", str(sock), "-p", str(port), "-U", "postgres", "kefu_gradebook")
        assert res.returncode == 0, res.stderr
        yield f"postgresql://postgres@127.0.0.1:{port}/kefu_gradebook"
    finally:
        _as_postgres(str(pg / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
        shutil.rmtree(tmp, ignore_errors=True)


def _make_cohort(root: Path) -> Path:
    from kefu.authoring import cells as C
    from kefu.cohort.create import init_cohort

    adir = root / "assignments" / ASSIGNMENT
    adir.mkdir(parents=True)
    cells = [C.answer_code("q1", 'q1 = "您好"', before="# 写一句问候"),
             C.test_code("q1-test", "assert isinstance(q1, str)", 'assert "您好" in q1', points=2),
             C.manual_markdown("m1", "先倾听。", points=1)]
    C.write(C.notebook(cells, title="小练习"), adir / f"{ASSIGNMENT}.ipynb")
    roster = root / "roster.csv"
    roster.write_text("工号,姓名,班组,入职日期\n" + "".join(f"{t},学员{t[-1]},1组,2025-03-03\n" for t in TRAINEES),
                      encoding="utf-8")
    course = root / "course"
    init_cohort(course, roster, course_id="pgtest", assignments_dir=root / "assignments")
    return course


@pytest.fixture(scope="module")
def collected(cluster, tmp_path_factory):
    """A cohort on PostgreSQL with three submissions released, submitted and collected through the CLI."""
    from kefu.cohort.config import load_config

    root = tmp_path_factory.mktemp("pgcohort")
    course = _make_cohort(root)
    sqlite_url = load_config(course).CourseDirectory.db_url
    bad = subprocess.run([*KEFU, "hub", "db", "--course", str(course), "--db", "mysql://x@127.0.0.1/y"],
                         capture_output=True, text=True)
    assert bad.returncode == 1 and "数据库地址" in bad.stderr and "Traceback" not in bad.stderr
    out = _kefu("hub", "db", "--course", str(course), "--db", cluster)
    assert "postgresql+psycopg2://postgres@127.0.0.1" in out.stdout
    url = load_config(course).CourseDirectory.db_url
    assert url.startswith("postgresql+psycopg2://")

    _kefu("release", ASSIGNMENT, "--course", str(course))
    for sid, answer in ANSWERS.items():
        home = root / "homes" / sid
        _kefu("fetch", ASSIGNMENT, "--student", sid, "--course", str(course), "--home", str(home))
        nb_path = home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["metadata"].get("nbgrader", {}).get("grade_id") == "q1":
                cell["source"] = f"q1 = {answer}"
        nb_path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
        _kefu("submit", ASSIGNMENT, "--student", sid, "--course", str(course), "--home", str(home))
    _kefu("collect", ASSIGNMENT, "--course", str(course))
    return {"course": course, "url": url, "sqlite_url": sqlite_url}


ANSWERS = {"PG001": '"您好,请问有什么可以帮您?"', "PG002": '"在吗"', "PG003": '"您好"'}


def test_release_collect_and_gradebook_on_postgresql(collected):
    from nbgrader.api import Gradebook

    course, url = collected["course"], collected["url"]
    with Gradebook(url, "pgtest") as gb:
        assert sorted(s.id for s in gb.students) == TRAINEES  # the roster was copied into PostgreSQL
        assert gb.find_assignment(ASSIGNMENT).name == ASSIGNMENT
    assert sorted(p.name for p in (course / "submitted").iterdir()) == TRAINEES
    report = json.loads(_kefu("gradebook", "--course", str(course), "--format", "json").stdout)
    text = json.dumps(report, ensure_ascii=False)
    assert all(sid in text for sid in TRAINEES)


@pytest.mark.xfail(strict=True, reason="kefu autograde (src/kefu/autograde/runner.py) grades only SQLite "
                   "gradebooks: '目前只支持 sqlite 成绩册' — reported to its owner; remove this mark when it "
                   "supports PostgreSQL")
def test_autograde_on_postgresql(collected):
    from nbgrader.api import Gradebook

    course, url = collected["course"], collected["url"]
    _kefu("autograde", ASSIGNMENT, "--course", str(course), "--no-progress")
    with Gradebook(url, "pgtest") as gb:
        scores = {s.student.id: s.score for s in gb.assignment_submissions(ASSIGNMENT)}
    assert scores == {"PG001": 2.0, "PG002": 0.0, "PG003": 2.0}
    with Gradebook(collected["sqlite_url"], "pgtest") as gb:  # nothing went to the SQLite file
        assert gb.assignment_submissions(ASSIGNMENT) == []
    report = json.loads(_kefu("gradebook", "--course", str(course), "--format", "json").stdout)
    assert "PG002" in json.dumps(report, ensure_ascii=False)


def test_restore_on_postgresql_refuses_cleanly(collected):
    """Gradebook backups are SQLite file copies: on PostgreSQL none are made and restoring one is
    refused with a Chinese message (the database's own tools, e.g. pg_dump, are the backup)."""
    res = subprocess.run([*KEFU, "restore", "1", "--course", str(collected["course"]), "--yes"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode != 0 and "Traceback" not in res.stderr, res.stdout + res.stderr
    assert res.stderr.strip(), "no message"


def test_back_to_sqlite(collected):
    from kefu.cohort.config import load_config

    course = collected["course"]
    back = _kefu("hub", "db", "--course", str(course), "--sqlite")
    assert "sqlite" in back.stdout and load_config(course).CourseDirectory.db_url == collected["sqlite_url"]
