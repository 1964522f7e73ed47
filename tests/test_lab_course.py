"""`kefu lab --course DIR --student ID`: the trainee's own JupyterLab, driven through HTTP the way its
Assignments panel drives it (nbgrader's /assignments endpoints), on a cohort made with the real CLI.
Also: what the trainee's server refuses, feedback back to the trainee, plain `kefu lab` serving a copy,
and `kefu lab` / `kefu formgrader` leaving no process behind on SIGTERM / SIGINT."""
from __future__ import annotations

import hashlib
import json
import shutil
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from lab_server import AID, Server, free_port, kefu, make_cohort

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
ANSWER = "# 学员KF001作答先道歉再核实订单"  # a comment: the feedback page shows it as one token
TRAINER_SECRET = "TRAINER_CLOUD_SECRET"


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    return make_cohort(tmp_path_factory.mktemp("labcourse"), ["KF001", "KF002"])


@pytest.fixture(scope="module")
def lab(course: Path, tmp_path_factory):
    log = tmp_path_factory.mktemp("lablog") / "lab.log"
    # a secret in the trainer's environment, as a trainer may have one (a cloud key, PGPASSWORD): the server runs
    # with it, trainee code must not see it
    env = {**os.environ, TRAINER_SECRET: "学员不该看到"}
    server = Server(["lab", "--course", str(course), "--student", "KF001", "--no-browser",
                     "--port", str(free_port())], log, env=env)
    try:
        yield server
    finally:
        server.close()


def _course_id(course: Path) -> str:
    from kefu.classroom import trainee_exchange_settings

    return trainee_exchange_settings(course)["course_id"]


def test_panel_lists_the_released_assignment(lab: Server, course: Path):
    assert lab.url.startswith("http://127.0.0.1:") and "/lab?token=" in lab.url
    status, courses = lab.request("GET", "/courses")
    assert status == 200 and courses == {"success": True, "value": [_course_id(course)]}
    status, listing = lab.request("GET", f"/assignments?course_id={_course_id(course)}")
    assert status == 200 and listing["success"], listing
    released = [a for a in listing["value"] if a["status"] == "released"]
    assert [a["assignment_id"] for a in released] == [AID]


def test_fetch_answer_submit_then_trainer_collects_under_the_trainee_id(lab: Server, course: Path):
    cid = _course_id(course)
    status, listing = lab.request("POST", "/assignments/fetch", {"course_id": cid, "assignment_id": AID})
    assert status == 200 and listing["success"], listing
    fetched = [a for a in listing["value"] if a["status"] == "fetched"]
    assert fetched and fetched[0]["path"] == AID  # relative to the trainee's root
    home = course / "trainees" / "KF001"
    nb_rel = f"{AID}/{AID}.ipynb"
    assert (home / nb_rel).is_file()

    # answer the way JupyterLab saves: read the notebook through the contents API, edit, PUT it back
    status, model = lab.request("GET", f"/api/contents/{nb_rel}?content=1")
    assert status == 200
    nb = model["content"]
    answer_cells = [c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("solution")]
    assert answer_cells, "released notebook has no answer cell"
    answer_cells[0]["source"] = ANSWER
    status, _ = lab.request("PUT", f"/api/contents/{nb_rel}", {"type": "notebook", "format": "json", "content": nb})
    assert status == 200

    status, listing = lab.request("POST", "/assignments/submit", {"course_id": cid, "assignment_id": AID})
    assert status == 200 and listing.get("success"), listing
    submitted = [a for a in listing["value"] if a["status"] == "submitted"]
    assert submitted and submitted[0]["student_id"] == "KF001"
    inbound = list((course / "exchange" / cid / "inbound").iterdir())
    assert [p.name.split("+")[0] for p in inbound] == ["KF001"]

    res = kefu("collect", AID, "--course", str(course))
    assert res.returncode == 0, res.stderr
    assert "KF001" in res.stdout
    collected = course / "submitted" / "KF001" / AID / f"{AID}.ipynb"
    assert ANSWER in collected.read_text(encoding="utf-8")


