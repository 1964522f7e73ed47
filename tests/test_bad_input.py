"""Bad input and faults through the real `kefu` (issue 16): every case runs the installed command in a
subprocess and checks the exit code, a Chinese message naming the place, no "Traceback", and that every
file that existed before is unchanged (hashes).

One small cohort is built per module (`kefu cohort init` from a four-line roster whose names are
formula and markup attacks); tests that damage a cohort work on a copy. A session-end check fails the
run when a process started by the tests (command line or working folder inside pytest's temporary
folder) is still running.
"""
from __future__ import annotations

import csv
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from process_check import kill as _kill
from process_check import processes_under as _processes_under

REPO = Path(__file__).resolve().parents[1]
KEFU = str(Path(sys.executable).parent / "kefu")

# roster attacks: names and a team that spreadsheets would run as formulas, and rich markup
FORMULA_NAMES = ['=HYPERLINK("http://x","y")', "=1+1", "@SUM(1)"]
FORMULA_TEAM = "=cmd|' /C calc'!A0"
MARKUP_NAME = "[/]王[bold]"
ROSTER = [
    ["工号", "姓名", "班组", "入职日期"],
    ["KF001", FORMULA_NAMES[0], "1组", "2025-03-03"],
    ["KF002", FORMULA_NAMES[1], FORMULA_TEAM, "2025-03-03"],
    ["KF003", FORMULA_NAMES[2], "2组", "2025-03-03"],
    ["KF004", MARKUP_NAME, "[/]组", "2025-03-03"],
]
CHINESE = re.compile(r"[\u4e00-\u9fff]")


# ------------------------------------------------------------------------------------------ helpers

def kefu(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 600
         ) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "COLUMNS": "250", **(env or {})}
    full_env.pop("KEFU_DEBUG", None)
    return subprocess.run([KEFU, *args], capture_output=True, text=True, cwd=cwd, env=full_env, timeout=timeout)


def failed_cleanly(res: subprocess.CompletedProcess, code: int, *places: str) -> str:
    """The command failed with ``code``, said why in Chinese naming every place, without a traceback."""
    out = res.stdout + res.stderr
    assert res.returncode == code, f"exit {res.returncode}, expected {code}\n{out}"
    assert "Traceback" not in out, out
    assert "内部错误" not in out, out
    assert CHINESE.search(res.stderr), f"no Chinese message on stderr:\n{out}"
    for place in places:
        assert place in res.stderr, f"“{place}” not named:\n{out}"
    return res.stderr


def hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def unchanged(before: dict[str, str], folder: Path) -> None:
    """Every file that existed before is still there with the same content (new files are allowed:
    backups, logs)."""
    after = hashes(folder)
    lost = [k for k in before if k not in after]
    changed = [k for k in before if k in after and after[k] != before[k]]
    assert not lost and not changed, f"lost {lost}, changed {changed}"


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


# ------------------------------------------------------------------------------------------ fixtures

@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("bad-input")


@pytest.fixture(scope="module")
def cohort(workdir: Path) -> Path:
    roster = write_csv(workdir / "名单.csv", ROSTER)
    course = workdir / "cohort"
    res = kefu("cohort", "init", str(course), "--roster", str(roster))
    assert res.returncode == 0, res.stdout + res.stderr
    return course


@pytest.fixture
def cohort_copy(cohort: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "cohort"
    shutil.copytree(cohort, dest)
    return dest


@pytest.fixture(scope="module")
def calls_csv(workdir: Path) -> Path:
    path = workdir / "calls.csv"
    res = kefu("sample-calls", str(path), "--agents", "3", "--days", "1", "--seed", "1")
    assert res.returncode == 0, res.stderr
    return path


@pytest.fixture(scope="module")
def broken_seeds(workdir: Path) -> Path:
    """A copy of seeds/ with a pass mark of 800 (out of 100) and KPI weights adding up to 105."""
    dest = workdir / "broken-seeds"
    shutil.copytree(REPO / "seeds", dest)
    exam = dest / "exam.yml"
    text = exam.read_text(encoding="utf-8")
    assert "  pass_score: 80\n" in text
    exam.write_text(text.replace("  pass_score: 80\n", "  pass_score: 800\n", 1), encoding="utf-8")
    kpi = dest / "kpi.yml"
    text = kpi.read_text(encoding="utf-8")
    weight = re.search(r"weight: (\d+)", text)
    kpi.write_text(text.replace(weight[0], f"weight: {int(weight[1]) + 5}", 1), encoding="utf-8")
    return dest


# ------------------------------------------------------------------ 1. exports are data, not formulas

def test_xlsx_export_has_no_formula_and_keeps_the_text(cohort: Path, tmp_path: Path):
    import openpyxl

    out = tmp_path / "成绩册.xlsx"
    res = kefu("gradebook", "--course", str(cohort), "-f", "xlsx", "-o", str(out))
    assert res.returncode == 0, res.stdout + res.stderr
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in z.read(name).decode("utf-8"), f"formula element in {name}"
    wb = openpyxl.load_workbook(out)  # data_only=False: formulas would show as data_type "f"
    texts = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str) and cell.value.startswith(("=", "@")):
                    assert cell.quotePrefix, f"{ws.title}!{cell.coordinate} not marked as text"
                texts.add(cell.value)
    assert set(FORMULA_NAMES) | {FORMULA_TEAM, MARKUP_NAME} <= texts


