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
  except the IPython folder, and the server's runtime folder (its token) emptied but for the kernel's own
  connection file;
- of the server's environment only an allow-list (:func:`kernel_env`, applied by this module run as the
  kernel's launcher inside the sandbox).

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


def kit_root() -> Path | None:
    """The kit's checkout (the folder holding seeds/), or None for an installed kit without one."""
    from kefu.seeds import seeds_dir

    try:
        return seeds_dir().resolve().parent
    except FileNotFoundError:
        return None


def kit_hidden_paths() -> list[Path]:
    """The kit's own instructor material: the assignments (hidden tests, solutions)."""
    kit = kit_root()
    return [] if kit is None else [kit / "assignments"]


def public_seeds(dest: Path) -> Path | None:
    """A copy of seeds/ without what answers exams, for the trainee kernel to see in its place.

    The practice notebooks read seeds (phrasebook, scripts, drill tickets …), but seeds/ also holds the
    exam question bank and practical scenarios (schemas marked ``TEACHABLE = False``) and the held-back
    exam split of tickets.csv. Those are left out: the kernel is mounted this copy over the real folder.
    Rebuilt at every start, so it follows the seeds."""
    import csv
    import io

    from kefu.seeds import seeds_dir
    from kefu.seeds.registry import schemas

    try:
        src = seeds_dir().resolve()
    except FileNotFoundError:
        return None
    withheld = {name for name, mod in schemas().items() if not getattr(mod, "TEACHABLE", True)}
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for item in src.iterdir():
        if item.name in withheld or item.is_symlink():
            continue
        if item.name == "tickets.csv":
            text = item.read_text(encoding="utf-8")
            rows = list(csv.DictReader(io.StringIO(text)))
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["split"], lineterminator="\n")
            writer.writeheader()
            writer.writerows(r for r in rows if r.get("split") != "exam")
            (dest / item.name).write_text(out.getvalue(), encoding="utf-8")
        elif item.is_dir():
            shutil.copytree(item, dest / item.name, symlinks=False)
        else:
            shutil.copy2(item, dest / item.name)
    return dest


def _needed_read_only() -> list[Path]:
    """What the kernel must still read when a hidden folder contains it: the interpreter, the
    virtual environment and every import path (the kit's editable src/ among them). Never the kit's
    checkout itself or a folder above it (an import path can be the folder kefu was started from):
    the checkout holds the answer keys, its git history and graded cohorts. The seeds come in as
    :func:`public_seeds`."""
    kit = kit_root()
    paths = {Path(sys.base_prefix), Path(sys.prefix), Path(sys.executable).resolve().parent.parent}
    paths.update(Path(p) for p in sys.path if p)
    resolved = {p.resolve() for p in paths if p.exists()}
    return sorted(p for p in resolved if kit is None or not _inside(kit, p))


#: environment variables that carry a server's or hub's credentials: never passed on to trainee code
TOKEN_VARIABLES = ("JUPYTERHUB_API_TOKEN", "JPY_API_TOKEN", "JUPYTER_TOKEN", "KEFU_LAB_TOKEN")
#: what trainee code sees of its server's environment: locale, paths, the Jupyter, IPython and matplotlib folders,
#: thread counts and the kit's own switches. On one machine the server runs with the trainer's environment, which
#: may hold anything (cloud keys, PGPASSWORD …); all else stays with the server (:func:`kernel_env`)
KERNEL_ENV = frozenset({"HOME", "PATH", "LANG", "LANGUAGE", "TZ", "TERM", "SHELL", "USER", "LOGNAME", "PWD",
                        "MPLBACKEND", "MPLCONFIGDIR", "IPYTHONDIR", "VIRTUAL_ENV"})
KERNEL_ENV_PREFIXES = ("LC_", "JUPYTER_", "JUPYTERLAB_", "JPY_", "PYTHON", "KEFU_", "OMP_", "OPENBLAS_", "MKL_",
                       "PYDEVD_", "XDG_")


