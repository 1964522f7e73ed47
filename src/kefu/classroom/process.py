"""Run a Jupyter server as a child and stop its whole process tree when we stop.

A Jupyter server starts kernels in sessions of their own (jupyter_client's launcher uses
``start_new_session``), so killing the server's process group does not reach them, and a server
killed with SIGKILL leaves its kernels behind. Hence, in this order of defence:

1. the server runs in its own process group with ``PR_SET_PDEATHSIG`` = SIGTERM: if ``kefu`` dies
   (even by SIGKILL) the kernel tells the server to shut down, and it stops its kernels itself;
2. ``kefu`` turns SIGINT, SIGTERM and SIGHUP into one orderly stop: SIGTERM to the server (it shuts
   its kernels down), a grace period, then SIGKILL for everything left;
3. ``kefu`` is a child subreaper (``PR_SET_CHILD_SUBREAPER``), so a kernel orphaned by its server is
   re-parented to ``kefu`` rather than to PID 1 and is found and killed as our descendant.
"""
from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _load_prctl():
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


# looked up once here: the child calls it between fork and exec, where loading a library is unsafe
_PRCTL = _load_prctl()


def _prctl(option: int, value: int) -> bool:
    return _PRCTL is not None and _PRCTL(option, value, 0, 0, 0) == 0


def _child_setup() -> None:  # runs in the child between fork and exec: async-signal-safe calls only
    _prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _proc_table() -> list[tuple[int, bytes, int]]:
    """(pid, state, parent pid) of every process, read from /proc; processes gone meanwhile are skipped."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # the command name may contain spaces and parentheses: fields follow the last ')'
        fields = stat[stat.rfind(b")") + 2:].split()
        if len(fields) > 1:
            out.append((int(entry), fields[0], int(fields[1])))
    return out


def descendants(pid: int | None = None) -> list[int]:
    """PIDs of every living descendant of ``pid`` (default: this process), read from /proc."""
    root = os.getpid() if pid is None else pid
    children: dict[int, list[int]] = {}
    for child, state, parent in _proc_table():
        if state != b"Z":
            children.setdefault(parent, []).append(child)
    out, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _signal_all(pids: Sequence[int], sig: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, sig)
        except (ProcessLookupError, PermissionError):
            pass


def _reap(keep: int | None = None) -> None:
    """Collect exit statuses of re-parented orphans (we are their subreaper); ``keep`` (the server,
    whose status Popen collects) is left alone."""
    me = os.getpid()
    for pid, state, parent in _proc_table():
        if pid != keep and state == b"Z" and parent == me:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass


def stop_tree(proc: subprocess.Popen, grace: float = 15.0) -> None:
    """Stop ``proc`` (a server started by :func:`run_server`) and every process below it."""
    if proc.poll() is None:
        try:
            os.kill(proc.pid, signal.SIGTERM)  # the server shuts down its kernels on SIGTERM
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    deadline = time.monotonic() + 3.0
    while True:
        left = descendants()
        if proc.poll() is None:
            left.append(proc.pid)
        if not left:
            break
        # whatever is still there after the grace period is killed, group and all
        if time.monotonic() > deadline or proc.poll() is not None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            _signal_all(left, signal.SIGKILL)
        time.sleep(0.1)
        _reap(proc.pid)
        if time.monotonic() > deadline + 5:
            break
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL was sent
        pass
    _reap(proc.pid)


def run_server(cmd: Sequence[str], *, env: dict[str, str] | None = None, cwd: str | os.PathLike[str] | None = None,
               on_start: Callable[[subprocess.Popen], None] | None = None, grace: float = 15.0) -> int:
    """Run ``cmd`` in the foreground until it exits or we get SIGINT/SIGTERM/SIGHUP; then stop its
    whole process tree. Returns the server's exit code (0 when we stopped it on a signal)."""
    _prctl(PR_SET_CHILD_SUBREAPER, 1)
    got: list[int] = []

    def _on_signal(signum, _frame):
        got.append(signum)

    previous = {sig: signal.signal(sig, _on_signal) for sig in STOP_SIGNALS}
    proc = None
    try:
        # The server gets its own process group, so a Ctrl-C in the terminal reaches only us and the
        # shutdown happens once, in order.
        proc = subprocess.Popen(list(cmd), env=env, cwd=cwd, start_new_session=True, preexec_fn=_child_setup)
        if on_start is not None:
            on_start(proc)
        while not got and proc.poll() is None:
            try:
                proc.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                _reap(proc.pid)  # kernels' helpers orphaned while the server runs
        code = proc.returncode
        return 0 if got else (code if code is not None else 0)
    finally:
        if proc is not None:
            stop_tree(proc, grace=grace)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
