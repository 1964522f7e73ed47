"""Hub logins: random, readable passwords; stored only as argon2 hashes in ``hub/passwords.json``.

The file is owned by root, mode 0600; the hub process (root) and ``kefu hub`` commands are the only
readers and writers, one at a time (a file lock next to it).
"""
from __future__ import annotations

import csv
import json
import os
import secrets
from pathlib import Path

from kefu.cohort.config import CohortError

from .users import HubUser, ensure_hub_dir, hub_dir

PASSWORDS_FILE = "passwords.json"
# no 0/o, 1/l/i: read aloud or copied from a printed sheet without mistakes
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
MIN_LENGTH = 8


def new_password(groups: int = 3, size: int = 4) -> str:
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(size)) for _ in range(groups))


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def _store_path(course_dir) -> Path:
    return hub_dir(course_dir) / PASSWORDS_FILE


def _lock(course_dir):
    from filelock import FileLock

    return FileLock(str(ensure_hub_dir(course_dir) / (PASSWORDS_FILE + ".lock")))


def _read(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        raise CohortError(f"{path}: 密码文件已损坏(不是有效的 JSON);请用 kefu hub passwords --reset 重新生成") from None
    return {str(k): str(v) for k, v in data.get("hashes", {}).items()}


def _write(path: Path, hashes: dict[str, str]) -> None:
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"scheme": "argon2", "hashes": hashes}, fh, indent=1)
        fh.write("\n")
    os.replace(tmp, path)


def has_password(course_dir, hub_name: str) -> bool:
    return hub_name in _read(_store_path(course_dir))


def issue_passwords(course_dir, users: list[HubUser], *, reset: bool = False,
                    only: list[str] | None = None) -> list[tuple[HubUser, str]]:
    """New passwords for users without one (all of them with ``reset``; the named ones with ``only``).

    Returns (user, clear-text password) for the trainer's hand-out sheet; only hashes are kept.
    """
    wanted = {o.strip().lower() for o in only} if only else None
    if wanted:
        unknown = sorted(wanted - {u.hub_name for u in users})
        if unknown:
            raise CohortError(f"名单和阅卷员中没有这些账号:{'、'.join(unknown)}")
    ph = _hasher()
    issued: list[tuple[HubUser, str]] = []
    with _lock(course_dir):
        path = _store_path(course_dir)
        hashes = _read(path)
        for u in users:
            if wanted is not None:
                if u.hub_name not in wanted:
                    continue
            elif not reset and u.hub_name in hashes:
                continue
            pw = new_password()
            hashes[u.hub_name] = ph.hash(pw)
            issued.append((u, pw))
        _write(path, hashes)
    return issued


def write_logins(out: str | os.PathLike[str], issued: list[tuple[HubUser, str]]) -> Path:
    """The hand-out sheet: columns id,password (CSV or XLSX by the file's extension)."""
    out = Path(out)
    rows = [(u.id, pw) for u, pw in issued]
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise CohortError(f"{out}: 只能写成 .csv 或 .xlsx 文件")
    out.parent.mkdir(parents=True, exist_ok=True)
    # the sheet holds clear-text passwords: readable by its owner only
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    if suffix == ".csv":
        with out.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["id", "password"])
            w.writerows(rows)
    else:
        import openpyxl

        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "logins"
        ws.append(["id", "password"])
        for r in rows:
            ws.append(list(r))
        wb.save(out)
    os.chmod(out, 0o600)
    return out


def check_password(course_dir, hub_name: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    stored = _read(_store_path(course_dir)).get(hub_name)
    if not stored or not password:
        return False
    try:
        return _hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def set_password(course_dir, hub_name: str, new: str) -> None:
    """Replace one user's password (the hub's change-password page, ``kefu hub passwd``)."""
    if len(new) < MIN_LENGTH:
        raise CohortError(f"新密码太短:至少 {MIN_LENGTH} 个字符")
    h = _hasher().hash(new)
    with _lock(course_dir):
        path = _store_path(course_dir)
        hashes = _read(path)
        if hub_name not in hashes:
            raise CohortError(f"账号“{hub_name}”还没有密码;请先运行 kefu hub passwords")
        hashes[hub_name] = h
        _write(path, hashes)
