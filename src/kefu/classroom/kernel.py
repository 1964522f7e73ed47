"""The trainee's Python kernel runs inside bubblewrap, so code a trainee types never sees the trainer's data.

On one machine every trainee's server runs as the OS user who started ``kefu lab``: without this, a
trainee's notebook could open the gradebook, the instructor versions (``source/``), the kit's answer
keys (``assignments/``), other trainees' folders or the exchange. The kernel spec written here
(``python3`` in the server's private JUPYTER_DATA_DIR, so it replaces the stock one) starts
``ipykernel`` under ``bwrap`` with:

- a new user namespace and uid (no capabilities: hidden folders cannot be unmounted from inside),
  new PID/IPC/UTS namespaces, its own session, death with the server;
- the whole file system read-only, with the hidden folders replaced by empty ones and then the
  interpreter, the kit's code and seeds re-exposed read-only;
- the trainee's folder writable, its ``.kefu-lab`` state read-only (the nbgrader identity lives there)
  except the IPython folder.

The network namespace is shared: the kernel talks ZeroMQ to its server over 127.0.0.1.
Not covered (documented in docs/classroom.md): files outside the hidden list that the OS user can read.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

KERNEL_NAME = "python3"


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


def bwrap_problem() -> str | None:
    """None when bwrap can build the kernel's sandbox here (tried for real), else why not (Chinese)."""
    exe = bwrap_path()
    if exe is None:
        return "找不到 bubblewrap(bwrap 命令)"
    cmd = [exe, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
           "--unshare-user", "--uid", str(os.getuid() or 1000), "--gid", str(os.getgid() or 1000),
           "--unshare-pid", "--die-with-parent", "--", "true"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bwrap 无法运行({exc})"
    if proc.returncode != 0:
        return f"bwrap 无法建立隔离环境({(proc.stderr or '').strip()[:200]})"
    return None


def _inside(path: Path, parent: Path) -> bool:
    return path == parent or parent in path.parents


def kit_hidden_paths() -> list[Path]:
    """The kit's own instructor material: the assignments (hidden tests, solutions)."""
    from kefu.seeds import seeds_dir

    try:
        kit = seeds_dir().resolve().parent
    except FileNotFoundError:
        return []
    return [kit / "assignments"]


def _needed_read_only() -> list[Path]:
    """What the kernel must still read when a hidden folder contains it: the interpreter, the
    virtual environment, every import path (the kit's editable src/ among them) and the seeds."""
    from kefu.seeds import seeds_dir

    paths = {Path(sys.base_prefix), Path(sys.prefix), Path(sys.executable).resolve().parent.parent}
    paths.update(Path(p) for p in sys.path if p)
    try:
        paths.add(seeds_dir())
    except FileNotFoundError:
        pass
    return sorted({p.resolve() for p in paths if p.exists()})


def bwrap_argv(home: Path, state: Path, hidden: Iterable[Path], ipython_dir: Path,
               protected: Iterable[Path] = ()) -> list[str]:
    """The ``bwrap`` part of the kernel's command line. ``protected`` folders are hidden and nothing in
    them is re-exposed (not even an import path: the cohort's config puts its folder on sys.path);
    ``hidden`` ones (home folders) are hidden except for what the kernel needs to run."""
    home, state = home.resolve(), state.resolve()
    guarded = sorted({Path(p).resolve() for p in protected if Path(p).exists()})
    hide = sorted({Path(p).resolve() for p in [*hidden, *guarded] if Path(p).exists()})
    emptied = [*hide, Path("/tmp").resolve()]  # /tmp is a fresh tmpfs too
    argv = [
        bwrap_path() or "bwrap",
        "--ro-bind", "/", "/",
        "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
        "--unshare-user", "--uid", str(os.getuid() or 1000), "--gid", str(os.getgid() or 1000),
        "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
        "--die-with-parent", "--new-session",
        # ipykernel exits when its parent PID changes; in a PID namespace it never matches
        "--unsetenv", "JPY_PARENT_PID",
    ]
    for path in hide:
        argv += ["--tmpfs", str(path)]
    for path in _needed_read_only():
        if any(_inside(path, g) for g in guarded) or _inside(path, home):
            continue
        if any(_inside(path, h) for h in emptied):
            argv += ["--ro-bind", str(path), str(path)]
    argv += ["--bind", str(home), str(home)]
    if _inside(state, home):
        argv += ["--ro-bind", str(state), str(state)]
    argv += ["--bind", str(ipython_dir), str(ipython_dir), "--chdir", str(home), "--"]
    return argv


def write_sandboxed_kernelspec(data_dir: Path, *, home: Path, state: Path, hidden: Iterable[Path],
                               ipython_dir: Path, protected: Iterable[Path] = ()) -> Path:
    """Write ``kernels/python3/kernel.json`` into ``data_dir`` (a JUPYTER_DATA_DIR). Returns its path."""
    spec_dir = Path(data_dir) / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    ipython_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [*bwrap_argv(home, state, hidden, ipython_dir, protected),
                 sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        # signals to bwrap would not reach the kernel in its PID namespace: interrupt by message
        "interrupt_mode": "message",
        "metadata": {"debugger": True, "kefu_sandbox": "bwrap"},
    }
    path = spec_dir / "kernel.json"
    path.write_text(json.dumps(spec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path
