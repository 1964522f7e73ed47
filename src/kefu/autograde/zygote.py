"""A kernel "zygote": one warm process that forks a fresh, sandboxed IPython kernel per notebook.

Started by the batch as ``python -m kefu.autograde.zygote [module | module:function ...]``, before the
course is read: it holds no key, seed or course data, and its environment is the sandbox's allow-list
(:func:`kefu.sandbox.env.zygote_env`). It imports ipykernel, IPython and the listed modules once (what
every stock kernel pays on each start), calls the listed warm-up functions (code caches only, see
:mod:`kefu.autograde.warmup`), then reads one JSON request per line on stdin —
``{"args": [...], "env": {...}, "cwd": "...", "sandbox": {"ipc": "...", "limits": {...}}}`` — forks, and
answers ``{"pid": N}``. The child (the sandbox's keeper, its own session) enters a new sandbox
(:func:`kefu.sandbox.jail.run`: namespaces, private root with a copy of ``cwd``, unprivileged uid,
rlimits) whose PID 1 becomes exactly what ``python -m ipykernel_launcher <args>`` would be: a brand-new
kernel application and user namespace. A request without a sandbox is refused: no kernel ever runs
unsandboxed. Each kernel serves one notebook and exits, so no state passes from one trainee to the
next; the only thing shared is the set of already-imported modules (copy-on-write).

The zygote dies with the process that started it (``PR_SET_PDEATHSIG``), and every keeper with the
zygote, and every sandbox with its keeper: a ``kill -9`` of ``kefu autograde`` leaves nothing running.
The zygote has no ZMQ context and no event loop when it forks. On end of input it kills the kernels
it started and exits.
"""
from __future__ import annotations

import gc
import json
import os
import shutil
import signal
import sys
from pathlib import Path
from typing import Callable

from kefu.sandbox import linux
from kefu.sandbox.env import sandbox_env
from kefu.sandbox.jail import Spec, run
from kefu.sandbox.limits import Limits

DEFAULT_PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "IPython.core.interactiveshell")


_CHILDREN: set[int] = set()


def _reap(*_args: object) -> None:
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _CHILDREN.discard(pid)


def _child(req: dict, zygote: int) -> None:
    code = 1
    try:
        os.setsid()  # own process group: interrupts and kills reach the keeper and its kernel only
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.close(devnull)
        box = req.get("sandbox")
        if not isinstance(box, dict) or not box.get("ipc"):
            os._exit(2)  # never a kernel without a sandbox
        spec = Spec(scratch_from=req.get("cwd"), ipc_dir=str(box["ipc"]), limits=Limits.from_dict(box.get("limits")),
                    env=sandbox_env(req.get("env") or {}), mpl_cache=box.get("mpl_cache"), parent_pid=zygote)
        args = list(req.get("args") or [])
        code = run(spec, lambda: _kernel(spec.env, args))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # noqa: BLE001 - e.g. the sandbox could not be set up: the kernel "dies"
        code = 1
    finally:
        os._exit(code if code >= 0 else 128 - code)


def _kernel(env: dict, args: list) -> None:
    """In the sandbox (PID 1, unprivileged): become the kernel."""
    os.environ.clear()
    os.environ.update(env)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:  # a forked numpy would repeat its parent's random stream (``random`` reseeds itself)
        np_random = sys.modules.get("numpy.random")
        if np_random is not None:
            np_random.seed()
    except Exception:  # noqa: BLE001
        pass
    sys.argv = [sys.executable] + list(args)
    from ipykernel import kernelapp

    kernelapp.launch_new_instance(argv=list(args))


def _die_with_parent() -> None:
    """PR_SET_PDEATHSIG: the zygote is SIGKILLed when the batch process (its parent) dies."""
    parent = os.environ.pop("KEFU_ZYGOTE_PARENT", "")
    if not parent.isdigit():
        return
    linux.prctl(linux.PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != int(parent):  # the parent died before the line above
        os._exit(1)


def _probe_modules() -> Callable[[], list[str]]:
    """Modules a kernel imports while it initialises (e.g. the debugger): learnt from a throw-away
    child that initialises a kernel application, so the zygote can import them once. Returns a
    function that collects the answer, so the caller can do other work meanwhile."""
    import tempfile

    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        tmp = None
        try:
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(devnull, fd)
            before = set(sys.modules)
            tmp = tempfile.mkdtemp(prefix="kefu-probe-")
            os.environ["JUPYTER_RUNTIME_DIR"] = tmp
            from ipykernel.kernelapp import IPKernelApp

            app = IPKernelApp.instance()
            app.initialize(["-f", os.path.join(tmp, "probe.json"), "--HistoryManager.hist_file=:memory:"])
            data = json.dumps([m for m in sys.modules if m not in before]).encode()
            while data:
                n = os.write(w, data)
                data = data[n:]
        finally:
            # os._exit skips the kernel app's own clean-up: its connection file and folder would stay in
            # /tmp, one per autograde run
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
            os._exit(0)
    os.close(w)

    def collect() -> list[str]:
        chunks = []
        while True:
            chunk = os.read(r, 65536)
            if not chunk:
                break
            chunks.append(chunk)
        os.close(r)
        os.waitpid(pid, 0)
        try:
            return list(json.loads(b"".join(chunks) or b"[]"))
        except ValueError:
            return []

    return collect


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _die_with_parent()
    # like ipykernel_launcher: the launcher's own folder is not on the kernel's path
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]
    for name in DEFAULT_PRELOAD:
        __import__(name)
    probe = _probe_modules()  # runs in a child while we import the rest
    # what ipykernel sets before user code runs, so a preloaded matplotlib picks the same backend
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    warmers = [name for name in argv if ":" in name]
    for name in argv:
        try:
            __import__(name.split(":", 1)[0])
        except Exception:  # noqa: BLE001 - a missing optional module only costs speed
            pass
    for name in sorted(probe(), key=lambda m: m.count(".")):
        if name.startswith("__") or name in sys.modules:
            continue
        try:
            __import__(name)
        except Exception:  # noqa: BLE001
            pass
    for name in warmers:  # "module:function": fill caches every kernel would otherwise fill itself
        module, func = name.split(":", 1)
        try:
            getattr(sys.modules[module], func)()
        except Exception:  # noqa: BLE001
            pass
    gc.collect()
    gc.freeze()  # keep the warm heap shared after fork
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the worker decides when we stop
    signal.signal(signal.SIGCHLD, _reap)
    children = _CHILDREN
    zygote = os.getpid()
    stdin = sys.stdin.buffer
    out = sys.stdout
    try:
        while True:
            line = stdin.readline()
            if not line:
                break
            req = json.loads(line)
            if req.get("op") == "ping":
                out.write('{"pong": true}\n')
                out.flush()
                continue
            pid = os.fork()
            if pid == 0:
                stdin.close()
                _child(req, zygote)
            children.add(pid)
            out.write(json.dumps({"pid": pid}) + "\n")
            out.flush()
    finally:
        for pid in list(children):
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
