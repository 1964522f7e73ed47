"""Feedback that teaches and leaks nothing (nbgrader issue #917).

Stock ``nbgrader generate_feedback`` renders the autograded notebook as it is — hidden tests included,
and an error's traceback quotes the failing hidden line too. :class:`HideHiddenTests` is an nbconvert
preprocessor added to ``GenerateFeedback.preprocessors``: it removes the hidden region from every cell
(with nbgrader's own ``ClearHiddenTests`` logic and delimiters), and reduces error tracebacks to
``ErrorName: message``. ``kefu feedback`` also runs :class:`~kefu.autograde.sanitize.SanitizeOutputs` (no
active content). What the trainee should see stays: each test's score, its printed explanation
(e.g. which phrase rule fired and the recommended line) and the assertion message.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from .config import CourseError, ensure_alembic_on_path, load_config

HIDDEN_NOTE = "# (此处的隐藏测试不在反馈中显示)"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class HideHiddenTests(Preprocessor):  # type: ignore[misc]
    """Remove hidden test source and source-quoting tracebacks from feedback."""

    enabled = Bool(True, help="on by default (nbconvert's preprocessors are off unless enabled)").tag(config=True)

    def preprocess_cell(self, cell: Any, resources: Any, index: int) -> tuple[Any, Any]:
        from nbgrader.preprocessors import ClearHiddenTests

        clearer = ClearHiddenTests(parent=self.parent, config=self.config)
        if clearer.begin_test_delimeter in cell.source:
            removed = clearer._remove_hidden_test_region(cell)
            if removed and cell.cell_type == "code":
                cell.source = (cell.source.rstrip("\n") + "\n" + HIDDEN_NOTE).lstrip("\n")
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    msg = f"{out.get('ename', 'Error')}: {out.get('evalue', '')}".rstrip(": ")
                    out["traceback"] = [_ANSI.sub("", msg)]
        return cell, resources


def _graded_assignments(course: Path, cfg: Any) -> list[str]:
    folder = course / cfg.CourseDirectory.get("autograded_directory", "autograded")
    if not folder.is_dir():
        return []
    return sorted({a.name for s in folder.iterdir() if s.is_dir() for a in s.iterdir() if a.is_dir()})


def feedback(course_dir: str | os.PathLike[str], assignment: str | None = None,
             release: bool = True) -> dict[str, int]:
    """Generate feedback HTML (hidden tests removed) for every autograded submission of ``assignment``
    (or of every assignment) and release it through the exchange. Returns {assignment: files}."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    from .pipeline import FEEDBACK

    ensure_alembic_on_path()
    course = Path(course_dir).resolve()
    cfg = load_config(course)
    cfg.GenerateFeedback.preprocessors = list(FEEDBACK)  # hidden tests removed, outputs sanitised
    graded = _graded_assignments(course, cfg)
    if assignment is not None and assignment not in graded:
        raise CourseError(f"作业 {assignment} 还没有自动评分的提交,无法生成反馈(已评分:{'、'.join(graded) or '无'})")
    from kefu.grading.freshness import sync_late_exams

    sync_late_exams(course, assignment)  # a late exam's feedback shows 0, as the gradebook does
    api = NbGraderAPI(coursedir=CourseDirectory(config=cfg), config=cfg)
    out: dict[str, int] = {}
    fb_root = course / cfg.CourseDirectory.get("feedback_directory", "feedback")
    for aid in [assignment] if assignment else graded:
        res = api.generate_feedback(aid)
        if not res.get("success"):
            raise CourseError(f"生成 {aid} 的反馈失败:{_last_line(res)}")
        if release:
            res = api.release_feedback(aid)
            if not res.get("success"):
                raise CourseError(f"发放 {aid} 的反馈失败:{_last_line(res)}")
        out[aid] = len(list(fb_root.glob(f"*/{aid}/*.html")))
    return out


def _last_line(res: dict[str, Any]) -> str:
    text = (res.get("error") or res.get("log") or "").strip().splitlines()
    return text[-1] if text else "未知错误"