def test_trainee_server_serves_no_grader_tools_and_nothing_outside_the_folder(lab: Server, course: Path):
    for path in ("/formgrader", "/formgrader/api/assignments", "/formgraders", "/tree"):
        status, _ = lab.request("GET", path)
        assert status in (403, 404), path
    status, _ = lab.request("POST", "/api/terminals")
    assert status in (403, 404)
    status, _ = lab.request("GET", "/api/terminals")
    assert status in (403, 404)
    # the contents API stops at the trainee's folder: no parent, no cohort files, no dot-folders
    for path in ("..", "../..", "../../nbgrader_config.py", "..%2F..%2Fgradebook.db", ".kefu-lab",
                 ".kefu-lab/config/nbgrader_config.py", ".nbgrader_cache"):
        status, _ = lab.request("GET", f"/api/contents/{path}")
        assert status in (403, 404), path
    status, root = lab.request("GET", "/api/contents/")
    assert status == 200
    names = {item["name"] for item in root["content"]}
    assert names == {"练习", AID}
    status, practice = lab.request("GET", "/api/contents/练习")
    assert {i["name"] for i in practice["content"]} == {p.name for p in (REPO / "notebooks").glob("*.ipynb")}
    # the page hides nbgrader's course list / formgrader / create-assignment and the terminal
    status, page = lab.request("GET", "/lab")
    assert status == 200
    start = page.index('id="jupyter-config-data"')
    config = json.loads(page[page.index(">", start) + 1:page.index("</script>", start)])
    disabled = set(config["disabledExtensions"])
    assert {"@jupyter/nbgrader:course-list", "@jupyter/nbgrader:create-assignment",
            "@jupyter/nbgrader:formgrader", "@jupyter-notebook/lab-extension"} <= disabled
    assert "@jupyter/nbgrader:assignment-list" not in disabled
    assert config["terminalsAvailable"] in (False, "False", "false")


def test_feedback_reaches_the_trainee_from_the_panel_and_the_cli(lab: Server, course: Path):
    cid = _course_id(course)
    res = kefu("autograde", AID, "--course", str(course), "--no-progress")
    assert res.returncode == 0, res.stderr
    res = kefu("feedback", AID, "--course", str(course))
    assert res.returncode == 0, res.stderr
    status, listing = lab.request("POST", "/assignments/fetch_feedback", {"course_id": cid, "assignment_id": AID})
    assert status == 200 and listing["success"], listing
    subs = [s for a in listing["value"] if a["status"] == "submitted" for s in a["submissions"]]
    assert subs and subs[-1]["has_local_feedback"], subs
    page = course / "trainees" / "KF001" / subs[-1]["local_feedback_path"] / f"{AID}.html"
    assert ANSWER in page.read_text(encoding="utf-8")
    # the trainee opens it from the file browser: it is inside their folder
    rel = page.relative_to(course / "trainees" / "KF001").as_posix()
    status, model = lab.request("GET", f"/api/contents/{rel}?content=0")
    assert status == 200 and model["type"] == "file"
    # the one-machine CLI finds the same page
    res = kefu("feedback-view", AID, "--course", str(course), "--student", "KF001")
    assert res.returncode == 0, res.stderr
    assert str(page) in res.stdout


PROBE = """
import json, os, pathlib
out = {}
for name, path in __PATHS__.items():
    try:
        p = pathlib.Path(path)
        out[name] = sorted(os.listdir(p)) if p.is_dir() else p.read_bytes()[:20].decode("latin-1")
    except OSError as exc:
        out[name] = type(exc).__name__
try:
    pathlib.Path(__MINE__).write_text("ok")
    out["write_home"] = "ok"
except OSError as exc:
    out["write_home"] = type(exc).__name__
try:
    pathlib.Path(__CONFIG__).write_text("c.CourseDirectory.student_id = 'KF002'")
    out["write_identity"] = "ok"
except OSError as exc:
    out["write_identity"] = type(exc).__name__
import kefu.selfcheck, kefu.seeds, kefu.tickets
out["seeds"] = len(kefu.seeds.entry_ids("phrasebook.yml")) > 0
out["drill_tickets"] = len(kefu.tickets.load("drill"))
out["exam_tickets"] = len(kefu.tickets.load("exam"))
try:
    kefu.seeds.load("question_bank.yml")
    out["question_bank_load"] = "loaded"
except Exception as exc:
    out["question_bank_load"] = type(exc).__name__
out["env"] = sorted(os.environ)
print("PROBE" + json.dumps(out))
"""


