"""The light half of the kernel machinery: talking to a zygote, watching a forked kernel.

Importable without nbgrader or jupyter_client, so the batch can start the zygote before its own
(slow) imports.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any


def zygote_env() -> dict[str, str]:
    """The zygote's environment: the sandbox's allow-list of the grader's (no tokens or paths a forked
    kernel could read back from ``/proc/self/environ``), plus what nbgrader sets around Execute."""
    from kefu.sandbox.env import zygote_env as allowed

    return dict(allowed(os.environ), NBGRADER_EXECUTION="autograde")


class ZygoteClient:
    """A handle on a zygote process, usable from forked worker processes too.

    Requests and answers are single lines over unbuffered pipes; ``lock`` (a multiprocessing lock when
    several workers share one zygote) keeps each request paired with its answer.
    """

    def __init__(self, preload: list[str] | None = None, env: dict[str, str] | None = None,
                 lock: Any = None) -> None:
        self.lock = lock if lock is not None else threading.Lock()
        # the zygote dies with this process (PR_SET_PDEATHSIG, set by the zygote itself)
        env = dict(os.environ if env is None else env, KEFU_ZYGOTE_PARENT=str(os.getpid()))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kefu.autograde.zygote", *(preload or [])],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=str(Path(sys.executable).parent),
            bufsize=0,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self._w = self.proc.stdin.fileno()
        self._r = self.proc.stdout.fileno()
        self._owner = os.getpid()

    def _call(self, req: dict[str, Any]) -> dict[str, Any]:
        data = (json.dumps(req) + "\n").encode()
        with self.lock:
            while data:
                data = data[os.write(self._w, data):]
            buf = b""
            while not buf.endswith(b"\n"):
                chunk = os.read(self._r, 4096)
                if not chunk:
                    raise RuntimeError("kernel zygote exited")
                buf += chunk
        return json.loads(buf)

    def wait_ready(self) -> None:
        self._call({"op": "ping"})

    def spawn(self, args: list[str], env: dict[str, str], cwd: str, sandbox: dict[str, Any]) -> int:
        """Fork a kernel in a new sandbox (``sandbox``: ipc folder, limits, matplotlib cache); ``cwd`` is
        the folder whose files are copied into its scratch folder."""
        return int(self._call({"args": args, "env": env, "cwd": cwd, "sandbox": sandbox})["pid"])

    @property
    def alive(self) -> bool:
        try:
            os.kill(self.proc.pid, 0)
        except OSError:
            return False
        return ForkedProcess(self.proc.pid).poll() is None

    def kill(self) -> None:
        """Stop a zygote that has started no kernel (e.g. nothing turned out to need grading)."""
        if os.getpid() == self._owner and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def close(self) -> None:
        if os.getpid() != self._owner:
            return
        if self.proc.poll() is None:
            try:
                assert self.proc.stdin is not None
                self.proc.stdin.close()
                self.proc.wait(timeout=5)
            except Exception:  # noqa: BLE001
                self.proc.kill()


class ForkedProcess:
    """Enough of ``subprocess.Popen`` for a kernel forked by the zygote (not our own child)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is not None:
            return self.returncode
        try:
            with open(f"/proc/{self.pid}/stat", "rb") as fh:
                state = fh.read().rsplit(b")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError, IndexError):
            state = b"X"
        if state in (b"Z", b"X"):
            self.returncode = -1
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.01)
        return self.returncode  # type: ignore[return-value]

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, sig)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)
