"""Exam papers: the theory exam, its retake and the practical exam (nbgrader source notebooks).

``build_exams(seed, root)`` writes, under ``root`` (the repository):
- ``assignments/theory-exam/theory-exam.ipynb`` and ``assignments/theory-retake/theory-retake.ipynb``;
- ``assignments/practical-exam/practical-exam.ipynb``;
- the instructor keys ``assignments/_keys/<id>.yml`` (never released).
Heavy work is imported lazily so ``import kefu.exams.marking`` stays light in graders' kernels.
"""
from __future__ import annotations

from pathlib import Path


def build_exams(seed: int, root: Path | str) -> list[Path]:
    """Regenerate every exam notebook and key file; return the paths written or unchanged."""
    from .build import build_practical, build_theory

    root = Path(root)
    return build_theory(seed, root) + build_practical(seed, root)


__all__ = ["build_exams"]