def test_csv_export_neutralises_formulas(cohort: Path, tmp_path: Path):
    out = tmp_path / "成绩册.csv"
    res = kefu("gradebook", "--course", str(cohort), "-f", "csv", "-o", str(out))
    assert res.returncode == 0, res.stdout + res.stderr
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    cells = {c for r in rows for c in r}
    for text in [*FORMULA_NAMES, FORMULA_TEAM]:
        assert "'" + text in cells and text not in cells
    assert MARKUP_NAME in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")], "a cell still starts like a formula"


# ------------------------------------------------------------------ 2. user text is never markup

def test_gradebook_table_prints_markup_names_as_text(cohort: Path):
    res = kefu("gradebook", "--course", str(cohort))
    assert res.returncode == 0, res.stdout + res.stderr
    assert MARKUP_NAME in res.stdout and "Traceback" not in res.stderr


def test_kpi_table_prints_markup_agent_ids_as_text(calls_csv: Path, tmp_path: Path):
    rows = list(csv.reader(calls_csv.read_text(encoding="utf-8-sig").splitlines()))
    col = rows[0].index("agent_id")
    first = rows[1][col]
    for r in rows[1:]:
        if r[col] == first:
            r[col] = "[/]A9"
    res = kefu("kpi", str(write_csv(tmp_path / "calls.csv", rows)))
    assert res.returncode == 0, res.stdout + res.stderr
    assert "[/]A9" in res.stdout and "Traceback" not in res.stderr


# ------------------------------------------------------------------ 3. corrupt, truncated, empty gradebook