def _run_in_kernel(lab: Server, home: Path, code: str) -> str:
    from jupyter_client import BlockingKernelClient

    status, kernel = lab.request("POST", "/api/kernels", {"name": "python3"})
    assert status == 201, kernel
    client = BlockingKernelClient(connection_file=str(home / ".kefu-lab" / "runtime" / f"kernel-{kernel['id']}.json"))
    client.load_connection_file()
    client.start_channels()
    try:
        for attempt in range(60):
            try:
                # without a kernel manager, "alive" means a heartbeat was already answered: a kernel
                # still importing (bwrap, a busy machine) is reported dead; ask again
                client.wait_for_ready(timeout=60)
                break
            except RuntimeError:
                if attempt == 59:
                    raise
                time.sleep(1)
        chunks: list[str] = []
        reply = client.execute_interactive(code, timeout=60, output_hook=lambda m: chunks.append(
            m["content"].get("text", "") if m["msg_type"] == "stream" else json.dumps(m["content"].get("ename", ""))))
        assert reply["content"]["status"] == "ok", chunks
        return "".join(chunks)
    finally:
        client.stop_channels()
        lab.request("DELETE", f"/api/kernels/{kernel['id']}")


def test_trainee_code_never_sees_the_trainers_data(lab: Server, course: Path):
    home = course / "trainees" / "KF001"
    (course / "trainees" / "KF002").mkdir(parents=True, exist_ok=True)
    (course / "trainees" / "KF002" / "私人.txt").write_text("KF002 的笔记", encoding="utf-8")
    cid = _course_id(course)
    paths = {
        "gradebook": str(course / "gradebook.db"),
        "source": str(course / "source"),
        "config": str(course / "nbgrader_config.py"),
        "other_trainee": str(course / "trainees" / "KF002"),
        "exchange": str(course / "exchange" / cid),
        "kit_keys": str(REPO / "assignments"),
        "kit_history": str(REPO / ".git"),
        "question_bank": str(REPO / "seeds" / "question_bank.yml"),
        "practical_scenarios": str(REPO / "seeds" / "practical_scenarios.yml"),
        "trainer_home": str(Path.home()),
        "own_folder": str(home),
        "server_runtime": str(home / ".kefu-lab" / "runtime"),
    }
    code = (PROBE.replace("__PATHS__", repr(paths)).replace("__MINE__", repr(str(home / "probe.txt")))
            .replace("__CONFIG__", repr(str(home / ".kefu-lab" / "config" / "nbgrader_config.py"))))
    out = _run_in_kernel(lab, home, code)
    assert "PROBE" in out, out
    seen = json.loads(out.split("PROBE", 1)[1].splitlines()[0])
    for name in ("gradebook", "source", "config", "other_trainee", "exchange", "kit_keys", "kit_history",
                 "question_bank", "practical_scenarios"):
        assert seen[name] in ("FileNotFoundError", []), (name, seen[name])
    # the practice drills still get their tickets, never the held-back exam split or the question bank
    from kefu.tickets import load as load_tickets

    assert seen["drill_tickets"] == len(load_tickets("drill")) > 0
    assert seen["exam_tickets"] == 0 < len(load_tickets("exam"))
    assert seen["question_bank_load"] != "loaded"
    assert seen["trainer_home"] in ("FileNotFoundError", []) or "kefu-kit" not in str(seen["trainer_home"])
    assert "练习" in seen["own_folder"] and AID in seen["own_folder"]
    # the server's token (jpserver-<pid>.json) stays out of reach: with it a notebook could drive its own server's
    # API (start kernels, press Submit in a loop); only the kernel's own connection file is there
    runtime = sorted(p.name for p in (home / ".kefu-lab" / "runtime").iterdir())
    assert any(n.startswith("jpserver-") for n in runtime), runtime  # the server did write it
    assert isinstance(seen["server_runtime"], list) and len(seen["server_runtime"]) == 1, seen["server_runtime"]
    assert seen["server_runtime"][0].startswith("kernel-"), seen["server_runtime"]
    # and of the server's environment only what a kernel needs (locale, paths, Jupyter folders, the kit's switches)
    from kefu.classroom.kernel import kernel_env

    assert TRAINER_SECRET not in seen["env"] and "KEFU_LAB_TOKEN" not in seen["env"]
    own = {"CLICOLOR", "CLICOLOR_FORCE", "FORCE_COLOR", "PAGER", "GIT_PAGER"}  # ipykernel sets these itself
    assert set(seen["env"]) - own <= set(kernel_env({k: "" for k in seen["env"]})) and "PATH" in seen["env"]
    assert seen["write_home"] == "ok" and (home / "probe.txt").read_text() == "ok"
    assert seen["write_identity"] != "ok"  # the nbgrader identity cannot be changed from a notebook
    assert "'KF001'" in (home / ".kefu-lab" / "config" / "nbgrader_config.py").read_text(encoding="utf-8")
    assert seen["seeds"] is True
    (home / "probe.txt").unlink()


