"""Fast, safe autograding and leak-free feedback on top of nbgrader.

- :func:`autograde` grades ``submitted/`` in parallel with nbgrader's own converter and preprocessors
  (scores identical to ``nbgrader autograde``), resumable, gradebook backed up first;
- :func:`feedback` generates feedback HTML without hidden test source and releases it.

nbgrader is imported lazily, so importing this package is cheap.
"""
from __future__ import annotations

from typing import Any

from .config import CourseError

__all__ = ["autograde", "feedback", "BatchResult", "CourseError"]


def autograde(course_dir: Any, assignment: str | None = None, students: Any = None, jobs: int | None = None,
              progress: bool = True, cell_timeout: int = 30, **kwargs: Any) -> Any:
    from .runner import autograde as _run

    return _run(course_dir, assignment=assignment, students=students, jobs=jobs, progress=progress,
                cell_timeout=cell_timeout, **kwargs)


def feedback(course_dir: Any, assignment: str | None = None, **kwargs: Any) -> Any:
    from .hidetests import feedback as _fb

    return _fb(course_dir, assignment=assignment, **kwargs)


def __getattr__(name: str) -> Any:
    if name == "BatchResult":
        from .runner import BatchResult

        return BatchResult
    raise AttributeError(name)
