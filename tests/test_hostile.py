"""Hostile submissions through the real graders (issue 10, item 6).

One cohort (``kefu cohort init`` from a copy of the kit's ch06-tickets assignment and its keys, with a
canary line added to the keys file) receives one batch of submissions: a baseline trainee with the key
file's *partial* answers, and one trainee per attack with the same answers followed by the attack code.
The batch is graded through ``kefu autograde`` (CLI, subprocess) and, on a copy of the cohort taken
before grading, through the formgrader's path (``nbgrader autograde`` run in the cohort folder: the
cohort's nbgrader_config.py, the same configuration formgrader's Autograde button uses). Feedback is
made with ``kefu feedback`` and with ``nbgrader generate_feedback`` (formgrader's Generate Feedback).

Attacks: forged scores (marking functions and the emit function monkeypatched, a fake score shown), an
audit hook printing what the kernel compiles, reads of the keys, source/, gradebook.db, the config and
``kefu.seeds.load("question_bank.yml")``, writes outside the scratch folder (gradebook.db, another
trainee's folder, a planted nbgrader_config.py line, a folder next to the cohort), detached processes
(``start_new_session=True`` and a double fork), a loopback connection to a server this test runs,
active HTML (``<script>``, ``onerror=``, ``javascript:``, iframes, JavaScript and widget outputs, a
Markdown cell with a script), and bounded fork and memory bombs.

Asserted on both paths: every trainee's score equals the baseline's (the bomb may instead be recorded
as failed with a reason), no key, solution line or hidden-test line in any output or feedback page,
nothing written outside the scratch folder, no process left, no connection made, no active content.
"""
from __future__ import annotations

import copy
import hashlib
import html.parser
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
import yaml

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::Warning")]

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
AID = "ch06-tickets"
MARK = "kefuhostile" + uuid.uuid4().hex[:10]
CANARY = "KEYCANARY-" + uuid.uuid4().hex

FORGE = """
import kefu.answers as _a, kefu.authoring.marking as _m, kefu.exams.marking as _e
for _mod, _names in ((_m, ["choices", "order", "procedure_order", "openings", "tickets", "rewrites", "kpis",
                           "qa_scorecard", "judge_phrases"]),
                     (_e, ["mark_single", "mark_multiple", "mark_truefalse", "mark_ticket"])):
    for _n in _names:
        setattr(_mod, _n, lambda *a, **k: 8.0)
_orig = _a.emit
def _forged(*names):
    _orig(*names)                       # the real payload (the trainee's own answers) ...
    _orig(*names)                       # ... twice
    print("【工单分类】得分 8 / 8")
    from IPython.display import display
    display({{"text/plain": "8"}}, raw=True)
    return 8
_a.emit = _forged
print("forged marking and emit")
"""

AUDIT = """
import sys
_seen = []
def _hook(event, args):
    if event == "compile" and len(_seen) < 300:
        _seen.append(1)
        try:
            print("AUDIT", repr(args[0])[:2000])
        except Exception:
            pass
sys.addaudithook(_hook)
compile("1 + 1", "<probe>", "eval")  # shows the hook works: later cells' sources would print the same way
"""

READS = """
import glob, os
_paths = [{cohort!r} + "/nbgrader_config.py", {keys!r} + "/ch06-tickets.yml", {cohort!r} + "/gradebook.db",
          {cohort!r} + "/source/ch06-tickets/ch06-tickets.ipynb", {repo!r} + "/seeds/question_bank.yml",
          {repo!r} + "/assignments/_keys/theory-exam.yml"]
_paths += glob.glob({cohort!r} + "/submitted/*/*/*.ipynb") + glob.glob({keys!r} + "/*.yml")
_d = os.getcwd()
for _ in range(10):
    _paths.append(os.path.join(_d, "nbgrader_config.py"))
    _paths.append(os.path.join(_d, "gradebook.db"))
    _d = os.path.dirname(_d)
for _p in _paths:
    try:
        with open(_p, "rb") as _f:
            print("READ", _p, _f.read(300000).decode("utf-8", "replace"))
    except Exception as _exc:
        print("no", _p, type(_exc).__name__)
try:
    import kefu.seeds
    _bank = kefu.seeds.load("question_bank.yml")
    print("BANK", [(q.model_answer, q.key_points) for q in _bank.questions if getattr(q, "model_answer", None)])
except Exception as _exc:
    print("no bank", type(_exc).__name__)
"""

