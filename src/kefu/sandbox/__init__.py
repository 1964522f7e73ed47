"""The sandbox every trainee kernel runs in while it is graded.

A lower layer: it imports nothing of kefu.autograde, kefu.cohort or the CLI.

- :func:`check` — None when a sandbox can be set up on this machine, else the reason (Chinese);
  graders refuse to grade on a reason, never falling back to an unsandboxed kernel;
- :class:`Limits` — CPU, memory, processes, file size, open files, private file system size;
- :mod:`kefu.sandbox.jail` — entering a sandbox (namespaces, private root, uid, rlimits);
- :mod:`kefu.sandbox.enter` — ``python -m kefu.sandbox.enter ... -- COMMAND``;
- :mod:`kefu.sandbox.kernel` — jupyter_client's kernel manager, provisioner and client for it;
- :mod:`kefu.sandbox.execute` — ``SandboxedExecute``, nbgrader's Execute with sandboxed kernels;
- :mod:`kefu.sandbox.testing` — helpers for tests (processes of sandbox uids, a loopback server).

See docs/sandbox.md.
"""
from __future__ import annotations

import os
import subprocess
import sys

from .limits import Limits

__all__ = ["Limits", "check", "SandboxUnavailable", "require"]

_CHECKED: dict[str, str | None] = {}


class SandboxUnavailable(RuntimeError):
    """Grading refused: the sandbox cannot be set up (message in Chinese)."""


def check() -> str | None:
    """None when a sandbox can be set up here (tried for real, once per process), else why not."""
    if "result" not in _CHECKED:
        _CHECKED["result"] = _check()
    return _CHECKED["result"]


def require() -> None:
    """Raise :class:`SandboxUnavailable` with the Chinese reason when :func:`check` fails."""
    reason = check()
    if reason:
        raise SandboxUnavailable(f"无法为学员代码建立沙箱,拒绝评分:{reason}")


def _check() -> str | None:
    if not sys.platform.startswith("linux"):
        return "沙箱只能在 Linux 上运行"
    if os.geteuid() != 0:
        return "建立沙箱需要 root 权限,请以 root 身份运行评分"
    if not hasattr(os, "pidfd_open"):
        return "系统内核太旧(不支持 pidfd_open)"
    cmd = [sys.executable, "-m", "kefu.sandbox.enter", "--", "id", "-u"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd="/")
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"试运行沙箱失败:{exc}"
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        return detail[-1].lstrip("✗ ") if detail else f"试运行沙箱失败(退出码 {proc.returncode})"
    uid = proc.stdout.strip()
    if not uid.isdigit() or int(uid) == 0:
        return f"沙箱中的进程没有切换到非特权用户(uid {uid or '?'})"
    return None
