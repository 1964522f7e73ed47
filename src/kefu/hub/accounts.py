"""OS accounts for hub users and the file permissions that keep trainees apart.

Every account made here carries the comment ``kefu-kit <course>`` in its GECOS field; an existing
account without it is never taken over or removed.
"""
from __future__ import annotations

import os
import pwd
import stat
import subprocess
from pathlib import Path

from kefu.cohort.config import CohortError

from .users import HubUser

GECOS_PREFIX = "kefu-kit "


def _gecos(course_id: str) -> str:
    return f"{GECOS_PREFIX}{course_id}"


def ensure_account(user: HubUser, course_id: str, homes: Path) -> pwd.struct_passwd:
    """Create the user's OS account (no password, no login shell needed for the hub) if missing."""
    try:
        pw = pwd.getpwnam(user.os_name)
    except KeyError:
        pw = None
    if pw is not None:
        if not pw.pw_gecos.startswith(GECOS_PREFIX):
            raise CohortError(
                f"系统里已经有一个账号“{user.os_name}”,但不是 kefu-kit 创建的;为了安全不会使用它(账号 {user.id})"
            )
        return pw
    home = homes / user.os_name
    cmd = ["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash",
           "--comment", _gecos(course_id), "--user-group", user.os_name]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        raise CohortError(f"无法创建系统账号“{user.os_name}”(账号 {user.id}):{res.stderr.strip()}")
    os.chmod(home, 0o700)
    return pwd.getpwnam(user.os_name)


def remove_account(user: HubUser, course_id: str, *, remove_home: bool = True) -> bool:
    """Delete an account this kit created for ``course_id``; False when there was none to delete."""
    try:
        pw = pwd.getpwnam(user.os_name)
    except KeyError:
        return False
    if pw.pw_gecos != _gecos(course_id):
        return False
    cmd = ["userdel", *(["--remove"] if remove_home else []), user.os_name]
    res = subprocess.run(cmd, capture_output=True, text=True)
    # userdel exits 12 when it could not remove the home folder (e.g. already gone): the account is gone
    if res.returncode not in (0, 12):
        raise CohortError(f"无法删除系统账号“{user.os_name}”:{res.stderr.strip()}")
    return True


def uids_of(users: list[HubUser], course_id: str) -> set[int]:
    out: set[int] = set()
    for u in users:
        try:
            pw = pwd.getpwnam(u.os_name)
        except KeyError:
            continue
        if pw.pw_gecos == _gecos(course_id):
            out.add(pw.pw_uid)
    return out


def not_reachable_by_others(path: Path) -> Path | None:
    """The first folder on the way to ``path`` that other users cannot enter (or ``path`` itself
    when it exists but cannot be read/executed by others), else None."""
    path = Path(path).resolve()
    for p in [*reversed(path.parents), path]:
        try:
            st = p.stat()
        except OSError:
            return p
        if stat.S_ISDIR(st.st_mode):
            if not st.st_mode & stat.S_IXOTH:
                return p
        elif not st.st_mode & stat.S_IROTH:
            return p
    return None


def check_environment_shared(python: Path) -> None:
    """User servers run the kit's Python as each trainee: the venv and the interpreter it links to
    (a venv's python is often a symlink into /root/.pyenv or similar) must be usable by everyone."""
    python = Path(python)
    for target in (python.parent, python.resolve()):
        bad = not_reachable_by_others(target)
        if bad is None and target.is_file() and not os.stat(target).st_mode & stat.S_IXOTH:
            bad = target
        if bad is not None:
            raise CohortError(
                f"学员账号无法运行 kefu-kit 的 Python({python} → {python.resolve()}):{bad} 对其他用户"
                f"不可进入或不可执行。请执行 chmod o+x {bad}(只允许进入,不允许列目录),"
                "或把 Python 和 kefu-kit 安装在所有用户都能访问的位置(例如 /opt/kefu-kit)"
            )


def lock_cohort_folder(course_dir: Path, exchange: Path, public: list[Path]) -> None:
    """Trainees may pass through the cohort folder (to the exchange and their config) but not list or
    read it: the folder 0711, everything in it but the exchange and ``public`` paths root-only."""
    course_dir = course_dir.resolve()
    bad = not_reachable_by_others(course_dir.parent)
    if bad is not None:
        raise CohortError(
            f"学员账号无法进入培训班文件夹:{bad} 对其他用户不可进入。请把培训班放在所有用户都能进入的位置,"
            f"或执行 chmod o+x {bad}"
        )
    os.chmod(course_dir, 0o711)
    keep = {p.resolve() for p in [exchange, *public]}
    for child in course_dir.iterdir():
        if child.resolve() in keep or child.is_symlink():
            continue
        mode = child.stat().st_mode
        os.chmod(child, (mode & ~0o077) if not stat.S_ISDIR(mode) else 0o700)
    # the exchange may live in the cohort folder or elsewhere: every folder above it must be enterable
    bad = not_reachable_by_others(exchange)
    if bad is not None:
        raise CohortError(f"学员账号无法进入交换文件夹(exchange):{bad} 对其他用户不可进入;请执行 chmod o+x {bad}")