def test_a_config_file_planted_by_trainee_code_never_runs_in_the_server(lab: Server, course: Path, tmp_path: Path):
    """The kernel (bubblewrap) writes the trainee's folder, which is also the folder nbgrader's panel
    handlers would read ``nbgrader_config.py`` from. Written from a notebook, such a file must not run in
    the server — which runs with the trainer's rights on a single training machine."""
    home = course / "trainees" / "KF001"
    marker = tmp_path / "planted-ran.txt"  # outside the sandbox's view: only the server could write it
    planted = f"import pathlib\npathlib.Path({str(marker)!r}).write_text('ran')\n"
    targets = [home / "nbgrader_config.py", home / AID / "nbgrader_config.py"]
    code = "".join(f"import pathlib; p = pathlib.Path({str(t)!r}); p.parent.mkdir(parents=True, exist_ok=True); "
                   f"p.write_text({planted!r}); print('wrote')\n"
                   for t in targets)
    try:
        assert _run_in_kernel(lab, home, code).count("wrote") == len(targets)
        cid = _course_id(course)
        status, listing = lab.request("GET", f"/assignments?course_id={cid}")
        assert status == 200 and listing["success"], listing
        status, courses = lab.request("GET", "/courses")
        assert status == 200 and courses["success"], courses
        status, _ = lab.request("POST", "/assignments/validate", {"path": f"{AID}/{AID}.ipynb"})
        assert status == 200
        assert not marker.exists(), "a nbgrader_config.py written by trainee code ran in the server"
    finally:
        for t in targets:
            t.unlink(missing_ok=True)


