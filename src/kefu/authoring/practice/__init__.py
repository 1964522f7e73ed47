"""Practice notebooks (notebooks/NN-<slug>.ipynb), generated from Python and committed without
outputs. One per chapter of course/course.yml:

1. a set-up cell with one import (``from kefu.drills import *``);
2. the title and learning objectives (from course.yml);
3. a short lesson in the kit's own words; lists, lines and figures are read from seeds/ at build
   time, so rebuilding keeps them in sync;
4. at least three interactive drills (from kefu.drills) with instant feedback;
5. a recap.

``kefu build`` calls :func:`build_practice_notebooks`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from kefu.authoring import cells

SETUP = "from kefu.drills import *  # 运行这一格,准备好本章的全部练习"


def _chapters() -> dict[str, Callable]:
    from . import lessons_a, lessons_b

    return {**lessons_a.CHAPTERS, **lessons_b.CHAPTERS}


def practice_notebook(chapter):
    """The notebook of one chapter (a ``kefu.course.Chapter``)."""
    from .common import objectives_cell, recap_cell

    build = _chapters().get(chapter.id)
    if build is None:
        raise KeyError(f"第 {chapter.number} 章({chapter.id})还没有练习本的内容")
    lesson, drills, recap = build(chapter)
    body = [
        cells.code(SETUP, key=f"{chapter.id}:setup"),
        objectives_cell(chapter),
        *lesson,
        *drills,
        recap_cell(chapter, recap),
    ]
    return cells.notebook(body, title=f"第 {chapter.number} 章 {chapter.title}")


def build_practice_notebooks(root: str | Path | None = None, *, only: list[str] | None = None) -> list[Path]:
    """Write notebooks/NN-<slug>.ipynb under ``root`` (the repository; default: the checkout that
    holds seeds/) for every chapter (or the chapter ids in ``only``). Returns the paths written
    or unchanged, in chapter order. Deterministic: rebuilding gives byte-identical files."""
    from kefu.course import load_course
    from kefu.seeds import seeds_dir

    root = Path(root) if root else seeds_dir().parent
    out = []
    for chapter in load_course().chapters:
        if only and chapter.id not in only:
            continue
        path = root / chapter.notebook
        cells.write(practice_notebook(chapter), path)
        out.append(path)
    return out


__all__ = ["SETUP", "build_practice_notebooks", "practice_notebook"]