def _damage(db: Path, how: str) -> None:
    data = db.read_bytes()
    if how == "truncated":
        db.write_bytes(data[: len(data) // 3])
    elif how == "empty":
        db.write_bytes(b"")
    else:  # garbage in the header: not a database at all
        db.write_bytes(b"this is not a database" + b"\0" * 200 + data[300:])


# every kind of damage through the cheapest reader, and one kind through each command that writes
DAMAGE_CASES = [(["gradebook"], how) for how in ("truncated", "empty", "garbage")] + [
    (["release", "ch01-service-mindset"], "truncated"), (["collect"], "empty"),  # the 0-byte collect
    (["feedback", "ch01-service-mindset"], "garbage"),
]


@pytest.mark.parametrize("command,how", DAMAGE_CASES, ids=[f"{c[0]}-{h}" for c, h in DAMAGE_CASES])
def test_damaged_gradebook_is_reported_never_recreated(cohort_copy: Path, command, how):
    _damage(cohort_copy / "gradebook.db", how)
    before = hashes(cohort_copy)
    res = kefu(*command, "--course", str(cohort_copy))
    failed_cleanly(res, 1, "gradebook.db")
    unchanged(before, cohort_copy)


def test_restore_without_backups_says_so(cohort_copy: Path):
    _damage(cohort_copy / "gradebook.db", "truncated")
    before = hashes(cohort_copy)
    failed_cleanly(kefu("restore", "--course", str(cohort_copy)), 1)
    unchanged(before, cohort_copy)


@pytest.mark.slow
def test_autograde_with_a_damaged_gradebook(cohort_copy: Path, tmp_path: Path):
    """A real submission waits to be graded; then the gradebook is damaged: autograde must stop with
    a message before grading anything."""
    aid = "ch01-service-mindset"
    home = tmp_path / "home"
    for step in (["release", aid, "--course", str(cohort_copy)],
                 ["fetch", aid, "--course", str(cohort_copy), "--student", "KF001", "--home", str(home)],
                 ["submit", aid, "--course", str(cohort_copy), "--student", "KF001", "--home", str(home)],
                 ["collect", aid, "--course", str(cohort_copy)]):
        res = kefu(*step)
        assert res.returncode == 0, f"{step}: {res.stdout}{res.stderr}"
    _damage(cohort_copy / "gradebook.db", "truncated")
    before = hashes(cohort_copy)
    failed_cleanly(kefu("autograde", aid, "--course", str(cohort_copy)), 1, "gradebook.db")
    unchanged(before, cohort_copy)


# ------------------------------------------------------------------ 4. broken seeds in every command

def test_broken_seeds_in_kpi(broken_seeds: Path, calls_csv: Path):
    err = failed_cleanly(kefu("kpi", str(calls_csv), env={"KEFU_SEEDS": str(broken_seeds)}), 1,
                         "kpi.yml", "字段 dimensions", "105")
    assert "kefu seeds validate" in err


def test_broken_seeds_in_erlang(broken_seeds: Path):
    res = kefu("erlang", "--calls", "100", "--period", "1800", "--aht", "180", "--target", "20",
               "--service-level", "0.8", env={"KEFU_SEEDS": str(broken_seeds)})
    failed_cleanly(res, 1, "kpi.yml", "字段 dimensions")


def test_broken_seeds_in_gradebook(broken_seeds: Path, cohort: Path):
    before = hashes(cohort)
    res = kefu("gradebook", "--course", str(cohort), env={"KEFU_SEEDS": str(broken_seeds)})
    failed_cleanly(res, 1, "exam.yml", "theory", "字段 pass_score", "800")
    unchanged(before, cohort)


def test_pass_score_800_fails_seeds_validate(broken_seeds: Path):
    res = kefu("seeds", "validate", "--path", str(broken_seeds))
    failed_cleanly(res, 1, "exam.yml · 条目 theory", "字段 pass_score", "800")


def test_yaml_syntax_error_and_bad_encoding(tmp_path: Path, calls_csv: Path):
    seeds = tmp_path / "seeds"
    shutil.copytree(REPO / "seeds", seeds)
    (seeds / "kpi.yml").write_text((REPO / "seeds" / "kpi.yml").read_text(encoding="utf-8") + "\n  - [unclosed\n",
                                   encoding="utf-8")
    failed_cleanly(kefu("kpi", str(calls_csv), env={"KEFU_SEEDS": str(seeds)}), 1, "kpi.yml", "YAML 格式错误", "行")
    (seeds / "kpi.yml").write_bytes((REPO / "seeds" / "kpi.yml").read_bytes().replace("权重".encode(), b"\xff\xfe", 1)
                                    + b"\n# \xff\n")
    failed_cleanly(kefu("kpi", str(calls_csv), env={"KEFU_SEEDS": str(seeds)}), 1, "kpi.yml", "UTF-8")


# ------------------------------------------------------------------ 5. output paths

def test_output_that_is_a_folder(cohort: Path, tmp_path: Path):
    for fmt in ("csv", "xlsx"):
        failed_cleanly(kefu("gradebook", "--course", str(cohort), "-f", fmt, "-o", str(tmp_path)), 1, str(tmp_path),
                       "文件夹")


def test_output_in_a_missing_folder(cohort: Path, tmp_path: Path):
    target = tmp_path / "没有这个文件夹" / "成绩册.csv"
    res = kefu("gradebook", "--course", str(cohort), "-f", "csv", "-o", str(target))
    assert res.returncode in (1, 2)
    failed_cleanly(res, res.returncode, "没有这个文件夹")
    assert not target.parent.exists()


def test_plots_into_an_existing_file(cohort: Path, tmp_path: Path):
    existing = tmp_path / "passwd"
    existing.write_text("root:x:0:0\n", encoding="utf-8")
    before = hashes(tmp_path)
    res = kefu("gradebook", "--course", str(cohort), "-f", "json", "--plots", str(existing))
    assert res.returncode in (1, 2)
    failed_cleanly(res, res.returncode, str(existing))
    unchanged(before, tmp_path)


def test_sample_calls_into_a_missing_folder_and_kpi_on_a_folder(tmp_path: Path):
    failed_cleanly(kefu("sample-calls", str(tmp_path / "nope" / "calls.csv")), 2, str(tmp_path / "nope"))
    failed_cleanly(kefu("kpi", str(tmp_path)), 2, str(tmp_path), "文件夹")


def test_numbers_that_are_not_finite(calls_csv: Path):
    failed_cleanly(kefu("erlang", "--calls", "inf", "--period", "1800", "--aht", "180", "--target", "20",
                        "--service-level", "0.8"), 2, "--calls")
    failed_cleanly(kefu("erlang", "--calls", "100", "--period", "1800", "--aht", "180", "--target", "nan",
                        "--agents", "5"), 2, "--target")
    failed_cleanly(kefu("kpi", str(calls_csv), "--sl-threshold", "nan"), 2, "--sl-threshold")


def test_build_refuses_a_root_that_is_not_the_kit(tmp_path: Path):
    target = tmp_path / "别的文件夹"
    target.mkdir()
    (target / "a.txt").write_text("x", encoding="utf-8")
    before = hashes(tmp_path)
    failed_cleanly(kefu("build", "exams", "--root", str(target)), 2, "--root", str(target))
    failed_cleanly(kefu("build", "exams", "--root", str(target / "a.txt")), 2, "--root", "a.txt")
    unchanged(before, tmp_path)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.txt", "别的文件夹"]


def test_binary_call_log(tmp_path: Path):
    bad = tmp_path / "calls.xlsx"
    bad.write_bytes(os.urandom(2048))
    failed_cleanly(kefu("kpi", str(bad)), 1, "calls.xlsx")


# ------------------------------------------------------------------ 6. rosters: merged and formula cells

def _xlsx_roster(path: Path, merge: str | None = None, formulas: dict[str, str] | None = None) -> Path:
    import datetime as dt

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["工号", "姓名", "班组", "入职日期"])
    for i in range(1, 5):
        ws.append([f"KF{i:03d}", f"学员{i}", "1组" if i == 1 else None, dt.datetime(2025, 3, 3)])
    if merge:
        ws.merge_cells(merge)
    for ref, f in (formulas or {}).items():
        ws[ref] = f
    wb.save(path)
    return path


def test_roster_with_merged_team_cells(tmp_path: Path):
    roster = _xlsx_roster(tmp_path / "名单.xlsx", merge="C2:C5")
    before = hashes(tmp_path)
    res = kefu("cohort", "init", str(tmp_path / "c"), "--roster", str(roster))
    failed_cleanly(res, 1, "名单.xlsx", "第 2–5 行", "班组", "合并单元格 C2:C5")
    assert not (tmp_path / "c").exists()
    unchanged(before, tmp_path)


def test_roster_with_formula_cells_without_values(tmp_path: Path):
    roster = _xlsx_roster(tmp_path / "名单.xlsx", formulas={"A3": '="KF"&"002"', "B4": "=B2"})
    res = kefu("cohort", "init", str(tmp_path / "c"), "--roster", str(roster))
    err = failed_cleanly(res, 1, "第 3 行 · 工号(id)(A3): 是公式", "第 4 行 · 姓名(name)(B4): 是公式")
    assert "工号为空" not in err and "姓名为空" not in err
    assert not (tmp_path / "c").exists()


# ------------------------------------------------------------------ 7. nothing lost: init, demo

def test_cohort_init_killed_halfway_leaves_nothing_usable(tmp_path: Path):
    roster = write_csv(tmp_path / "名单.csv", ROSTER[:3])
    parent = tmp_path / "cohorts"
    parent.mkdir()
    course = parent / "c"
    env = {**os.environ, "PATH": f"{Path(KEFU).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.Popen([KEFU, "cohort", "init", str(course), "--roster", str(roster)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 120
    while not any(parent.iterdir()) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert proc.poll() is None, "init finished before it could be interrupted"
    time.sleep(0.05)  # let it get into the build
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    # the half-made cohort cannot be used ...
    failed_cleanly(kefu("release", "ch01-service-mindset", "--course", str(course)), 1, str(course))
    # ... and init can simply be run again
    res = kefu("cohort", "init", str(course), "--roster", str(roster))
    assert res.returncode == 0, res.stdout + res.stderr
    assert (course / "cohort.json").is_file() and (course / "gradebook.db").stat().st_size > 0


def test_demo_refuses_a_folder_it_did_not_make(tmp_path: Path):
    out = tmp_path / "班级"
    out.mkdir()
    (out / "我的笔记.txt").write_text("学员的笔记\n", encoding="utf-8")
    before = hashes(tmp_path)
    failed_cleanly(kefu("demo", "--out", str(out), timeout=120), 1, str(out))
    unchanged(before, tmp_path)


def test_cohort_init_refuses_an_existing_cohort(cohort: Path):
    before = hashes(cohort)
    res = kefu("cohort", "init", str(cohort), "--roster", str(cohort.parent / "名单.csv"))
    failed_cleanly(res, 1, str(cohort))
    unchanged(before, cohort)


# ------------------------------------------------------------------ 8. the error path itself

def test_usage_errors_exit_2_in_chinese():
    failed_cleanly(kefu("gradebook", "--no-such-option"), 2, "--no-such-option", "参数错误")
    failed_cleanly(kefu("erlang", "--calls", "很多", "--period", "1", "--aht", "1", "--target", "1",
                        "--agents", "1"), 2, "--calls", "应为数字")


_BUGGY = """
import sys
from kefu.cli.main import app, run

@app.command("boom")
def boom():
    raise RuntimeError("something kefu did not expect")

run(sys.argv[1:])
"""


def test_unexpected_error_is_short_and_debug_shows_the_traceback():
    """The real entry point with one extra command that fails the way a bug would."""
    res = subprocess.run([sys.executable, "-c", _BUGGY, "boom"], capture_output=True, text=True, timeout=120)
    assert res.returncode == 1
    assert "内部错误" in res.stderr and "--debug" in res.stderr and "RuntimeError" in res.stderr
    assert "Traceback" not in res.stdout + res.stderr
    res = subprocess.run([sys.executable, "-c", _BUGGY, "boom", "--debug"], capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 1
    assert "Traceback" in res.stderr and "something kefu did not expect" in res.stderr


def test_ctrl_c_is_a_short_message():
    code = ("import sys, time\n"
            "from kefu.cli.main import app, run\n"
            "@app.command('wait')\n"
            "def wait():\n"
            "    print('ready', flush=True)\n"
            "    time.sleep(60)\n"
            "run(sys.argv[1:])\n")
    proc = subprocess.Popen([sys.executable, "-c", code, "wait"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert "已中断" in err and "Traceback" not in out + err


def test_database_errors_deep_in_a_command_name_the_gradebook(tmp_path: Path):
    """The central handler's own net, for a corruption found only after the gradebook opened: a
    sqlalchemy error wrapping sqlite3's, raised from a command through the real entry point."""
    course = tmp_path / "班级"
    course.mkdir()
    db = course / "gradebook.db"
    db.write_bytes(b"SQLite format 3\0" + os.urandom(4096))
    code = (
        "import sys, sqlalchemy\n"
        "from kefu.cli.main import app, run\n"
        "@app.command('peek')\n"
        "def peek(course: str = ''):\n"
        "    engine = sqlalchemy.create_engine('sqlite:///' + course + '/gradebook.db')\n"
        "    with engine.connect() as c:\n"
        "        c.execute(sqlalchemy.text('select * from student'))\n"
        "run(sys.argv[1:])\n"
    )
    before = hashes(course)
    res = subprocess.run([sys.executable, "-c", code, "peek", "--course", str(course)], capture_output=True,
                         text=True, timeout=120)
    failed_cleanly(res, 1, str(db), "kefu restore")
    unchanged(before, course)


def test_error_and_export_helpers_stay_at_the_bottom_of_the_layers():
    code = ("import sys, kefu.errors, kefu.safe_export; "
            "print(sorted(m for m in sys.modules if m.startswith(('kefu.', 'sqlalchemy', 'pydantic', 'typer', "
            "'openpyxl', 'yaml'))))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "['kefu.errors', 'kefu.safe_export']"


# ------------------------------------------------------------------ 9. servers stop with their children

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SERVERS = [("formgrader", signal.SIGTERM), ("formgrader", signal.SIGINT), ("lab", signal.SIGTERM)]


@pytest.mark.slow
@pytest.mark.parametrize("server,sig", SERVERS, ids=[f"{a}-{b.name}" for a, b in SERVERS])
def test_server_stops_its_whole_tree(cohort: Path, tmp_path: Path, server, sig):
    """The issue's orphan: `kefu formgrader` ended with SIGTERM left its JupyterLab running."""
    port = _free_port()
    if server == "formgrader":
        args, folder = ["formgrader", "--course", str(cohort)], str(cohort)
    else:  # the self-study lab in a folder of its own (never the real ~/kefu-practice)
        args, folder = ["lab", "--home", str(tmp_path / "home")], str(tmp_path)
    env = {**os.environ, "PATH": f"{Path(KEFU).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.Popen([KEFU, *args, "--port", str(port), "--no-browser"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert proc.poll() is None, f"kefu {server} ended before listening (exit {proc.returncode})"
            time.sleep(0.5)
        else:
            pytest.fail(f"kefu {server} did not start listening")
        assert _processes_under(folder), "the server's processes are not recognisable by their folder"
        proc.send_signal(sig)
        proc.wait(timeout=60)
        deadline = time.monotonic() + 20
        while _processes_under(folder) and time.monotonic() < deadline:
            time.sleep(0.5)
        left = _processes_under(folder)
        assert not left, f"still running after {sig.name}: {left}"
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", port)) != 0, "the port still answers"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        for pid, _ in _processes_under(folder):
            _kill(pid)
