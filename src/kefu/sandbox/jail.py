"""Entering the sandbox: namespaces, a private root file system, an unprivileged uid, rlimits.

:func:`run` is called (as root) in a process of its own — a child forked by the kernel zygote, or
``python -m kefu.sandbox.enter``. That process stays outside, as the sandbox's keeper; it

1. takes a free *slot* (an flock on ``/run/kefu-sandbox/slots/<n>.lock``, held while it lives): the
   sandbox runs as uid ``61000 + n``, so no two live kernels share a uid and RLIMIT_NPROC counts one
   kernel only;
2. unshares mount, PID, network, IPC and UTS namespaces and forks. The child is PID 1 of the new PID
   namespace: when it exits, the kernel kills every process left in the namespace, whatever session
   or process group it made, and the keeper's ``waitpid`` returns only once they are all gone;
3. the child builds a fresh root on a size-limited tmpfs — read-only binds of /usr, a few /etc files,
   the Python installation, the virtual environment and the kefu package folder only; a private /tmp,
   a minimal /dev, a fresh /proc, the submission's files *copied* into ``/home/trainee`` — pivots into
   it, brings up its own loopback (the host's is unreachable: new network namespace), sets the
   rlimits, drops to the slot's uid with no groups and ``PR_SET_NO_NEW_PRIVS``, and only then runs
   the target (the kernel);
4. the keeper waits, kills the child on SIGTERM, and ends it when its own parent goes away
   (``PR_SET_PDEATHSIG``, or by polling for a parent that may have started it from a passing thread).
"""
from __future__ import annotations

import errno
import fcntl
import os
import select
import shutil
import signal
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import linux as L
from .limits import Limits

BASE = Path("/run/kefu-sandbox")
ROOT_MOUNTPOINT = BASE / "root"
IPC_BASE = BASE / "ipc"
SLOTS = BASE / "slots"
BASE_UID = 61000
MAX_SLOTS = 64
SCRATCH = "/home/trainee"
HOSTNAME = "kefu-sandbox"
#: the kefu package folder (the editable install points at the repository's src/kefu: only this
#: folder is bound, never the repository root with seeds/ and assignments/)
KEFU_DIR = str(Path(__file__).resolve().parents[1])

# /etc entries programs commonly read; everything else of /etc stays out (passwd, group and hosts are
# written afresh, naming only the sandbox's own user)
ETC_ENTRIES = (
    "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "timezone", "nsswitch.conf", "host.conf",
    "gai.conf", "fonts", "mime.types", "ssl", "ca-certificates", "alternatives", "locale.alias",
    "protocols", "services", "os-release", "debian_version", "magic", "python3", "python3.11",
)
DEVICES = ("null", "zero", "full", "random", "urandom")


class SandboxError(Exception):
    """The sandbox could not be set up (message in Chinese)."""


@dataclass
class Spec:
    """What one sandbox holds and how it runs."""

    #: host folder whose regular files are copied into the scratch folder (symlinks are skipped)
    scratch_from: str | None = None
    #: host folder for the kernel's IPC sockets and connection file, bound at the same path
    ipc_dir: str | None = None
    limits: Limits = field(default_factory=Limits)
    #: the environment of the sandboxed program (see :func:`kefu.sandbox.env.sandbox_env`)
    env: dict[str, str] = field(default_factory=dict)
    #: a matplotlib cache folder whose font list is copied in (saves rebuilding it in every kernel)
    mpl_cache: str | None = None
    #: the keeper's parent: with it, the keeper dies with it (PR_SET_PDEATHSIG); without it, the
    #: keeper polls for a parent change (safe when the parent started us from a short-lived thread)
    parent_pid: int | None = None


def prepare_host() -> None:
    for d in (BASE, ROOT_MOUNTPOINT, IPC_BASE, SLOTS):
        d.mkdir(mode=0o700, exist_ok=True)