def test_links_trainee_code_makes_lead_nowhere_outside_the_folder(lab: Server, course: Path):
    """A notebook may create symbolic links in the trainee's folder to what its sandbox hides. The server
    (the trainer's rights under ``kefu lab``) must not follow them: not in listings, not to read, not to
    save, not for a notebook's checkpoints."""
    home = course / "trainees" / "KF001"
    outside = course / "source"  # the trainer's assignment sources, with their solutions
    links = {"钥匙": REPO / "assignments", "成绩册.db": course / "gradebook.db", "cfg.py": course / "nbgrader_config.py",
             "源": outside}
    code = "import os\n" + "".join(f"os.symlink({str(t)!r}, {str(home / n)!r})\n" for n, t in links.items())
    before = (course / "nbgrader_config.py").read_bytes()
    try:
        _run_in_kernel(lab, home, code)
        assert all((home / n).is_symlink() for n in links)
        status, root = lab.request("GET", "/api/contents/")
        assert status == 200 and not {i["name"] for i in root["content"]} & set(links), root["content"]
        for name in links:
            for path in (f"/api/contents/{name}", f"/files/{name}"):
                status, _ = lab.request("GET", path)
                assert status in (403, 404), (path, status)
        status, _ = lab.request("GET", f"/api/contents/钥匙/{AID}")
        assert status == 404
        status, _ = lab.request("PUT", "/api/contents/cfg.py", {"type": "file", "format": "text", "content": "x = 1\n"})
        assert status in (403, 404) and (course / "nbgrader_config.py").read_bytes() == before
        status, _ = lab.request("PUT", "/api/contents/源/planted.txt", {"type": "file", "format": "text", "content": "x"})
        assert status in (403, 404) and not (outside / "planted.txt").exists()
        # a notebook whose checkpoint folder is a link elsewhere: never checkpointed there (the save of
        # a new notebook writes the file, then answers 404 for the checkpoint jupyter_server adds)
        (home / "笔记").mkdir(exist_ok=True)
        _run_in_kernel(lab, home, f"import os\nos.symlink({str(outside)!r}, {str(home / '笔记' / '.ipynb_checkpoints')!r})\n")
        nb = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        lab.request("PUT", "/api/contents/笔记/a.ipynb", {"type": "notebook", "format": "json", "content": nb})
        assert (home / "笔记" / "a.ipynb").is_file()
        status, _ = lab.request("POST", "/api/contents/笔记/a.ipynb/checkpoints")
        assert status in (403, 404)
        assert not list(outside.glob("a-checkpoint*"))
        # the folder itself still works
        status, _ = lab.request("PUT", "/api/contents/普通.txt", {"type": "file", "format": "text", "content": "好"})
        assert status in (200, 201) and (home / "普通.txt").read_text(encoding="utf-8") == "好"
    finally:
        for name in links:
            (home / name).unlink(missing_ok=True)
        shutil.rmtree(home / "笔记", ignore_errors=True)
        (home / "普通.txt").unlink(missing_ok=True)


def _fetched_for_submit(lab: Server, course: Path):
    """KF001 fetches AID through the panel's API: (home, course id, inbound folder, inbound names now)."""
    home = course / "trainees" / "KF001"
    cid = _course_id(course)
    status, _ = lab.request("POST", "/assignments/fetch", {"course_id": cid, "assignment_id": AID})
    assert status == 200 and (home / AID).is_dir()
    inbound = course / "exchange" / cid / "inbound"
    return home, cid, inbound, sorted(p.name for p in inbound.iterdir())


def _submits(lab: Server, cid: str, inbound: Path, before: list[str]) -> None:
    """A panel submit of AID succeeds and adds one folder to inbound."""
    status, reply = lab.request("POST", "/assignments/submit", {"course_id": cid, "assignment_id": AID})
    assert status == 200 and reply.get("success") is not False, reply
    assert len(list(inbound.iterdir())) == len(before) + 1


def test_a_link_in_the_assignment_folder_stops_submit_fetch_and_feedback(lab: Server, course: Path):
    """nbgrader copies with shutil, which follows links: a link a notebook puts into the assignment folder
    would make the server submit the cohort's source (with its solutions) as the trainee's work. The panel
    refuses in Chinese and nothing reaches the exchange; without the link, submit works again."""
    from kefu.classroom import assignment_list as AL

    home, cid, inbound, before = _fetched_for_submit(lab, course)
    link = home / AID / "参考答案.ipynb"
    _run_in_kernel(lab, home, f"import os\nos.symlink({str(course / 'source' / AID / (AID + '.ipynb'))!r}, {str(link)!r})\n")
    try:
        status, reply = lab.request("POST", "/assignments/submit", {"course_id": cid, "assignment_id": AID})
        assert status == 200 and reply["success"] is False, reply
        assert reply["value"] == AL.LINKS_REFUSED.format(folder=AID, names="参考答案.ipynb", action="提交作业")
        assert sorted(p.name for p in inbound.iterdir()) == before
        for action in ("fetch", "fetch_feedback"):
            status, _ = lab.request("POST", f"/assignments/{action}", {"course_id": cid, "assignment_id": AID})
            assert status == 200
        assert lab.log().count("refused, links") >= 3
    finally:
        link.unlink(missing_ok=True)
    _submits(lab, cid, inbound, before)


