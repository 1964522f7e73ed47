"""Helpers for tests that attack the sandbox (tests/test_sandbox.py, the hostile-submission suite).

- :func:`probe_source` — Python source for a notebook cell that tries, from inside a kernel, to read
  and write given paths, connect to a TCP port, leave detached processes behind, fork and allocate
  without bound; it never raises and prints one line ``KEFU-PROBE {json}``;
- :func:`probe_result` — that JSON, found in an executed notebook's outputs;
- :func:`processes_with` / :func:`sandbox_processes` / :func:`descendants` — scanning ``/proc``;
- :class:`LoopbackServer` — a TCP server on the host's 127.0.0.1 that counts connections;
- :func:`run_notebook` — execute code cells with :class:`kefu.sandbox.execute.SandboxedExecute`.
"""
from __future__ import annotations

import json
import os
import socket
import threading
import time
from typing import Any, Iterable

from .jail import uid_range

PROBE_TAG = "KEFU-PROBE "

_PROBE = r'''
def _kefu_probe(read, write, port, marker, bombs):
    import json, os, socket, subprocess, sys, time
    out = {"uid": os.getuid(), "euid": os.geteuid(), "gid": os.getgid(), "groups": os.getgroups(),
           "cwd": os.getcwd(), "scratch": sorted(os.listdir(".")), "read": {}, "write": {}}
    for p in read:
        try:
            with open(p, "rb") as fh:
                out["read"][p] = "ok:" + str(len(fh.read()))
        except Exception as exc:
            out["read"][p] = type(exc).__name__
    for p in write:
        try:
            with open(p, "w") as fh:
                fh.write(marker)
            out["write"][p] = "ok"
        except Exception as exc:
            out["write"][p] = type(exc).__name__
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=2)
        s.sendall(marker.encode())
        s.close()
        out["connect"] = "ok"
    except Exception as exc:
        out["connect"] = type(exc).__name__
    try:  # a process in a new session, and a double-forked one: neither may outlive the notebook
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", marker],
                         start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(600)", marker])
            os._exit(0)
        out["detached"] = "started"
    except Exception as exc:
        out["detached"] = type(exc).__name__
    if bombs:
        kids = []
        try:  # fork bomb: each child just sleeps; RLIMIT_NPROC stops the loop
            while len(kids) < 5000:
                pid = os.fork()
                if pid == 0:
                    time.sleep(30)
                    os._exit(0)
                kids.append(pid)
            out["fork_bomb"] = "unbounded:" + str(len(kids))
        except Exception as exc:
            out["fork_bomb"] = type(exc).__name__ + ":" + str(len(kids))
        for pid in kids:  # so that the rest of the notebook runs as usual
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        try:  # memory bomb: RLIMIT_AS refuses the allocation outright
            big = bytearray(64 * 1024 ** 3)
            out["memory_bomb"] = "unbounded:" + str(len(big))
            del big
        except Exception as exc:
            out["memory_bomb"] = type(exc).__name__
    import resource
    out["rlimits"] = {k: resource.getrlimit(getattr(resource, k))[0]
                      for k in ("RLIMIT_CPU", "RLIMIT_AS", "RLIMIT_NPROC", "RLIMIT_FSIZE", "RLIMIT_NOFILE")}
    print("KEFU-PROBE " + json.dumps(out, ensure_ascii=False))
'''


def probe_source(read: Iterable[str] = (), write: Iterable[str] = (), port: int = 9, marker: str = "kefu-probe",
                 bombs: bool = False) -> str:
    """Cell source running the probe. ``marker`` ends up in the argv of the detached processes."""
    args = ", ".join(repr(x) for x in ([str(p) for p in read], [str(p) for p in write], int(port), str(marker),
                                       bool(bombs)))
    return f"{_PROBE}\n_kefu_probe({args})\ndel _kefu_probe\n"


def probe_result(nb: Any) -> dict[str, Any]:
    """The probe's JSON from an executed notebook (nbformat node or plain dict)."""
    for cell in nb["cells"]:
        for out in cell.get("outputs", []) or []:
            text = out.get("text")
            text = "".join(text) if isinstance(text, list) else (text or "")
            for line in text.splitlines():
                if line.startswith(PROBE_TAG):
                    return dict(json.loads(line[len(PROBE_TAG):]))
    raise LookupError("no KEFU-PROBE line in the notebook's outputs")


def _status(pid: str) -> dict[str, str]:
    out = {}
    with open(f"/proc/{pid}/status", encoding="utf-8", errors="replace") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            out[key] = value.strip()
    return out


def _live_pids() -> list[str]:
    pids = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                if _status(name).get("State", "").startswith(("Z", "X")):
                    continue  # a zombie runs nothing; only its parent can reap it
            except OSError:
                continue
            pids.append(name)
    return pids


def processes_with(marker: str) -> list[int]:
    """Live processes whose command line contains ``marker``."""
    found = []
    for pid in _live_pids():
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                if marker.encode() in fh.read():
                    found.append(int(pid))
        except OSError:
            continue
    return found


def sandbox_processes() -> list[int]:
    """Live processes running as a sandbox uid (any kefu sandbox on this machine)."""
    uids = uid_range()
    found = []
    for pid in _live_pids():
        try:
            uid = int(_status(pid)["Uid"].split()[0])
        except (OSError, KeyError, ValueError):
            continue
        if uid in uids:
            found.append(int(pid))
    return found


def descendants(root: int) -> set[int]:
    """Live processes below ``root`` (by parent pid), at this moment."""
    parents: dict[int, int] = {}
    for pid in _live_pids():
        try:
            parents[int(pid)] = int(_status(pid)["PPid"])
        except (OSError, KeyError, ValueError):
            continue
    out: set[int] = set()
    frontier = {root}
    while frontier:
        frontier = {p for p, pp in parents.items() if pp in frontier and p not in out}
        out |= frontier
    return out


def alive(pids: Iterable[int]) -> set[int]:
    live = {int(p) for p in _live_pids()}
    return {p for p in pids if p in live}


def wait_until_gone(pids: Iterable[int], timeout: float = 15.0) -> set[int]:
    """The processes among ``pids`` still alive after up to ``timeout`` seconds."""
    pids = set(pids)
    deadline = time.monotonic() + timeout
    left = alive(pids)
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = alive(left)
    return left


class LoopbackServer:
    """A TCP server on the host's 127.0.0.1 (random port) recording what connects."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            self.connections += 1
            conn.close()

    def __enter__(self) -> "LoopbackServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


def run_notebook(sources: list[str], folder: str, timeout: int = 60, **kwargs: Any) -> Any:
    """Execute code cells (in ``folder``, copied into the scratch) with SandboxedExecute; the notebook."""
    from nbformat.v4 import new_code_cell, new_notebook

    from .execute import SandboxedExecute

    nb = new_notebook(cells=[new_code_cell(src) for src in sources])
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    ep = SandboxedExecute(timeout=timeout, **kwargs)
    nb, _ = ep.preprocess(nb, {"metadata": {"path": folder}})
    return nb
