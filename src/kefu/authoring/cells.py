"""Cell constructors with nbgrader cell metadata (schema version 3) and a deterministic writer.

nbgrader's kinds of cell:
- autograded answer: ``solution`` (code between ``### BEGIN SOLUTION`` / ``### END SOLUTION``);
- autograder test: ``grade`` + ``locked`` + ``points`` (hidden part between
  ``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS``);
- manually graded answer: ``grade`` + ``solution`` + ``points``;
- read-only text or code: ``locked``.
Cell ids are derived from grade ids or content so that rebuilding gives byte-identical files.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import nbformat

SCHEMA_VERSION = 3
# What nbgrader leaves in a released answer cell in place of the solution (ClearSolutions.code_stub):
# a comment for trainees instead of nbgrader's default `raise NotImplementedError()`.
CODE_STUB = "# ↑ 在上面的引号或列表里作答(这一行不用改)"
# The locked set-up cell of an exam (chapter assignments and practice notebooks import modules that
# install it): Chinese quotes and full-width punctuation accepted in the answer cells below.
INPUT_SETUP = "# 准备答题格(不用修改,先运行这一格):让中文引号和中文逗号也能正常使用\nimport kefu.inputfix\nkefu.inputfix.install()"
# What nbgrader leaves in a released written-answer (markdown) cell (ClearSolutions.text_stub),
# instead of its English default "YOUR ANSWER HERE".
TEXT_STUB = "(双击这里,删掉这一行,写下你的答案)"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _meta(
    *,
    grade: bool = False,
    solution: bool = False,
    locked: bool = False,
    grade_id: str | None = None,
    points: float | None = None,
    task: bool = False,
) -> dict[str, Any]:
    md: dict[str, Any] = {
        "grade": grade,
        "solution": solution,
        "locked": locked,
        "task": task,
        "schema_version": SCHEMA_VERSION,
    }
    if grade_id is not None:
        md["grade_id"] = grade_id
    if points is not None:
        md["points"] = points
    return {"nbgrader": md}


def _cell_id(seed: str) -> str:
    return hashlib.sha1(seed.encode("utf-8")).hexdigest()[:12]


def markdown(text: str, *, grade_id: str | None = None) -> dict[str, Any]:
    """Plain text for the reader (not protected by nbgrader)."""
    cell = nbformat.v4.new_markdown_cell(text)
    cell.id = _cell_id(grade_id or "md:" + text)
    return cell


def code(source: str, *, key: str | None = None) -> dict[str, Any]:
    """A plain code cell (practice notebooks, set-up)."""
    cell = nbformat.v4.new_code_cell(source)
    cell.id = _cell_id(key or "code:" + source)
    return cell


def locked_markdown(text: str, grade_id: str) -> dict[str, Any]:
    cell = nbformat.v4.new_markdown_cell(text, metadata=_meta(locked=True, grade_id=grade_id))
    cell.id = _cell_id(grade_id)
    return cell


def locked_code(source: str, grade_id: str) -> dict[str, Any]:
    cell = nbformat.v4.new_code_cell(source, metadata=_meta(locked=True, grade_id=grade_id))
    cell.id = _cell_id(grade_id)
    return cell


def answer_code(grade_id: str, solution: str, *, before: str = "", after: str = "") -> dict[str, Any]:
    """An autograded answer cell. ``before`` stays in the release (e.g. ``answer_1 = ``-style prompts
    as comments); ``solution`` is replaced by nbgrader's placeholder in the release."""
    parts = []
    if before:
        parts.append(before.rstrip("\n"))
    parts.append("### BEGIN SOLUTION")
    parts.append(solution.rstrip("\n"))
    parts.append("### END SOLUTION")
    if after:
        parts.append(after.rstrip("\n"))
    cell = nbformat.v4.new_code_cell("\n".join(parts), metadata=_meta(solution=True, grade_id=grade_id))
    cell.id = _cell_id(grade_id)
    return cell


def test_code(grade_id: str, visible: str, hidden: str = "", *, points: float) -> dict[str, Any]:
    """An autograder test cell worth ``points``; ``hidden`` is stripped from the release."""
    parts = [visible.rstrip("\n")] if visible.strip() else []
    if hidden.strip():
        parts += ["### BEGIN HIDDEN TESTS", hidden.rstrip("\n"), "### END HIDDEN TESTS"]
    cell = nbformat.v4.new_code_cell(
        "\n".join(parts), metadata=_meta(grade=True, locked=True, grade_id=grade_id, points=points)
    )
    cell.id = _cell_id(grade_id)
    return cell


def manual_markdown(grade_id: str, solution: str, *, points: float) -> dict[str, Any]:
    """A manually graded written answer (graded in formgrader)."""
    text = f"### BEGIN SOLUTION\n{solution.rstrip()}\n### END SOLUTION"
    cell = nbformat.v4.new_markdown_cell(
        text, metadata=_meta(grade=True, solution=True, grade_id=grade_id, points=points)
    )
    cell.id = _cell_id(grade_id)
    return cell


def manual_task(grade_id: str, text: str, *, points: float) -> dict[str, Any]:
    """A manually graded task cell (the grader scores it; the trainee does not edit it)."""
    cell = nbformat.v4.new_markdown_cell(
        text, metadata=_meta(task=True, locked=True, grade_id=grade_id, points=points)
    )
    cell.id = _cell_id(grade_id)
    return cell


def notebook(cells: list[dict[str, Any]], *, title: str = "") -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    nb.metadata = {
        "kernelspec": dict(KERNELSPEC),
        "language_info": {"name": "python"},
    }
    if title:
        nb.metadata["title"] = title
    return nb


def write(nb: nbformat.NotebookNode, path: str | Path) -> bool:
    """Write a notebook deterministically (no outputs, sorted keys). Returns True if it changed."""
    path = Path(path)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nbformat.validate(nb)
    text = json.dumps(nb, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True
