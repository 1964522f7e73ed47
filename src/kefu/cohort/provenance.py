"""When and by whom a submission in the exchange was made, as the trainer's side can establish it.

nbgrader takes both from the trainee: the time from ``timestamp.txt`` and the folder name, both written
by the trainee's own process (so a late exam can be backdated), and the identity from ``--student``.
Here:

* **time** is the newest *ctime* of the inbound submission folder and everything in it. A file's owner
  can set its mtime to anything (``os.utime``), but the kernel sets ctime to "now" on every change of
  the inode — writing, renaming, linking, chmod, utime itself — and nobody but root can set it back.
  So ctime is the moment the submission reached its final form, never earlier.
* **identity** is the OS account that owns the inbound folder, where trainees have their own accounts
  (a JupyterHub with one account per trainee). The account name is the trainee id, or is mapped to one
  in ``cohort.json`` → ``"os_accounts": {"<account>": "<trainee id>"}``. A folder owned by the
  collecting account itself (or root) says nothing: on a single training machine where everybody uses
  one account the machine cannot tell trainees apart — only separate accounts can.
"""
from __future__ import annotations

import datetime as dt
import os
import pwd
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

#: a ``timestamp.txt`` this much earlier than the trusted time is flagged (clock skew, copy time)
TOLERANCE = dt.timedelta(minutes=2)

#: how collect dates a submission: ``clock(inbound_folder) -> naive UTC``
Clock = Callable[[Path], dt.datetime]


def trusted_time(folder: Path) -> dt.datetime:
    """The newest ctime of ``folder`` and its contents, naive UTC (as nbgrader stores times)."""
    latest = os.lstat(folder).st_ctime
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            try:
                latest = max(latest, os.lstat(os.path.join(root, name)).st_ctime)
            except FileNotFoundError:
                continue
    return dt.datetime.fromtimestamp(latest, dt.timezone.utc).replace(tzinfo=None)


def name_time(folder: Path) -> dt.datetime | None:
    """The time in the inbound folder's name ``<trainee>+<assignment>+<time>+<random>`` (trainee-written)."""
    from nbgrader.utils import parse_utc

    parts = folder.name.rsplit("+", 3)
    if len(parts) < 3:
        return None
    try:
        return parse_utc(parts[2])
    except (ValueError, OverflowError):
        return None


def claimed_time(folder: Path) -> dt.datetime | None:
    """What the trainee's side claims: ``timestamp.txt``, else the folder name."""
    from nbgrader.utils import parse_utc

    try:
        return parse_utc((folder / "timestamp.txt").read_text(encoding="utf-8", errors="replace").strip())
    except (OSError, ValueError, OverflowError):
        return name_time(folder)


def simulated_clock(folder: Path) -> dt.datetime:
    """For simulations only (``kefu demo``, tests of the calendar rules): the simulated submission time
    the simulator itself wrote. Never used for real trainees."""
    return claimed_time(folder) or trusted_time(folder)


@dataclass
class Owner:
    account: str  # OS account name (or "uid N")
    trainee: str | None  # the trainee that account belongs to; None = cannot tell (shared account)


def account_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def folder_owner(folder: Path, accounts: dict[str, str]) -> Owner:
    """Who owns an inbound submission folder, as a trainee id where that can be known."""
    uid = os.lstat(folder).st_uid
    name = account_name(uid)
    if name in accounts:
        return Owner(name, accounts[name])
    if uid in (0, os.geteuid()):
        return Owner(name, None)
    return Owner(name, name)


def current_trainee(accounts: dict[str, str], roster: set[str]) -> Owner:
    """The trainee the running OS account belongs to (for ``kefu submit``), where it can be known."""
    name = account_name(os.geteuid())
    if name in accounts:
        return Owner(name, accounts[name])
    return Owner(name, name if name in roster else None)


def links_in(folder: Path, limit: int = 5) -> list[str]:
    """Symbolic links at or below ``folder`` (names relative to it, at most ``limit``), none followed.
    nbgrader copies submissions with shutil, which follows links: a link in a submission would make the
    copying side (the trainer's, at collect) copy a file the trainee cannot read — a key, the gradebook."""
    folder = Path(folder)
    if folder.is_symlink():
        return [folder.name]
    found: list[str] = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        for name in dirs + files:
            if os.path.islink(os.path.join(root, name)):
                found.append(os.path.relpath(os.path.join(root, name), folder))
                if len(found) >= limit:
                    return found
    return found


#: the largest submission the kit copies (the kit's own rule, not the manuals'). nbgrader keeps every
#: submission in the exchange and copies it again at collect, and skips a single file over 100 MB without a
#: word (``CourseDirectory.max_file_size``): a folder stuffed with data files or videos, by mistake or on
#: purpose, would fill the disk the gradebook lives on. A trainee's notebooks with their charts are a few MB.
#: SUBMISSION_MAX_FILES counts files and folders (links are refused on their own).
SUBMISSION_MAX_BYTES = 50 * 1024 * 1024
SUBMISSION_MAX_FILES = 500


def oversize(folder: Path) -> str | None:
    """What is too much about ``folder`` as a submission (Chinese, e.g. "超过 50 MB"), or None. Links are not
    followed (they are refused on their own, :func:`links_in`); the walk stops as soon as a limit is passed."""
    files = size = 0
    for root, dirs, names in os.walk(folder, followlinks=False):
        # folders count as entries too: a million empty ones would be copied (and walked) just the same
        for name in dirs + names:
            try:
                st = os.lstat(os.path.join(root, name))
            except OSError:
                continue
            files += 1
            size += st.st_size
            if files > SUBMISSION_MAX_FILES:
                return f"超过 {SUBMISSION_MAX_FILES} 个文件或文件夹"
            if size > SUBMISSION_MAX_BYTES:
                return f"超过 {SUBMISSION_MAX_BYTES // (1024 * 1024)} MB"
    return None


def utc_text(when: dt.datetime) -> str:
    """A naive-UTC time in nbgrader's ``timestamp.txt`` format (what its late logic reads)."""
    return when.replace(tzinfo=dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f %Z")