def acquire_slot() -> tuple[int, int]:
    """(uid, fd of the held slot lock). The lock goes with the process that holds the fd."""
    for n in range(MAX_SLOTS):
        fd = os.open(SLOTS / f"{n}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return BASE_UID + n, fd
    raise SandboxError(f"同时运行的沙箱已达上限({MAX_SLOTS} 个),请稍后再试")


def uid_range() -> range:
    return range(BASE_UID, BASE_UID + MAX_SLOTS)


def run(spec: Spec, target: Callable[[], None]) -> int:
    """Run ``target`` in a new sandbox; return its exit code (negative: killed by that signal).

    Raises :class:`SandboxError` when the sandbox cannot be set up; ``target`` then never runs."""
    if spec.parent_pid is not None:
        L.prctl(L.PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != spec.parent_pid:  # the parent died before the line above
            os._exit(1)
    prepare_host()
    uid, slot_fd = acquire_slot()
    if spec.ipc_dir:
        _hand_over(spec.ipc_dir, uid)
    try:
        L.unshare(L.CLONE_NEWNS | L.CLONE_NEWPID | L.CLONE_NEWNET | L.CLONE_NEWIPC | L.CLONE_NEWUTS)
    except OSError as exc:
        raise SandboxError(f"无法创建隔离的命名空间(unshare:{exc.strerror}),需要 root 权限") from None
    alive_r, alive_w = os.pipe()  # the child reads EOF here once the keeper is gone
    err_r, err_w = os.pipe2(os.O_CLOEXEC)
    pid = os.fork()
    if pid == 0:
        _child(spec, uid, target, slot_fd, alive_r, alive_w, err_r, err_w)
    os.close(alive_r)
    os.close(err_w)
    message = _read_all(err_r)
    if message:
        _kill_and_reap(pid)
        raise SandboxError(message)
    return _keep(pid, spec.parent_pid is None)


def _child(spec: Spec, uid: int, target: Callable[[], None], slot_fd: int, alive_r: int, alive_w: int,
           err_r: int, err_w: int) -> None:
    code = 0
    try:
        os.close(slot_fd)
        os.close(alive_w)
        os.close(err_r)
        _setup(spec, uid)
        # after the uid change, which clears the parent-death signal
        L.prctl(L.PR_SET_PDEATHSIG, signal.SIGKILL)
        os.set_blocking(alive_r, False)
        try:
            if os.read(alive_r, 1) == b"":
                os._exit(1)  # the keeper died before the line above
        except BlockingIOError:
            pass
        _close_fds(keep={0, 1, 2, err_w})
    except BaseException as exc:  # noqa: BLE001 - report why, never run the target half-set-up
        try:
            os.write(err_w, _reason(exc).encode("utf-8", "replace")[:4000])
        finally:
            os._exit(126)
    os.close(err_w)  # tells the keeper the sandbox is set up
    try:
        target()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    except BaseException:  # noqa: BLE001
        code = 1
    finally:
        os._exit(code)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, SandboxError):
        return str(exc)
    return f"沙箱设置失败:{type(exc).__name__}: {exc}"


def _read_all(fd: int) -> str:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 4096)
        except InterruptedError:
            continue
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks).decode("utf-8", "replace")


