"""Helpers for the cohort CLI tests: the `kefu` command in a subprocess, a cohort folder made by the real
`kefu cohort init` with placeholder exams (no kernels, no real assignments to build), and copies of it
for tests that damage or rewrite a cohort."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from kefu.cohort import simulate
from kefu.cohort.create import exam_ids

BIN = Path(sys.executable).parent
KEFU = str(BIN / "kefu")
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}  # nbgrader runs alembic


def kefu(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([KEFU, *args], capture_output=True, text=True, timeout=300, env=ENV, input=stdin)


def placeholder_cohort(root: Path, roster: str, name: str = "base") -> tuple[Path, Path]:
    """``kefu cohort init root/name`` from ``roster`` (CSV text, saved as ``root/名单.csv``) with placeholder
    exams in ``root/assignments``; (cohort folder, assignments folder)."""
    adir = root / "assignments"
    for kind, aid in exam_ids().items():
        simulate.placeholder_exam(adir, aid, kind)
    (root / "名单.csv").write_text(roster, encoding="utf-8")
    course = root / name
    res = kefu("cohort", "init", str(course), "--roster", str(root / "名单.csv"), "--assignments", str(adir))
    assert res.returncode == 0, res.stderr
    return course, adir


def copy_cohort(course: Path, name: str) -> Path:
    """A copy of the cohort folder beside it, named ``name`` (symlinks kept as links)."""
    dest = course.parent / name
    shutil.copytree(course, dest, symlinks=True)
    return dest
