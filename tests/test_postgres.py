"""The cohort's gradebook on PostgreSQL: a throw-away cluster from Debian's postgresql (initdb as the
``postgres`` user into a temporary folder, a free loopback port, its unix socket in that folder), then
release → fetch/submit → collect → autograde → gradebook → backup/restore through the ``kefu`` CLI, with
the cohort pointed at ``postgresql+psycopg2://…`` by ``kefu hub db``; the same submissions graded on a
SQLite twin of the cohort score the same. The cluster is stopped at the end."""
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


def _scores(url: str) -> dict[tuple[str, str], tuple]:
    """(trainee, cell) → (auto score, needs manual grade), and (trainee, "") → total, of the assignment."""
    from nbgrader.api import Gradebook

    out: dict[tuple[str, str], tuple] = {}
    with Gradebook(url, "pgtest") as gb:
        for sub in gb.assignment_submissions(ASSIGNMENT):
            out[(sub.student.id, "")] = (sub.score,)
            for nb in sub.notebooks:
                for g in nb.grades:
                    out[(sub.student.id, g.name)] = (g.auto_score, g.needs_manual_grade)
    return out


@pytest.fixture(scope="module")
def graded(collected):
    """``kefu autograde`` on the PostgreSQL cohort (the trusted, sandboxed path)."""
    course = collected["course"]
    out = _kefu("autograde", ASSIGNMENT, "--course", str(course), "--no-progress")
    return {**collected, "autograde_output": out.stdout + out.stderr, "scores": _scores(collected["url"])}


def test_autograde_on_postgresql(graded):
    from nbgrader.api import Gradebook

    course, scores = graded["course"], graded["scores"]
    assert {sid: scores[(sid, "")][0] for sid in TRAINEES} == {"PG001": 2.0, "PG002": 0.0, "PG003": 2.0}
    assert ("PG001", "m1") in scores  # the manual cell is recorded too (nbgrader: unchanged answer = 0)
    with Gradebook(graded["sqlite_url"], "pgtest") as gb:  # nothing went to the SQLite file
        assert gb.assignment_submissions(ASSIGNMENT) == []
    assert sorted(p.name for p in (course / "autograded").iterdir()) == TRAINEES
    assert not list((course / ".kefu").glob("worker-*.db")), "the workers' copies and the snapshot are removed"
    report = json.loads(_kefu("gradebook", "--course", str(course), "--format", "json").stdout)
    assert "PG002" in json.dumps(report, ensure_ascii=False)


def test_same_scores_as_on_sqlite(graded, tmp_path):
    """The same submissions graded on a SQLite twin of the cohort get identical scores, cell by cell."""
    twin = tmp_path / "twin"
    shutil.copytree(graded["course"], twin, symlinks=True,
                    ignore=shutil.ignore_patterns("gradebook_url", "autograded", ".kefu", "backups"))
    from kefu.cohort.config import load_config

    sqlite_url = load_config(twin).CourseDirectory.db_url
    assert sqlite_url.startswith("sqlite:///") and str(twin) in sqlite_url
    _kefu("release", ASSIGNMENT, "--course", str(twin), "--force")  # generated into the twin's own gradebook.db
    _kefu("autograde", ASSIGNMENT, "--course", str(twin), "--no-progress")
    on_sqlite = _scores(sqlite_url)
    assert len(on_sqlite) == 3 * len(TRAINEES)  # total, q1-test, m1
    assert on_sqlite == graded["scores"]


