"""The folder through which a grader talks to a sandboxed kernel (zmq ``ipc://`` sockets).

The kernel has no network (not even the host's loopback), so its five sockets are Unix sockets in a
per-kernel folder under ``/run/kefu-sandbox/ipc/``, bound into the sandbox at the same path. The
kernel (the sandbox uid) must be able to create its sockets there, so the folder is handed to that
uid at launch. Once the kernel has answered the grader's first ``kernel_info`` request, every socket
is bound, and :func:`seal` gives the folder back to root, read-only for the kernel: from then on
trainee code can neither replace a socket file with a symlink (which would make the grader's zmq,
running as root, connect — e.g. on a reconnect — to any Unix socket on the host the symlink names)
nor plant other files. Trainee code only ever runs after the seal (the first ``execute_request``
follows the ``kernel_info`` handshake).
"""
from __future__ import annotations

import os
import shutil
import stat
import tempfile

from .jail import IPC_BASE, prepare_host


def make_ipc_dir() -> str:
    """A new, empty folder for one kernel (its name starts with our pid, for :func:`remove_stale`)."""
    prepare_host()
    remove_stale()
    return tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=str(IPC_BASE))


def seal(folder: str) -> None:
    """Take the folder back from the sandbox uid; fail if anything but the kernel's sockets and the
    connection file is in it."""
    st = os.lstat(folder)
    if not stat.S_ISDIR(st.st_mode):
        raise RuntimeError(f"ipc folder {folder} is not a folder")
    if st.st_uid != 0 or stat.S_IMODE(st.st_mode) != 0o711:
        os.chown(folder, 0, 0)
        os.chmod(folder, 0o711)
    for entry in os.scandir(folder):
        mode = entry.stat(follow_symlinks=False).st_mode
        if not (stat.S_ISSOCK(mode) or (stat.S_ISREG(mode) and entry.name.endswith(".json"))):
            os.unlink(entry.path)
            raise RuntimeError(f"unexpected entry {entry.name!r} in the kernel's ipc folder")


def is_sealed(folder: str) -> bool:
    try:
        st = os.lstat(folder)
    except OSError:
        return False
    return st.st_uid == 0 and not (st.st_mode & 0o022)


def remove(folder: str | None) -> None:
    if folder and os.path.dirname(os.path.abspath(folder)) == str(IPC_BASE):
        shutil.rmtree(folder, ignore_errors=True)


def remove_stale() -> None:
    """Folders left by graders that were killed (their pid is gone)."""
    try:
        entries = list(os.scandir(IPC_BASE))
    except OSError:
        return
    for entry in entries:
        pid = entry.name.split("-", 1)[0]
        if pid.isdigit() and not os.path.exists(f"/proc/{pid}"):
            shutil.rmtree(entry.path, ignore_errors=True)