def kernel_env(env: dict[str, str]) -> dict[str, str]:
    """The allowed part of ``env`` (``KERNEL_ENV``, ``KERNEL_ENV_PREFIXES``), never a token variable."""
    return {k: v for k, v in env.items()
            if (k in KERNEL_ENV or k.startswith(KERNEL_ENV_PREFIXES)) and k not in TOKEN_VARIABLES}


def bwrap_argv(home: Path, state: Path, hidden: Iterable[Path], ipython_dir: Path,
               protected: Iterable[Path] = (), seeds_view: Path | None = None,
               server_runtime: Path | None = None) -> list[str]:
    """The ``bwrap`` part of the kernel's command line. ``protected`` folders are hidden and nothing in
    them is re-exposed (not even an import path: the cohort's config puts its folder on sys.path);
    ``hidden`` ones (home folders) are hidden except for what the kernel needs to run. ``server_runtime`` is
    the server's JUPYTER_RUNTIME_DIR (default: ``state``/runtime, as ``kefu lab`` sets it)."""
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
    # a kernel inherits its server's environment; under the hub that holds the server's API token
    for name in TOKEN_VARIABLES:
        argv += ["--unsetenv", name]
    for path in hide:
        argv += ["--tmpfs", str(path)]
    for path in _needed_read_only():
        if any(_inside(path, g) for g in guarded) or _inside(path, home):
            continue
        if any(_inside(path, h) for h in emptied):
            argv += ["--ro-bind", str(path), str(path)]
    if seeds_view is not None and kit_root() is not None:
        # mounted over the real seeds/ path, so KEFU_SEEDS and the kit's own lookup both land on it
        argv += ["--ro-bind", str(seeds_view.resolve()), str(kit_root() / "seeds")]
    argv += ["--bind", str(home), str(home)]
    if _inside(state, home):
        argv += ["--ro-bind", str(state), str(state)]
    # the server's runtime folder holds its token (jpserver-<pid>.json) and cookie secret: with them, code in a
    # notebook could drive its own server's API — start kernels, press Submit in a loop. Emptied, like /tmp; the
    # kernel's own connection file, which the server writes there, comes back through the bind below
    runtime = Path(server_runtime or state / "runtime").resolve()
    # bwrap makes a missing mount point only in a writable place (the trainee's folder): elsewhere it would stop
    # the kernel, so a runtime folder outside the home must exist already (JupyterDirs makes it)
    if runtime.is_dir() or _inside(runtime, home):
        argv += ["--tmpfs", str(runtime)]
    # a stand-alone client (nbgrader's Validate button, nbclient) writes the connection file to /tmp,
    # which is a fresh tmpfs in here: bind that one file (jupyter_client fills in the path at launch)
    argv += ["--ro-bind", "{connection_file}", "{connection_file}"]
    argv += ["--bind", str(ipython_dir), str(ipython_dir), "--chdir", str(home), "--"]
    return argv


def write_sandboxed_kernelspec(data_dir: Path, *, home: Path, state: Path, hidden: Iterable[Path],
                               ipython_dir: Path, protected: Iterable[Path] = (),
                               seeds_view: Path | None = None, server_runtime: Path | None = None) -> Path:
    """Write ``kernels/python3/kernel.json`` into ``data_dir`` (a JUPYTER_DATA_DIR). Returns its path."""
    spec_dir = Path(data_dir) / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    ipython_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [*bwrap_argv(home, state, hidden, ipython_dir, protected, seeds_view, server_runtime),
                 # inside the sandbox, this module keeps only the allowed environment and execs the kernel
                 sys.executable, "-m", "kefu.classroom.kernel",
                 sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                 # Chinese quotes accepted and common mistakes explained even before the set-up cell
                 "--ext=kefu.inputfix"],
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        # signals to bwrap would not reach the kernel in its PID namespace: interrupt by message
        "interrupt_mode": "message",
        "metadata": {"debugger": True, "kefu_sandbox": "bwrap"},
    }
    path = spec_dir / "kernel.json"
    path.write_text(json.dumps(spec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":  # the kernel's launcher inside bubblewrap (write_sandboxed_kernelspec)
    os.execve(sys.argv[1], sys.argv[1:], kernel_env(dict(os.environ)))