def _kill_and_reap(pid: int) -> int:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _keep(pid: int, watch_parent: bool) -> int:
    """Wait for the sandbox's init; SIGTERM kills it; so does losing our parent."""
    # an interrupt (SIGINT to the process group) is for the kernel, which is in our group
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: _signal_quietly(pid, signal.SIGKILL))
    signal.signal(signal.SIGHUP, lambda *_: _signal_quietly(pid, signal.SIGKILL))
    if watch_parent:
        parent = os.getppid()
        pidfd = os.pidfd_open(pid)
        while True:
            ready, _, _ = select.select([pidfd], [], [], 0.5)
            if ready:
                break
            if os.getppid() != parent:
                _signal_quietly(pid, signal.SIGKILL)
        os.close(pidfd)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _signal_quietly(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _hand_over(ipc_dir: str, uid: int) -> None:
    """The kernel binds its sockets in ``ipc_dir`` and reads its connection file there: both belong to
    the sandbox uid until :func:`kefu.sandbox.ipc.seal` takes the folder back."""
    os.chown(ipc_dir, uid, uid)
    os.chmod(ipc_dir, 0o700)
    for entry in os.scandir(ipc_dir):
        if entry.is_file(follow_symlinks=False):
            os.chown(entry.path, uid, uid)


# --- inside the child: building the root --------------------------------------------------------


def _setup(spec: Spec, uid: int) -> None:
    L.mount(None, "/", None, L.MS_REC | L.MS_PRIVATE)  # nothing we mount leaks to the host
    root = str(ROOT_MOUNTPOINT)
    L.mount("kefu-sandbox", root, "tmpfs", L.MS_NOSUID | L.MS_NODEV, f"size={spec.limits.tmpfs_mb}m,mode=755")
    # /tmp first: a checkout or venv under /tmp (a CI clone) binds below it, and the kernel's /tmp must
    # still be the sticky, world-writable private folder
    os.mkdir(root + "/tmp", 0o1777)
    os.chmod(root + "/tmp", 0o1777)
    for path in _readonly_paths():
        _bind(path, root + path, readonly=True)
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        host = f"/{name}"
        if os.path.islink(host):
            os.symlink(os.readlink(host), root + host)
        elif os.path.isdir(host) and not os.path.exists(root + host):
            _bind(host, root + host, readonly=True)
    _etc(root, uid)
    _dev(root)
    os.mkdir(root + "/proc", 0o555)
    L.mount("proc", root + "/proc", "proc", L.MS_NOSUID | L.MS_NODEV | L.MS_NOEXEC)
    os.makedirs(root + SCRATCH, 0o755)
    os.chmod(root + SCRATCH, 0o700)
    os.chown(root + SCRATCH, uid, uid)
    if spec.scratch_from:
        _copy_tree(spec.scratch_from, root + SCRATCH, uid)
    if spec.mpl_cache:
        _copy_font_list(spec.mpl_cache, root + "/tmp/.matplotlib", uid)
    if spec.ipc_dir:
        _bind(spec.ipc_dir, root + spec.ipc_dir, readonly=False)
    L.sethostname(HOSTNAME)
    _loopback_up()
    os.chdir(root)
    L.pivot_root(".", ".")  # the old root is stacked under the new one: detach it
    L.umount2(".", L.MNT_DETACH)
    os.chdir("/")
    spec.limits.apply()
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    L.prctl(L.PR_SET_NO_NEW_PRIVS, 1)
    if os.getuid() == 0 or os.geteuid() == 0:
        raise SandboxError("沙箱未能切换到非特权用户")
    os.chdir(SCRATCH)
    os.umask(0o022)


def _readonly_paths() -> list[str]:
    wanted = ["/usr", os.path.realpath(sys.base_prefix), sys.base_prefix, sys.prefix, KEFU_DIR]
    out: list[str] = []
    for path in wanted:
        path = os.path.normpath(path)
        if not os.path.isdir(path) or any(path == p or path.startswith(p + "/") for p in out):
            continue
        out.append(path)
    return out


def _bind(source: str, target: str, readonly: bool) -> None:
    if os.path.isdir(source):
        os.makedirs(target, 0o755, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), 0o755, exist_ok=True)
        with open(target, "w"):
            pass
    L.mount(source, target, None, L.MS_BIND | L.MS_REC)
    flags = L.MS_BIND | L.MS_REMOUNT | L.MS_NOSUID | L.MS_NODEV | (L.MS_RDONLY if readonly else L.MS_NOEXEC)
    L.mount(None, target, None, flags)