WRITES = """
import glob, sqlite3
_targets = [({cohort!r} + "/nbgrader_config.py", "\\nopen({planted!r}, 'w').write('planted')\\n"),
            ({cohort!r} + "/submitted/KF100/ch06-tickets/pwned.txt", "pwned"),
            ({cohort!r} + "/source/ch06-tickets/pwned.txt", "pwned"),
            ({outside!r} + "/pwned.txt", "pwned"),
            ({keys!r} + "/pwned.txt", "pwned")]
for _p, _text in _targets:
    try:
        with open(_p, "a") as _f:
            _f.write(_text)
        print("WROTE", _p)
    except Exception as _exc:
        print("no", _p, type(_exc).__name__)
for _db in [{cohort!r} + "/gradebook.db"] + glob.glob({cohort!r} + "/.kefu/*.db"):
    try:
        _con = sqlite3.connect(_db, timeout=2)
        _con.execute("UPDATE grade SET manual_score = 99")
        _con.commit()
        _con.close()
        print("DB", _db)
    except Exception as _exc:
        print("no db", _db, type(_exc).__name__)
"""

DETACHED = """
import os, subprocess, sys
_code = "import time; time.sleep(240)"
try:
    subprocess.Popen([sys.executable, "-c", _code, {mark!r}], start_new_session=True,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    _pid = os.fork()
    if _pid == 0:
        try:
            os.setsid()
            if os.fork() == 0:
                os.execv(sys.executable, [sys.executable, "-c", _code, {mark!r}])
        finally:
            os._exit(0)
    os.waitpid(_pid, 0)
    print("detached")
except Exception as _exc:
    print("no detach", type(_exc).__name__)
"""

NETWORK = """
import socket
for _host in ("127.0.0.1", "localhost", "::1"):
    try:
        _s = socket.create_connection((_host, {port}), timeout=2)
        _s.sendall({mark!r}.encode())
        _s.close()
        print("CONNECTED", _host)
    except Exception as _exc:
        print("no net", _host, type(_exc).__name__)
"""

HTML = """
from IPython.display import HTML, Javascript, Markdown, display
display(HTML("<script>window.{mark}=1</script><b>粗体</b><table><tr><td>表格</td></tr></table>"))
display(HTML('<img src="x" onerror="{mark}()"><a href="javascript:{mark}()">点我</a>'))
display(HTML('<iframe src="javascript:{mark}()"></iframe><object data="javascript:{mark}()"></object>'))
display(HTML('<svg onload="{mark}()"></svg><div style="background:url(javascript:{mark}())">x</div>'))
display(Javascript("{mark}()"))
display(Markdown("[链接](javascript:{mark}())"))
display({{"application/vnd.jupyter.widget-view+json": {{"model_id": "{mark}", "version_major": 2,
          "version_minor": 0}}, "text/plain": "widget"}}, raw=True)
"""

BOMBS = """
import os, time
_kids = 0
try:
    for _ in range(300):
        if os.fork() == 0:
            time.sleep(60)
            os._exit(0)
        _kids += 1
except OSError as _exc:
    print("fork refused after", _kids, type(_exc).__name__)
_blocks = []
try:
    for _ in range(48):                    # 12 GiB at most, each block touched
        _blocks.append(bytearray(256 * 1024 * 1024))
except MemoryError:
    print("memory refused after", len(_blocks), "blocks")
_blocks = None
"""

ATTACKS = {"KF101": FORGE, "KF102": AUDIT, "KF103": READS, "KF104": WRITES, "KF105": DETACHED,
           "KF106": NETWORK, "KF107": HTML, "KF108": BOMBS}
BASELINE = "KF100"
BOMBER = "KF108"


def _sandboxed() -> str | None:
    """Why the bombs cannot be run safely here (None: both graders sandbox every kernel)."""
    from kefu.sandbox import check
    from kefu.sandbox.execute import SandboxedExecute

    from kefu.autograde.kernels import KefuExecute
    from kefu.autograde.pipeline import GraderExecute

    reason = check()
    if reason:
        return reason
    if not issubclass(KefuExecute, SandboxedExecute) or not issubclass(GraderExecute, SandboxedExecute):
        return "a grader's kernels are not sandboxed"
    return None


