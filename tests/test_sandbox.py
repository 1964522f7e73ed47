"""The sandbox trainee kernels are graded in: shown from inside real kernels, through kefu autograde's
zygote path (the CLI in a subprocess) and through SandboxedExecute (nbgrader's Execute)."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from kefu.autograde.testcourse import clone_course
from kefu.sandbox import Limits, check
from kefu.sandbox.testing import (
    LoopbackServer, probe_result, probe_source, processes_with, sandbox_processes, wait_until_gone,
)

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# root without any capability: what a container without CAP_SYS_ADMIN looks like
NO_CAPS = ["setpriv", "--bounding-set=-all", "--inh-caps=-all", "--ambient-caps=-all", "--"]


@pytest.fixture(scope="module")
def root_secret():
    """A file in /root (the trainer's home), removed afterwards."""
    path = Path("/root") / f".kefu-sandbox-test-{uuid.uuid4().hex}"
    path.write_text("trainer's secret", encoding="utf-8")
    yield path
    path.unlink(missing_ok=True)


def _targets(course: Path, root_secret: Path) -> tuple[list[str], list[str]]:
    read = [
        str(REPO / "seeds" / "question_bank.yml"),
        str(REPO / "assignments" / "_keys" / "theory-exam.yml"),
        str(REPO / "pyproject.toml"),
        str(root_secret),
        str(course / "gradebook.db"),
        str(course / "nbgrader_config.py"),
        str(course / "source" / "practice-a" / "practice-a.ipynb"),
        str(course / "submitted" / "other" / "practice-a" / "practice-a.ipynb"),
    ]
    write = [
        str(course / "nbgrader_config.py"),
        str(course / "planted.txt"),
        str(course / "submitted" / "other" / "practice-a" / "planted.txt"),
        str(REPO / "src" / "kefu" / "planted.py"),
        f"/tmp/kefu-sandbox-planted-{uuid.uuid4().hex}",
        "/etc/planted",
    ]
    return read, write


def _assert_confined(probe: dict, read: list[str], write: list[str], server: LoopbackServer, marker: str) -> None:
    assert probe["uid"] != 0 and probe["euid"] != 0 and probe["groups"] == []
    assert probe["uid"] in range(61000, 61064)
    for path in read:
        assert not probe["read"][path].startswith("ok"), f"kernel read {path}"
    for path in write:
        host = Path(path)
        if probe["write"][path] == "ok":  # allowed only where the sandbox has a private copy (/tmp)
            assert path.startswith("/tmp/"), f"kernel wrote {path}"
        assert not (host.exists() and marker in host.read_text(encoding="utf-8", errors="replace")), path
    assert probe["connect"] != "ok" and server.connections == 0
    assert probe["detached"] == "started"
    assert not wait_until_gone(processes_with(marker), timeout=15), "a detached process outlived the notebook"


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    from kefu.autograde import testcourse as S

    with S.jupyter_env(tmp_path_factory.mktemp("jupyter-env")):
        course = S.make_course(tmp_path_factory.mktemp("sandbox-course") / "c")
        for aid, (nb, _) in S.practice_assignments().items():
            S.add_source(course, aid, nb)
            S.generate(course, aid)
        yield course


def _submit(course: Path, student: str, greeting_source: str) -> None:
    from kefu.autograde import testcourse as S

    released = S.released_notebook(course, "practice-a")
    answers = {"greeting": greeting_source, "aht": "aht = sum(durations) / len(durations)"}
    S.place_submission(course, student, "practice-a", {"practice-a": S.answer(released, answers)})


def test_check_passes_on_this_machine():
    assert check() is None


def test_limits_reach_the_entry_command_unchanged():
    from kefu.sandbox.enter import parse

    limits = Limits().replace(memory_mb=1234, processes=None, cpu_seconds=7)
    spec, cmd = parse(limits.as_args() + ["--", "id"])
    assert spec.limits == limits and limits.memory_mb == 1234 and limits.processes == Limits().processes
    assert cmd == ["id"]


def test_without_privileges_the_sandbox_is_refused_in_chinese():
    code = "from kefu.sandbox import check; print(check())"
    out = subprocess.run(NO_CAPS + [sys.executable, "-c", code], capture_output=True, text=True, cwd="/")
    assert out.returncode == 0, out.stderr
    assert "unshare" in out.stdout and "命名空间" in out.stdout
    enter = subprocess.run(NO_CAPS + [sys.executable, "-m", "kefu.sandbox.enter", "--", "id", "-u"],
                           capture_output=True, text=True, cwd="/")
    assert enter.returncode == 125 and "无法启动沙箱" in enter.stderr and "Traceback" not in enter.stderr
    assert enter.stdout == ""  # the command never ran


@pytest.mark.slow
def test_sandboxed_execute_refuses_without_a_sandbox(tmp_path):
    code = ("from kefu.sandbox.testing import run_notebook\n"
            "from kefu.sandbox import SandboxUnavailable\n"
            "try:\n    run_notebook(['print(1)'], '/tmp')\n"
            "except SandboxUnavailable as exc:\n    print('REFUSED', exc)\n")
    out = subprocess.run(NO_CAPS + [sys.executable, "-c", code], capture_output=True, text=True, cwd=str(tmp_path))
    assert "REFUSED 无法为学员代码建立沙箱,拒绝评分" in out.stdout, out.stdout + out.stderr


@pytest.mark.slow
def test_sandboxed_execute_confines_a_kernel(course, root_secret, tmp_path):
    from kefu.sandbox.testing import run_notebook

    folder = tmp_path / "nb"
    folder.mkdir()
    (folder / "data.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    os.symlink(REPO / "assignments" / "_keys" / "theory-exam.yml", folder / "keys.yml")  # must not be followed
    _submit(course, "other", 'greeting = "您好"')
    read, write = _targets(course, root_secret)
    read.append("keys.yml")
    marker = f"kefu-sbx-{uuid.uuid4().hex}"
    before = (course / "nbgrader_config.py").read_bytes()
    with LoopbackServer() as server:
        nb = run_notebook([probe_source(read, write, server.port, marker, bombs=True), "print('still alive')"],
                          str(folder))
    probe = probe_result(nb)
    _assert_confined(probe, read, write, server, marker)
    assert probe["scratch"] == ["data.csv"] and probe["cwd"] == "/home/trainee"
    assert probe["fork_bomb"].startswith("BlockingIOError") and probe["memory_bomb"] == "MemoryError"
    assert probe["rlimits"]["RLIMIT_NPROC"] == Limits().processes
    assert "still alive" in nb.cells[1].outputs[0]["text"]  # the kernel survived its own bombs
    assert (course / "nbgrader_config.py").read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["data.csv", "keys.yml"]  # the original is untouched
    assert not sandbox_processes_of_marker(marker)


def sandbox_processes_of_marker(marker: str) -> list[int]:
    return [p for p in sandbox_processes() if p in processes_with(marker)]


@pytest.mark.slow
def test_ipc_folder_is_sealed_before_trainee_code_runs(tmp_path):
    """After the handshake the kernel's socket folder belongs to root: trainee code cannot swap a
    socket for a symlink the grader would follow."""
    import asyncio

    from kefu.sandbox.kernel import SandboxKernelManager

    async def go() -> tuple[os.stat_result, str, bool]:
        km = SandboxKernelManager(kernel_name="python3")
        await km.start_kernel(cwd=str(tmp_path))
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=60)
            folder = km.ipc_dir
            st = os.stat(folder)
            code = (f"import os\ntry:\n    os.rename({folder!r} + '/k-1', {folder!r} + '/moved')\n    r='moved'\n"
                    f"except Exception as e:\n    r=type(e).__name__\nprint(r)")
            reply = await kc.execute_interactive(code, timeout=30, output_hook=_collect)
            assert reply["content"]["status"] == "ok"
        finally:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)
        return st, folder, os.path.exists(folder)

    _OUT.clear()
    st, folder, still_there = asyncio.run(go())
    assert st.st_uid == 0 and stat.S_IMODE(st.st_mode) == 0o711
    assert "".join(_OUT).strip() == "PermissionError"
    assert not still_there  # removed with the kernel