def test_a_folder_too_big_to_submit_is_refused_before_anything_is_copied(lab: Server, course: Path):
    """Every submit leaves a full copy in the shared exchange: a folder over the kit's limits (bytes or
    files) is refused in Chinese and nothing reaches inbound; trimmed, it submits."""
    from kefu.classroom import assignment_list as AL
    from kefu.cohort import provenance as P

    home, cid, inbound, before = _fetched_for_submit(lab, course)
    big = home / AID / "录音.wav"
    many = home / AID / "碎片"
    try:
        with open(big, "wb") as fh:  # sparse: its size counts, the disk is not filled
            fh.truncate(P.SUBMISSION_MAX_BYTES + 1)
        status, reply = lab.request("POST", "/assignments/submit", {"course_id": cid, "assignment_id": AID})
        assert status == 200 and reply["success"] is False, reply
        assert reply["value"] == AL.TOO_BIG.format(folder=AID, what="超过 50 MB"), reply
        big.unlink()
        many.mkdir()
        for i in range(P.SUBMISSION_MAX_FILES + 1):
            (many / f"{i}.txt").write_text("好", encoding="utf-8")
        status, reply = lab.request("POST", "/assignments/submit", {"course_id": cid, "assignment_id": AID})
        assert status == 200 and reply["success"] is False and "超过 500 个文件" in reply["value"], reply
        assert sorted(p.name for p in inbound.iterdir()) == before
    finally:
        big.unlink(missing_ok=True)
        shutil.rmtree(many, ignore_errors=True)
    _submits(lab, cid, inbound, before)


def test_submits_beyond_the_hourly_limit_are_refused_and_copy_nothing(lab: Server, course: Path):
    """Every submit leaves a full copy in the shared exchange; a trainee who presses Submit in a loop (a script
    against their own server's API, as the browser's developer tools allow) gets SUBMITS_PER_HOUR copies an hour,
    then a Chinese refusal that says when to try again, and nothing more reaches inbound."""
    from kefu.classroom import assignment_list as AL

    home, cid, inbound, before = _fetched_for_submit(lab, course)
    accepted, refused = 0, None
    for _ in range(AL.SUBMITS_PER_HOUR + 2):
        status, reply = lab.request("POST", "/assignments/submit", {"course_id": cid, "assignment_id": AID})
        assert status == 200, reply
        if reply.get("success") is False:
            refused = reply["value"]
            break
        accepted += 1
    # earlier tests of this module submitted through the same server within the hour, so fewer are left
    assert refused is not None and 1 <= accepted < AL.SUBMITS_PER_HOUR, (accepted, refused)
    assert refused.startswith(f"这一小时里已经提交了 {AL.SUBMITS_PER_HOUR} 次作业,请 ") and "分钟后再提交" in refused
    assert len(list(inbound.iterdir())) == len(before) + accepted
    # still refused (the limit is per server, not per request burst), and the refusal is in the server log
    status, reply = lab.request("POST", "/assignments/submit", {"course_id": cid, "assignment_id": AID})
    assert reply.get("success") is False and reply["value"].startswith(f"这一小时里已经提交了 {AL.SUBMITS_PER_HOUR} 次作业")
    assert len(list(inbound.iterdir())) == len(before) + accepted
    assert f"refused, {AL.SUBMITS_PER_HOUR} submits in the last hour" in lab.log()


def test_sigterm_stops_the_lab_with_its_kernel(lab: Server):
    status, kernel = lab.request("POST", "/api/kernels", {"name": "python3"})
    assert status == 201, kernel
    before, alive = lab.stop(signal.SIGTERM)
    assert len(before) >= 3, f"expected kefu, server and kernel: {before}"  # kefu, jupyter server, kernel
    assert alive == [], f"left running: {alive}\n{lab.log()}"
    assert lab.proc.returncode == 0