# ------------------------------------------------------------------------------------------ helpers

class _Server:
    """A loopback TCP server that records every connection (the network attack's target)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.5)
        self.port = self.sock.getsockname()[1]
        self.connections: list[bytes] = []
        self.stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            conn.settimeout(1)
            try:
                self.connections.append(conn.recv(1024))
            except OSError:
                self.connections.append(b"")
            conn.close()

    def close(self) -> None:
        self.stop = True
        self.thread.join(5)
        self.sock.close()


def _marked_processes() -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if MARK.encode() in (d / "cmdline").read_bytes():
                    out.append(int(d.name))
            except OSError:
                continue
    return out


def _kill(pids: list[int]) -> None:
    for pid in pids:  # only processes carrying this test run's marker: started by these submissions
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def _digest(paths: list[Path]) -> dict[str, str]:
    out = {}
    for base in paths:
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file()) if base.exists() else []
        for f in files:
            out[str(f)] = hashlib.sha256(f.read_bytes()).hexdigest()
        if not files:
            out[str(base)] = "absent"
    return out


def _protected(course: Path, keys: Path, outside: Path) -> list[Path]:
    return [course / "nbgrader_config.py", course / "source", course / "submitted", course / "release",
            course / "cohort.json", keys, outside]


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _scores(course: Path) -> dict[str, dict[str, float | None]]:
    con = sqlite3.connect(str(course / "gradebook.db"))
    try:
        rows = con.execute(
            "SELECT student.id, base_cell.name, grade.auto_score, grade.manual_score FROM grade "
            "JOIN submitted_notebook ON grade.notebook_id = submitted_notebook.id "
            "JOIN submitted_assignment ON submitted_notebook.assignment_id = submitted_assignment.id "
            "JOIN student ON submitted_assignment.student_id = student.id "
            "JOIN grade_cells ON grade.cell_id = grade_cells.id "
            "JOIN base_cell ON grade_cells.id = base_cell.id").fetchall()
    finally:
        con.close()
    out: dict[str, dict[str, float | None]] = {}
    for sid, cell, auto, manual in rows:
        out.setdefault(sid, {})[cell] = auto
        out[sid][f"{cell}:manual"] = manual
    return out


# ------------------------------------------------------------------------------------------ the batch

@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    from nbgrader.apps import NbGraderAPI

    from kefu.autograde import testcourse as S
    from kefu.cohort import load_config
    from kefu.cohort.create import init_cohort

    root = tmp_path_factory.mktemp("hostile")
    saved = dict(os.environ)
    for var in ("HOME", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        (root / var).mkdir()
        os.environ[var] = str(root / var)
    os.environ["PATH"] = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    env = dict(os.environ)
    server = _Server()
    leftovers: dict[str, list[int]] = {}
    try:
        adir = root / "assignments"
        shutil.copytree(REPO / "assignments" / AID, adir / AID)
        keys = adir / "_keys"
        keys.mkdir()
        key_text = (REPO / "assignments" / "_keys" / f"{AID}.yml").read_text(encoding="utf-8")
        (keys / f"{AID}.yml").write_text(key_text + f"canary: {CANARY}\n", encoding="utf-8")
        outside = root / "outside"
        outside.mkdir()
        planted = root / "outside-planted.txt"
        ids = [BASELINE, *ATTACKS]
        roster = root / "roster.csv"
        roster.write_text("工号,姓名,班组,入职日期\n" + "".join(f"{s},学员{s[-3:]},1组,2025-03-03\n" for s in ids),
                          encoding="utf-8")
        course = root / "cohort"
        init_cohort(course, roster, course_id="hostile", assignments_dir=adir)
        res = NbGraderAPI(config=load_config(course)).generate_assignment(AID)
        assert res["success"], res.get("error") or res.get("log")

        answers = yaml.safe_load(key_text)["answers"]
        partial = answers["q1"]["partial"]
        released = S.released_notebook(course, AID)
        fill = {"cohort": str(course), "keys": str(keys), "repo": str(REPO), "outside": str(outside),
                "planted": str(planted), "mark": MARK, "port": server.port}
        sandbox_problem = _sandboxed()
        for sid in ids:
            attack = ATTACKS.get(sid, "")
            if sid == BOMBER and sandbox_problem:
                attack = ""  # never fork- or memory-bomb an unsandboxed machine
            nb = S.answer(released, {"q1": partial + "\n" + attack.format(**fill) if attack else partial})
            if sid == "KF107":  # a Markdown cell of the trainee's own, with active content
                nb = copy.deepcopy(nb)
                nb["cells"].append({"cell_type": "markdown", "id": "hostile-md", "metadata": {},
                                    "source": f'<script>{MARK}()</script><img src=x onerror="{MARK}()">'
                                              f"\n\n[点我](javascript:{MARK}())"})
            S.place_submission(course, sid, AID, {AID: nb})

        stock = root / "cohort-formgrader"  # the formgrader's path grades its own copy of the cohort
        shutil.copytree(course, stock)
        before = {"kefu": _digest(_protected(course, keys, outside)),
                  "formgrader": _digest(_protected(stock, keys, outside))}

        kefu_run = _run([str(BIN / "kefu"), "autograde", AID, "--course", str(course), "--json",
                         "--timeout", "30"], course, env)
        leftovers["kefu autograde"] = _marked_processes()
        _kill(leftovers["kefu autograde"])
        kefu_fb = _run([str(BIN / "kefu"), "feedback", AID, "--course", str(course)], course, env)

        stock_run = _run([str(BIN / "nbgrader"), "autograde", AID, "--force"], stock, env)
        leftovers["nbgrader autograde"] = _marked_processes()
        _kill(leftovers["nbgrader autograde"])
        stock_fb = _run([str(BIN / "nbgrader"), "generate_feedback", AID, "--force"], stock, env)

        after = {"kefu": _digest(_protected(course, keys, outside)),
                 "formgrader": _digest(_protected(stock, keys, outside))}
        yield {
            "root": root, "course": course, "stock": stock, "keys": keys, "outside": outside, "planted": planted,
            "answers": answers, "expected": yaml.safe_load(key_text)["expected_scores"],
            "runs": {"kefu": kefu_run, "formgrader": stock_run},
            "feedback_runs": {"kefu": kefu_fb, "formgrader": stock_fb},
            "before": before, "after": after, "leftovers": leftovers, "connections": list(server.connections),
            "sandbox_problem": sandbox_problem, "server": server,
        }
    finally:
        server.close()
        _kill(_marked_processes())
        os.environ.clear()
        os.environ.update(saved)


def _graded_notebooks(batch) -> dict[str, Path]:
    out = {}
    for path_name, course in (("kefu", batch["course"]), ("formgrader", batch["stock"])):
        for p in sorted((course / "autograded").glob(f"*/{AID}/*.ipynb")):
            out[f"{path_name}:{p.relative_to(course)}"] = p
    return out


def _feedback_pages(batch) -> dict[str, Path]:
    out = {}
    for path_name, course in (("kefu", batch["course"]), ("formgrader", batch["stock"])):
        for p in sorted((course / "feedback").glob(f"*/{AID}/*.html")) + sorted(
                (course / "exchange").rglob("feedback/*.html")):
            out[f"{path_name}:{p.relative_to(course)}"] = p
    return out


def _secrets(batch) -> set[str]:
    """Key canary, correct-answer lines, source solution/hidden-test lines, question-bank answers."""
    import nbformat

    from kefu.seeds import load

    out = {CANARY}
    out.update(line.strip() for line in batch["answers"]["q1"]["correct"].splitlines()
               if line.strip() and not line.strip().startswith("#"))
    nb = nbformat.read(batch["course"] / "source" / AID / f"{AID}.ipynb", as_version=4)
    for cell in nb.cells:
        for begin, end in (("### BEGIN SOLUTION", "### END SOLUTION"), ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")):
            if begin in cell.source:
                inner = cell.source.split(begin, 1)[1].split(end, 1)[0]
                out.update(line.strip() for line in inner.splitlines() if len(line.strip()) >= 6)
    for q in load("question_bank.yml").questions:
        if getattr(q, "model_answer", None):
            out.add(str(q.model_answer)[:24])
    return {s for s in out if len(s) >= 6}


# ------------------------------------------------------------------------------------------ the tests

def test_both_graders_finished_the_batch(batch):
    for name, run in batch["runs"].items():
        assert "Traceback" not in run.stderr or name == "formgrader", run.stderr[-2000:]
    graded = _graded_notebooks(batch)
    for path_name in ("kefu", "formgrader"):
        got = {p.split("/")[1] for p in graded if p.startswith(path_name + ":")}
        # every trainee graded; the bomb may instead be recorded as failed (its kernel ended)
        assert {BASELINE, *ATTACKS} - {BOMBER} <= got, (path_name, sorted(got), batch["runs"][path_name].stderr[-3000:])
    for name, run in batch["feedback_runs"].items():
        assert run.returncode == 0, (name, run.stdout[-1500:], run.stderr[-1500:])


# what each attack prints in its own answer cell when it ran (refused or not)
EVIDENCE = {"KF101": "forged marking", "KF102": "AUDIT", "KF103": "gradebook.db", "KF104": "nbgrader_config.py",
            "KF105": "detach", "KF106": "net", "KF108": "refused"}


def test_every_attack_ran(batch):
    """The attacks really ran in both graders' kernels (so the other tests cannot pass vacuously)."""
    seen = {}
    for name, path in _graded_notebooks(batch).items():
        sid = name.split("/")[1]
        nb = json.loads(path.read_text(encoding="utf-8"))
        answer = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "q1")
        text = "".join("".join(o.get("text", "")) for o in answer.get("outputs", []))
        if sid in EVIDENCE:
            assert EVIDENCE[sid] in text, (name, text[-1500:])
            seen[name.split(":")[0], sid] = True
    assert len(seen) == 2 * len(EVIDENCE) - (0 if batch["sandbox_problem"] is None else 2)