_OUT: list[str] = []


def _collect(msg: dict) -> None:
    if msg["msg_type"] == "stream":
        _OUT.append(msg["content"]["text"])


@pytest.mark.slow
def test_kefu_autograde_confines_a_kernel_and_scores_it_normally(course, root_secret):
    work = course.parent / "confined"
    clone_course(course, work)
    cfg = work / "nbgrader_config.py"
    _submit(work, "other", 'greeting = "喂"')
    read, write = _targets(work, root_secret)
    marker = f"kefu-sbx-{uuid.uuid4().hex}"
    before = cfg.read_bytes()
    with LoopbackServer() as server:
        greeting = probe_source(read, write, server.port, marker, bombs=True) + 'greeting = "您好,请问有什么可以帮您?"'
        _submit(work, "mallory", greeting)
        _submit(work, "amy", 'greeting = "您好,请问有什么可以帮您?"')
        out = subprocess.run([str(BIN / "kefu"), "autograde", "--course", str(work), "--json", "--jobs", "2",
                              "--memory-mb", "2048"], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    res = json.loads(out.stdout)
    assert sorted(s for s, _ in res["graded"]) == ["amy", "mallory", "other"]
    nb = json.loads((work / "autograded" / "mallory" / "practice-a" / "practice-a.ipynb").read_text(encoding="utf-8"))
    probe = probe_result(nb)
    _assert_confined(probe, read, write, server, marker)
    assert probe["fork_bomb"].startswith("BlockingIOError") and probe["memory_bomb"] == "MemoryError"
    assert probe["rlimits"]["RLIMIT_AS"] == 2048 * 1024 * 1024  # the CLI option reached the kernel
    assert cfg.read_bytes() == before
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{work / 'gradebook.db'}", "kefu-test") as gb:
        def score(student: str) -> float:
            return gb.find_submission("practice-a", student).score

        assert score("mallory") == score("amy") > score("other")  # the attack changed nothing


def test_the_zygotes_module_probe_leaves_nothing_in_tmp(tmp_path):
    """The zygote learns a kernel's start-up imports from a throw-away child that initialises a kernel
    app; that child leaves by os._exit, past the app's own clean-up, so it must remove its connection
    file's folder itself (one was left in /tmp per autograde run)."""
    code = "from kefu.autograde.zygote import _probe_modules; print(len(_probe_modules()()))"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "TMPDIR": str(tmp_path)})
    assert res.returncode == 0, res.stderr
    assert int(res.stdout.strip()) > 0  # it did learn the kernel's imports
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_kefu_autograde_refuses_to_grade_without_a_sandbox(course, tmp_path):
    work = tmp_path / "refused"
    clone_course(course, work)
    cfg = work / "nbgrader_config.py"
    _submit(work, "amy", 'greeting = "您好,请问有什么可以帮您?"')
    out = subprocess.run(NO_CAPS + [str(BIN / "kefu"), "autograde", "--course", str(work), "--no-progress"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 1
    assert "无法为学员代码建立沙箱,拒绝评分" in out.stderr and "Traceback" not in out.stderr
    assert not (work / "autograded").exists()


@pytest.mark.slow
def test_nbgrader_autograde_with_sandboxed_execute_confines_a_kernel(course, root_secret, tmp_path):
    """nbgrader's own path (what formgrader's Autograde button runs), configured with SandboxedExecute."""
    work = tmp_path / "nbgrader"
    clone_course(course, work)
    cfg = work / "nbgrader_config.py"
    cfg.write_text(cfg.read_text(encoding="utf-8") + (
        "\nfrom nbgrader.converters import Autograde as _Autograde\n"
        "c.Autograde.autograde_preprocessors = ['kefu.sandbox.execute.SandboxedExecute' if p.__name__ == 'Execute'"
        " else p for p in _Autograde.class_traits()['autograde_preprocessors'].default()]\n"), encoding="utf-8")
    read, write = _targets(work, root_secret)
    marker = f"kefu-sbx-{uuid.uuid4().hex}"
    before = cfg.read_bytes()
    with LoopbackServer() as server:
        greeting = probe_source(read, write, server.port, marker) + 'greeting = "您好,请问有什么可以帮您?"'
        _submit(work, "mallory", greeting)
        _submit(work, "amy", 'greeting = "您好,请问有什么可以帮您?"')
        out = subprocess.run([str(BIN / "nbgrader"), "autograde", "practice-a"], cwd=work, capture_output=True,
                             text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    nb = json.loads((work / "autograded" / "mallory" / "practice-a" / "practice-a.ipynb").read_text(encoding="utf-8"))
    _assert_confined(probe_result(nb), read, write, server, marker)
    assert cfg.read_bytes() == before
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{work / 'gradebook.db'}", "kefu-test") as gb:
        assert gb.find_submission("practice-a", "mallory").score == gb.find_submission("practice-a", "amy").score
