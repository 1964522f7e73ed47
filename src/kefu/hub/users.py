"""Who logs into a cohort's hub: trainees from the roster (cohort.json), graders from ``hub/graders.txt``.

Three names per person:
- the **trainee id** of the roster (nbgrader's student id, case kept: ``KF001``);
- the **hub name**: JupyterHub lower-cases user names (``kf001``), used in URLs (``/user/kf001/``);
- the **OS account** ``kf-<hub name>`` (or ``kf-<hash>`` when that is not a valid, short Linux name).
  The prefix keeps a roster id such as ``root`` or ``postgres`` from ever meaning a system account.

``hub/accounts.json`` records every mapping; the trainees' (OS account -> trainee id) also go to
``cohort.json`` → ``"os_accounts"``, where ``kefu collect`` reads who owns a submission folder in the
exchange (:mod:`kefu.cohort.provenance`).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from kefu.cohort.config import CohortError, load_config
from kefu.cohort.create import load_meta
from kefu.cohort.roster import ID_RE

from . import HUB_DIR

OS_PREFIX = "kf-"
GRADERS_FILE = "graders.txt"
ACCOUNTS_FILE = "accounts.json"
_OS_NAME_RE = re.compile(r"^[a-z_][a-z0-9_.-]*$")
_OS_NAME_MAX = 32


@dataclass(frozen=True)
class HubUser:
    id: str        # roster id (trainee) or grader id, as typed by the trainer
    hub_name: str  # JupyterHub's (lower-case) user name
    os_name: str   # the Linux account the user's server runs as
    role: str      # "trainee" or "grader"


def hub_dir(course_dir) -> Path:
    return Path(course_dir).resolve() / HUB_DIR


def ensure_hub_dir(course_dir) -> Path:
    d = hub_dir(course_dir)
    d.mkdir(mode=0o700, exist_ok=True)
    os.chmod(d, 0o700)
    return d


def hub_name(user_id: str) -> str:
    """JupyterHub's normalised name (Authenticator.normalize_username lower-cases)."""
    return user_id.strip().lower()


def os_name(name: str) -> str:
    candidate = OS_PREFIX + name
    if len(candidate) <= _OS_NAME_MAX and _OS_NAME_RE.match(candidate):
        return candidate
    return OS_PREFIX + hashlib.sha1(name.encode()).hexdigest()[:12]


def course_id(course_dir) -> str:
    return load_config(course_dir).CourseDirectory.course_id


def read_graders(course_dir) -> list[str]:
    p = hub_dir(course_dir) / GRADERS_FILE
    if not p.is_file():
        return []
    out: list[str] = []
    for rowno, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
        gid = line.split("#", 1)[0].strip()
        if not gid:
            continue
        if not ID_RE.match(gid):
            raise CohortError(f"{p} · 第 {rowno} 行: 阅卷员账号“{gid}”无效(只能用英文字母、数字、“-”“_”“.”)")
        out.append(gid)
    return out


def write_graders(course_dir, graders: list[str]) -> Path:
    for g in graders:
        if not ID_RE.match(g):
            raise CohortError(f"阅卷员账号“{g}”无效:只能用英文字母、数字、“-”“_”“.”,以字母或数字开头")
    p = ensure_hub_dir(course_dir) / GRADERS_FILE
    p.write_text("# one grader id per line (kefu hub passwords --graders)\n" + "".join(g + "\n" for g in graders),
                 encoding="utf-8")
    return p


def cohort_users(course_dir, graders: list[str] | None = None) -> list[HubUser]:
    """Trainees (roster order) then graders (``graders``, else hub/graders.txt); raises CohortError on
    clashing names."""
    meta = load_meta(course_dir)
    people = [(t["id"], "trainee") for t in meta.get("trainees", [])]
    people += [(g, "grader") for g in (read_graders(course_dir) if graders is None else graders)]
    users: list[HubUser] = []
    seen: dict[str, str] = {}
    for uid, role in people:
        hn = hub_name(uid)
        if hn in seen:
            raise CohortError(
                f"账号“{uid}”与“{seen[hn]}”在 JupyterHub 中是同一个登录名(不区分大小写)"
                + (";阅卷员账号不能与学员工号相同" if role == "grader" else "")
            )
        seen[hn] = uid
        users.append(HubUser(uid, hn, os_name(hn), role))
    return users


def write_accounts(course_dir, users: list[HubUser]) -> Path:
    """``hub/accounts.json``: {"by_os_name": {os: {...}}, "by_hub_name": {...}} — readable by root only."""
    p = ensure_hub_dir(course_dir) / ACCOUNTS_FILE
    data = {
        "course_id": course_id(course_dir),
        "by_os_name": {u.os_name: asdict(u) for u in users},
        "by_hub_name": {u.hub_name: asdict(u) for u in users},
    }
    p.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.chmod(p, 0o600)
    _record_in_cohort(course_dir, {u.os_name: u.id for u in users if u.role == "trainee"})
    return p


def _record_in_cohort(course_dir, mapping: dict[str, str]) -> None:
    """Merge the trainees' accounts into cohort.json's ``os_accounts`` (read by ``kefu collect``)."""
    from kefu.cohort.create import META_NAME

    path = Path(course_dir).resolve() / META_NAME
    meta = load_meta(course_dir)
    accounts = dict(meta.get("os_accounts") or {})
    if all(accounts.get(k) == v for k, v in mapping.items()):
        return
    accounts.update(mapping)
    meta["os_accounts"] = accounts
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def trainee_for_os_user(course_dir, os_user: str) -> str | None:
    """The roster id whose hub server runs as ``os_user`` (None: not a trainee of this hub)."""
    p = hub_dir(course_dir) / ACCOUNTS_FILE
    if not p.is_file():
        return None
    entry = json.loads(p.read_text(encoding="utf-8")).get("by_os_name", {}).get(os_user)
    return entry["id"] if entry and entry.get("role") == "trainee" else None