def test_scores_equal_those_of_the_same_answers_without_the_attack(batch):
    want = batch["expected"]["q1"]["partial"]
    assert 0 < want < batch["expected"]["q1"]["max"]
    for path_name, course in (("kefu", batch["course"]), ("formgrader", batch["stock"])):
        scores = _scores(course)
        assert scores[BASELINE]["q1-test"] == pytest.approx(want), (path_name, scores[BASELINE])
        for sid in ATTACKS:
            if sid == BOMBER and sid not in scores:
                continue  # recorded as failed: checked in test_bombs_are_bounded
            assert scores[sid]["q1-test"] == pytest.approx(want), (path_name, sid, scores[sid])
        # others' grades untouched: no manual score appeared anywhere (the write attack sets 99)
        assert not [(s, c) for s, cells in scores.items() for c, v in cells.items()
                    if c.endswith(":manual") and v is not None], path_name


def test_no_key_solution_or_hidden_test_line_in_any_output(batch):
    secrets = _secrets(batch)
    assert CANARY in secrets and len(secrets) > 10
    texts = {name: p.read_text(encoding="utf-8", errors="replace") for name, p in _graded_notebooks(batch).items()}
    pages = _feedback_pages(batch)
    assert pages, "no feedback pages"
    texts.update({name: html.unescape(p.read_text(encoding="utf-8", errors="replace")) for name, p in pages.items()})
    leaks = [(name, s) for name, text in texts.items() for s in secrets if s in text]
    assert not leaks, leaks[:10]


