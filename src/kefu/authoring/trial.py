"""A throw-away nbgrader course for checking assignments: generate the release, submit simulated
answers (the variants of ``assignments/_keys/<id>.yml``), autograde and read the scores back.

Used by the tests and by instructors who want to dry-run an assignment before releasing it.
nbgrader is imported inside the functions (it is slow to import).
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

from .cells import CODE_STUB, TEXT_STUB


class TrialError(Exception):
    """An nbgrader step failed (message carries nbgrader's log)."""


def _ensure_bin_on_path() -> None:
    bindir = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if bindir not in parts:
        os.environ["PATH"] = os.pathsep.join([bindir, *parts])


def load_keys(path: str | os.PathLike[str]) -> dict[str, Any]:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}


def with_answers(nb, answers: dict[str, dict[str, str]], variant: str):
    """A copy of notebook ``nb`` whose answer cells hold ``variant`` of each answer."""
    import copy

    out = copy.deepcopy(nb)
    for cell in out.cells:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in answers and variant in answers[gid]:
            cell.source = answers[gid][variant]
    return out


def default_keys_dir() -> Path:
    """The kit's instructor-side keys folder, ``assignments/_keys``."""
    from kefu.seeds import seeds_dir

    return seeds_dir().parent / "assignments" / "_keys"


class TrialCourse:
    """Autogrades on nbgrader's own path configured as a cohort is (kefu.autograde.pipeline: the kernel
    hands answers over as data, TrustedScore marks them from ``keys_dir``); ``trusted=False`` gives stock
    nbgrader without kefu's configuration (tests show that it scores kefu's tests zero)."""

    def __init__(self, root: str | os.PathLike[str], course_id: str = "kefu-trial", *,
                 keys_dir: str | os.PathLike[str] | None = None, trusted: bool = True):
        from traitlets.config import Config

        _ensure_bin_on_path()
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        cfg = Config()
        cfg.CourseDirectory.root = str(self.root)
        cfg.CourseDirectory.course_id = course_id
        cfg.CourseDirectory.db_url = "sqlite:///" + str(self.root / "gradebook.db")
        cfg.Exchange.root = str(self.root / "exchange")
        cfg.Exchange.cache = str(self.root / "cache")
        cfg.Exchange.path_includes_course = False
        cfg.Execute.timeout = 60
        cfg.ClearSolutions.code_stub = {"python": CODE_STUB}
        cfg.ClearSolutions.text_stub = TEXT_STUB
        if trusted:
            # the grading pipeline lives with the grader (kefu.autograde); imported here only to configure it
            from kefu.autograde.pipeline import apply

            apply(cfg, str(keys_dir or default_keys_dir()))
        self.config = cfg
        self._api = None

    @property
    def api(self):
        if self._api is None:
            from nbgrader.apps import NbGraderAPI
            from nbgrader.coursedir import CourseDirectory

            coursedir = CourseDirectory(config=self.config)
            self._api = NbGraderAPI(coursedir, config=self.config)
        return self._api

    def add_source(self, folder: str | os.PathLike[str]) -> str:
        folder = Path(folder)
        dest = self.root / "source" / folder.name
        shutil.copytree(folder, dest, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        return folder.name

    def generate(self, assignment_id: str) -> Path:
        res = self.api.generate_assignment(assignment_id)
        if not res.get("success"):
            raise TrialError(f"generate_assignment {assignment_id} 失败:\n{res.get('error') or res.get('log')}")
        return self.root / "release" / assignment_id

    def release_notebook(self, assignment_id: str, name: str | None = None):
        import nbformat

        return nbformat.read(self.root / "release" / assignment_id / f"{name or assignment_id}.ipynb", as_version=4)

    def source_notebook(self, assignment_id: str, name: str | None = None):
        import nbformat

        return nbformat.read(self.root / "source" / assignment_id / f"{name or assignment_id}.ipynb", as_version=4)

    def submit(self, assignment_id: str, student: str, nb, name: str | None = None) -> Path:
        """Place ``nb`` (and the release's other files) as ``student``'s submission."""
        import nbformat

        dest = self.root / "submitted" / student / assignment_id
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(self.root / "release" / assignment_id, dest)
        nbformat.write(nb, dest / f"{name or assignment_id}.ipynb")
        return dest

    def autograde(self, assignment_id: str, student: str) -> dict[str, float]:
        """Autograde one submission; returns {grade_id: score} of its autograded test cells."""
        res = self.api.autograde(assignment_id, student)
        if not res.get("success"):
            raise TrialError(f"autograde {assignment_id}/{student} 失败:\n{res.get('error') or res.get('log')}")
        return self.scores(assignment_id, student)

    def scores(self, assignment_id: str, student: str) -> dict[str, float]:
        from nbgrader.api import Gradebook

        out: dict[str, float] = {}
        with Gradebook(self.config.CourseDirectory.db_url, self.config.CourseDirectory.course_id) as gb:
            sub = gb.find_submission(assignment_id, student)
            for nb in sub.notebooks:
                for grade in nb.grades:
                    if grade.auto_score is not None:
                        out[grade.name] = float(grade.score)
        return out