def _etc(root: str, uid: int) -> None:
    etc = root + "/etc"
    os.makedirs(etc, 0o755, exist_ok=True)
    for name in ETC_ENTRIES:
        host = f"/etc/{name}"
        if os.path.islink(host):
            os.symlink(os.readlink(host), f"{etc}/{name}")
        elif os.path.exists(host):
            _bind(host, f"{etc}/{name}", readonly=True)
    files = {
        "passwd": f"root:x:0:0:root:/root:/usr/sbin/nologin\ntrainee:x:{uid}:{uid}:trainee:{SCRATCH}:/usr/sbin/nologin\n"
                  "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
        "group": f"root:x:0:\ntrainee:x:{uid}:\nnogroup:x:65534:\n",
        "hosts": f"127.0.0.1\tlocalhost {HOSTNAME}\n::1\tlocalhost\n",
        "hostname": HOSTNAME + "\n",
    }
    for name, text in files.items():
        with open(f"{etc}/{name}", "w", encoding="utf-8") as fh:
            fh.write(text)


def _dev(root: str) -> None:
    dev = root + "/dev"
    os.mkdir(dev, 0o755)
    for name in DEVICES:
        with open(f"{dev}/{name}", "w"):
            pass
        L.mount(f"/dev/{name}", f"{dev}/{name}", None, L.MS_BIND)
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"),
                         ("stderr", "/proc/self/fd/2")):
        os.symlink(target, f"{dev}/{name}")
    os.mkdir(f"{dev}/shm", 0o1777)
    os.chmod(f"{dev}/shm", 0o1777)


def _copy_tree(src: str, dest: str, uid: int) -> None:
    """Regular files and folders only: a symlink in a submission must not make root copy a file the
    trainee could not read (e.g. a key) into the scratch folder."""
    if not os.path.isdir(src):
        return
    for dirpath, dirnames, filenames in os.walk(src, followlinks=False):
        rel = os.path.relpath(dirpath, src)
        out = dest if rel == "." else os.path.join(dest, rel)
        if rel != ".":
            os.mkdir(out, 0o755)
            os.chown(out, uid, uid)
        dirnames[:] = [d for d in dirnames if stat.S_ISDIR(os.lstat(os.path.join(dirpath, d)).st_mode)]
        for name in filenames:
            _copy_file(os.path.join(dirpath, name), os.path.join(out, name), uid)


def _copy_file(src: str, dest: str, uid: int) -> None:
    try:
        fd = os.open(src, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return
        out = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644 | (st.st_mode & 0o100))
        try:
            with open(fd, "rb", closefd=False) as fin, open(out, "wb", closefd=False) as fout:
                shutil.copyfileobj(fin, fout, 1 << 20)
            os.fchown(out, uid, uid)
        finally:
            os.close(out)
    finally:
        os.close(fd)


def _copy_font_list(folder: str, dest: str, uid: int) -> None:
    try:
        names = [n for n in os.listdir(folder) if n.startswith("fontlist-") and n.endswith(".json")]
    except OSError:
        return
    os.makedirs(dest, 0o700, exist_ok=True)
    os.chown(dest, uid, uid)
    for name in names:
        _copy_file(os.path.join(folder, name), os.path.join(dest, name), uid)


def _loopback_up() -> None:
    """The new network namespace has only a loopback device, down; bring it up so that code using
    127.0.0.1 inside the sandbox talks to itself (never to the host)."""
    import socket
    import struct

    siocgifflags, siocsifflags, iff_up = 0x8913, 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        ifr = struct.pack("16sh", b"lo", 0)
        flags = struct.unpack("16sh", fcntl.ioctl(s, siocgifflags, ifr)[:18])[1]
        fcntl.ioctl(s, siocsifflags, struct.pack("16sh", b"lo", flags | iff_up))


def _close_fds(keep: set[int]) -> None:
    """Nothing the zygote or the grader had open reaches the sandboxed program."""
    try:
        fds = [int(n) for n in os.listdir("/proc/self/fd")]
    except OSError:
        fds = list(range(3, 1024))
    for fd in fds:
        if fd not in keep:
            try:
                os.close(fd)
            except OSError as exc:
                if exc.errno != errno.EBADF:
                    raise