def test_backup_and_restore_on_postgresql(graded):
    """autograde backed the database up (a SQLite copy); kefu restore lists it, asks, and puts it back
    in one transaction; the database as it was before the restore is kept and can be put back too."""
    course, url = graded["course"], graded["url"]
    listing = _kefu("restore", "--course", str(course)).stdout
    assert "成绩册完好" in listing and "自动评分前" in listing, listing
    assert "(数据库 postgresql+psycopg2://postgres@127.0.0.1" in listing, listing
    number = next(ln.split()[0] for ln in listing.splitlines() if "自动评分前" in ln)
    # no confirmation: nothing changes
    res = subprocess.run([*KEFU, "restore", number, "--course", str(course)], input="n\n", capture_output=True,
                         text=True, timeout=120)
    assert res.returncode == 1 and "已取消" in res.stdout, res.stdout + res.stderr
    assert _scores(url) == graded["scores"]
    # restore the backup taken before grading: the database has no grades again
    out = _kefu("restore", number, "--course", str(course), "--yes").stdout
    assert "已恢复" in out and "恢复前的成绩册已另存为" in out, out
    assert _scores(url) == {}
    from nbgrader.api import Gradebook

    with Gradebook(url, "pgtest") as gb:  # the roster and the assignment are still there
        assert sorted(s.id for s in gb.students) == TRAINEES and gb.find_assignment(ASSIGNMENT)
    # and back: the copy made before the restore holds the grades
    listing = _kefu("restore", "--course", str(course)).stdout
    number = next(ln.split()[0] for ln in listing.splitlines() if "恢复前" in ln)
    _kefu("restore", number, "--course", str(course), "--yes")
    assert _scores(url) == graded["scores"]


def test_damaged_database_is_refused_without_password(graded, cluster, tmp_path):
    """An unreachable database and one without nbgrader's tables: a Chinese message naming the URL
    without its password, exit 1, no traceback — for kefu gradebook and kefu autograde."""
    course = tmp_path / "broken"
    shutil.copytree(graded["course"], course, symlinks=True, ignore=shutil.ignore_patterns(".kefu"))
    port = int(cluster.rsplit(":", 1)[1].split("/")[0])
    cases = [(f"postgresql+psycopg2://postgres:s3cret@127.0.0.1:{_free_port()}/kefu_gradebook", "无法连接成绩册数据库"),
             (f"postgresql+psycopg2://postgres:s3cret@127.0.0.1:{port}/postgres", "没有 nbgrader 的数据表")]
    for url, expected in cases:
        (course / "gradebook_url").write_text(url + "\n", encoding="utf-8")
        for cmd in (["gradebook"], ["autograde", ASSIGNMENT, "--no-progress"]):
            res = subprocess.run([*KEFU, *cmd, "--course", str(course)], capture_output=True, text=True, timeout=300)
            err = res.stdout + res.stderr
            assert res.returncode == 1, err
            assert expected in err and "postgres:***@127.0.0.1" in err, err
            assert "s3cret" not in err and "Traceback" not in err, err
    # the emptied database (the last case) is brought back from a backup by kefu restore
    listing = _kefu("restore", "--course", str(course)).stdout
    assert "成绩册有问题" in listing and "s3cret" not in listing, listing
    number = next(ln.split()[0] for ln in listing.splitlines() if "自动评分前" in ln)
    _kefu("restore", number, "--course", str(course), "--yes")
    report = json.dumps(json.loads(_kefu("gradebook", "--course", str(course), "--format", "json").stdout),
                        ensure_ascii=False)
    assert all(sid in report for sid in TRAINEES), report


def test_regenerated_config_keeps_the_database(graded):
    """The database block is part of render_config: a config written anew still follows gradebook_url,
    and neither the config nor any file but the root-only gradebook_url holds the URL."""
    from kefu.cohort.config import CONFIG_NAME, load_config, render_config

    course = graded["course"]
    cfg = load_config(course)
    text = render_config("pgtest", timezone=str(cfg.NbGraderAPI.timezone))
    original = (course / CONFIG_NAME).read_text(encoding="utf-8")
    (course / CONFIG_NAME).write_text(text, encoding="utf-8")
    try:
        assert load_config(course).CourseDirectory.db_url == graded["url"]
    finally:
        (course / CONFIG_NAME).write_text(original, encoding="utf-8")
    assert "postgresql" not in text and "127.0.0.1" not in text
    assert (course / "gradebook_url").stat().st_mode & 0o077 == 0


def test_back_to_sqlite(collected):
    from kefu.cohort.config import load_config

    course = collected["course"]
    back = _kefu("hub", "db", "--course", str(course), "--sqlite")
    assert "sqlite" in back.stdout and load_config(course).CourseDirectory.db_url == collected["sqlite_url"]