def test_bad_command_lines_in_chinese(course: Path, tmp_path: Path):
    res = kefu("lab", "--course", str(course), "--student", "NOPE1", "--port", str(free_port()))
    assert res.returncode == 1 and "不在本班名单" in res.stderr and "Traceback" not in res.stderr
    assert not (course / "trainees" / "NOPE1").exists()
    res = kefu("lab", "--course", str(course))
    assert res.returncode == 2 and "--student" in res.stderr
    res = kefu("lab", "--course", str(tmp_path), "--student", "KF001", "--port", str(free_port()))
    assert res.returncode in (1, 2) and "培训班" in res.stderr and "Traceback" not in res.stderr
    # a trainee folder that would show the gradebook or source/ in the file browser is refused
    res = kefu("lab", "--course", str(course), "--student", "KF002", "--home", str(course / "source"),
               "--port", str(free_port()))
    assert res.returncode == 1 and "培训班文件夹" in res.stderr and "Traceback" not in res.stderr
    # without bubblewrap a trainee's code could read the gradebook: refused, not started unprotected
    no_bwrap = dict(os.environ, PATH=str(Path(sys.executable).parent))
    res = kefu("lab", "--course", str(course), "--student", "KF002", "--port", str(free_port()), env=no_bwrap)
    assert res.returncode == 1 and "bubblewrap" in res.stderr and "Traceback" not in res.stderr
    assert "地址" not in res.stdout


def test_plain_lab_serves_a_copy_and_stops_on_ctrl_c(tmp_path: Path):
    kit = sorted((REPO / "notebooks").glob("*.ipynb"))
    digests = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in kit}
    home = tmp_path / "自学"
    server = Server(["lab", "--home", str(home), "--no-browser", "--port", str(free_port())], tmp_path / "lab.log")
    try:
        status, root = server.request("GET", "/api/contents/")
        assert status == 200
        assert {i["name"] for i in root["content"]} == {p.name for p in kit}
        # the trainee's save lands in the copy, never in the kit's tracked notebook
        name = kit[0].name
        status, model = server.request("GET", f"/api/contents/{name}?content=1")
        model["content"]["cells"].insert(0, {"cell_type": "markdown", "metadata": {}, "source": "我的笔记"})
        status, _ = server.request("PUT", f"/api/contents/{name}",
                                   {"type": "notebook", "format": "json", "content": model["content"]})
        assert status == 200
        assert "我的笔记" in (home / name).read_text(encoding="utf-8")
        assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in kit} == digests
        status, _ = server.request("GET", "/assignments?course_id=x")
        assert status == 404  # no cohort: no Assignments endpoints
        status, kernel = server.request("POST", "/api/kernels", {"name": "python3"})
        assert status == 201
        before, alive = server.stop(signal.SIGINT)
        assert len(before) >= 3 and alive == [], f"left running: {alive}\n{server.log()}"
    finally:
        server.close()


def test_a_killed_kefu_takes_its_server_and_kernels_along(tmp_path: Path):
    """SIGKILL cannot be handled: the server's PR_SET_PDEATHSIG stops it, and it stops its kernels."""
    server = Server(["lab", "--home", str(tmp_path / "home"), "--no-browser", "--port", str(free_port())],
                    tmp_path / "lab.log")
    try:
        status, kernel = server.request("POST", "/api/kernels", {"name": "python3"})
        assert status == 201
        before, alive = server.stop(signal.SIGKILL, linger=30)
        assert len(before) >= 3 and alive == [], f"left running: {alive}\n{server.log()}"
    finally:
        server.close()


def test_formgrader_sigterm_leaves_no_process(course: Path, tmp_path: Path):
    env = dict(os.environ, KEFU_LAB_TOKEN="fg-" + os.urandom(8).hex())
    server = Server(["formgrader", "--course", str(course), "--port", str(free_port())], tmp_path / "fg.log",
                    env=env, page="formgrader")
    try:
        status, body = server.request("GET", "/formgrader/api/assignments")
        assert status == 200 and AID in json.dumps(body)
        status, kernel = server.request("POST", "/api/kernels", {"name": "python3"})
        assert status == 201
        before, alive = server.stop(signal.SIGTERM)
        assert len(before) >= 3 and alive == [], f"left running: {alive}\n{server.log()}"
    finally:
        server.close()