def test_nothing_written_outside_the_scratch_folder(batch):
    for path_name in ("kefu", "formgrader"):
        before, after = batch["before"][path_name], batch["after"][path_name]
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        assert not changed, (path_name, changed[:10])
    assert not batch["planted"].exists(), "code planted in nbgrader_config.py ran"
    assert not list(batch["outside"].iterdir())
    for course in (batch["course"], batch["stock"]):
        assert "planted" not in (course / "nbgrader_config.py").read_text(encoding="utf-8")


def test_no_process_left_and_no_connection_made(batch):
    assert batch["leftovers"] == {"kefu autograde": [], "nbgrader autograde": []}
    assert batch["connections"] == []


class _ActiveFinder(html.parser.HTMLParser):
    """Where the marker sits in an active context of an HTML page."""

    ACTIVE_TAGS = {"script", "iframe", "object", "embed", "svg", "style"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if MARK in value and (name.startswith("on") or name == "style"
                                  or re.match(r"\s*(java|vb)script:", value, re.I)):
                self.found.append(f"<{tag} {name}={value[:80]}>")
        if tag in self.ACTIVE_TAGS and any(MARK in (v or "") for _, v in attrs):
            self.found.append(f"<{tag}> with marker")
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if MARK in data and self.stack and self.stack[-1] in self.ACTIVE_TAGS:
            self.found.append(f"<{self.stack[-1]}> {data.strip()[:80]}")


def test_no_active_content_reaches_a_browser(batch):
    from kefu.autograde.sanitize import KEEP_MIME

    for name, path in _graded_notebooks(batch).items():
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert "widgets" not in nb.get("metadata", {}), name
        for cell in nb["cells"]:
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            if cell["cell_type"] != "code":
                assert "<script" not in src and "onerror" not in src and "javascript:" not in src.lower(), (name, src)
            for out in cell.get("outputs", []):
                extra = set(out.get("data", {})) - set(KEEP_MIME)
                assert not extra, (name, extra)
                page = out.get("data", {}).get("text/html", "")
                page = "".join(page) if isinstance(page, list) else page
                for bad in ("<script", "onerror", "onload", "javascript:", "<iframe", "<object", "style="):
                    assert bad not in page.lower(), (name, bad, page[:300])
    html_out = next(p for n, p in _graded_notebooks(batch).items() if "KF107" in n)
    assert "表格" in html_out.read_text(encoding="utf-8")  # plain HTML (a table) stays
    pages = _feedback_pages(batch)
    assert any("KF107" in n for n in pages)
    for name, page in pages.items():
        finder = _ActiveFinder()
        finder.feed(page.read_text(encoding="utf-8", errors="replace"))
        assert not finder.found, (name, finder.found[:5])


def test_bombs_are_bounded(batch):
    assert batch["sandbox_problem"] is None, f"bombs not run: {batch['sandbox_problem']}"
    for path_name, course in (("kefu", batch["course"]), ("formgrader", batch["stock"])):
        scores = _scores(course)
        run = batch["runs"][path_name]
        if BOMBER in scores and scores[BOMBER].get("q1-test") is not None:
            assert scores[BOMBER]["q1-test"] == pytest.approx(batch["expected"]["q1"]["partial"])
        else:  # the kernel was ended: recorded as failed with a Chinese reason, the batch went on
            assert BOMBER in run.stdout + run.stderr, (path_name, run.stdout[-1500:])
        assert scores[BASELINE]["q1-test"] == pytest.approx(batch["expected"]["q1"]["partial"])
    assert batch["leftovers"] == {"kefu autograde": [], "nbgrader autograde": []}


# ------------------------------------------------------------------------------------------ in a real browser

TRAP = """
window.__kefuHits = [];
Object.defineProperty(window, "%s", {
  configurable: false,
  get() { window.__kefuHits.push("read"); return function () { window.__kefuHits.push("call"); }; },
  set(v) { window.__kefuHits.push("write"); },
});
""" % MARK
# elements carrying the marker in an active place, as the browser parsed the page
ACTIVE_DOM = """() => {
  const out = [];
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      const v = a.value || "";
      if (v.includes("%s") && (a.name.startsWith("on") || /^\\s*(java|vb)script:/i.test(v) || a.name === "style"))
        out.push(el.tagName + " " + a.name);
    }
    if (["SCRIPT", "IFRAME", "OBJECT", "EMBED"].includes(el.tagName) && (el.outerHTML || "").includes("%s"))
      out.push(el.tagName);
  }
  return out;
}""" % (MARK, MARK)


@pytest.mark.browser
def test_formgrader_and_feedback_pages_run_no_trainee_script_in_chromium(batch, tmp_path):
    """The grader's browser: formgrader's view of the attacked submission (served by `kefu formgrader`)
    and every feedback page, opened in Chromium with a trap on the marker the attack's scripts use."""
    from playwright.sync_api import sync_playwright

    from lab_server import CHROME_ARGS, CHROMIUM, Server, free_port

    course = batch["course"]
    con = sqlite3.connect(str(course / "gradebook.db"))
    try:
        sub_id = con.execute(
            "SELECT submitted_notebook.id FROM submitted_notebook "
            "JOIN submitted_assignment ON submitted_notebook.assignment_id = submitted_assignment.id "
            "WHERE submitted_assignment.student_id = 'KF107'").fetchone()[0]
    finally:
        con.close()
    control = tmp_path / "control.html"  # what an unsanitised output would do: the trap must see it
    control.write_text(f'<img src="x" onerror="{MARK}()"><script>window.{MARK} = 1</script>', encoding="utf-8")
    server = Server(["formgrader", "--course", str(course), "--port", str(free_port())], tmp_path / "fg.log",
                    page="formgrader")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROME_ARGS, headless=True)
            try:
                page = browser.new_page()
                page.add_init_script(TRAP)
                dialogs: list[str] = []
                page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
                page.goto(control.as_uri())
                page.wait_for_timeout(500)
                assert page.evaluate("window.__kefuHits.length") > 0, "the trap does not see scripts"

                page.goto(f"{server.base}/formgrader/submissions/{sub_id}/?token={server.token}", timeout=60_000)
                page.wait_for_load_state("networkidle", timeout=60_000)
                page.wait_for_timeout(1000)
                text = page.inner_text("body")
                assert "表格" in text and "工单" in text, text[:500]  # the trainee's outputs are shown
                assert page.evaluate("window.__kefuHits") == [] and page.evaluate(ACTIVE_DOM) == []
                for name, path in _feedback_pages(batch).items():
                    page.goto(path.as_uri())
                    page.wait_for_timeout(300)
                    assert page.evaluate("window.__kefuHits") == [], name
                    assert page.evaluate(ACTIVE_DOM) == [], name
                assert dialogs == []
            finally:
                browser.close()
    finally:
        server.close()


def test_formgrader_buttons_take_the_trusted_path(batch, tmp_path):
    """Formgrader's own Autograde button (POST .../submission/<a>/<s>/autograde) and Generate Feedback
    button, served by `kefu formgrader` on the formgrader copy of the cohort, regrade every attacked
    submission: the same scores, nothing leaked or written, no process left, no connection."""
    from lab_server import Server, free_port

    stock = batch["stock"]
    shutil.rmtree(stock / "feedback", ignore_errors=True)
    server = Server(["formgrader", "--course", str(stock), "--port", str(free_port())], tmp_path / "fg.log",
                    page="formgrader")
    try:
        for sid in [BASELINE, *ATTACKS]:
            status, res = server.request("POST", f"/formgrader/api/submission/{AID}/{sid}/autograde", timeout=300)
            assert status == 200, (sid, status, str(res)[:500])
            assert res["success"] or sid == BOMBER, (sid, str(res)[-1500:])
        status, res = server.request("POST", f"/formgrader/api/assignment/{AID}/generate_feedback", timeout=300)
        assert status == 200 and res["success"], str(res)[-1500:]
    finally:
        server.close()
    leftover = _marked_processes()
    _kill(leftover)
    assert leftover == []
    assert batch["server"].connections == []
    want = batch["expected"]["q1"]["partial"]
    scores = _scores(stock)
    for sid in [BASELINE, *ATTACKS]:
        if sid != BOMBER or scores[sid].get("q1-test") is not None:
            assert scores[sid]["q1-test"] == pytest.approx(want), (sid, scores[sid])
    assert not [c for cells in scores.values() for c, v in cells.items() if c.endswith(":manual") and v is not None]
    after = _digest(_protected(stock, batch["keys"], batch["outside"]))
    before = batch["before"]["formgrader"]
    assert sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k)) == []
    assert not batch["planted"].exists()
    secrets = _secrets(batch)
    pages = sorted((stock / "feedback").glob(f"*/{AID}/*.html"))
    assert len(pages) >= len(ATTACKS)
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in pages]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in (stock / "autograded").glob(f"*/{AID}/*.ipynb")]
    assert not [s for t in texts for s in secrets if s in html.unescape(t)]
    for page in pages:
        finder = _ActiveFinder()
        finder.feed(page.read_text(encoding="utf-8", errors="replace"))
        assert not finder.found, (page, finder.found[:5])
