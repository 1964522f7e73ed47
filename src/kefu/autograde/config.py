"""Loading a course folder's nbgrader configuration."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any


class CourseError(Exception):
    """A course folder that cannot be used (message in Chinese)."""


def load_config(course_dir: str | os.PathLike[str]) -> Any:
    """The course's traitlets Config (``kefu.cohort.load_config`` when it exists)."""
    course = Path(course_dir).resolve()
    cfg_file = course / "nbgrader_config.py"
    if not course.is_dir():
        raise CourseError(f"找不到课程文件夹:{course}")
    try:
        from kefu.cohort import load_config as cohort_load  # type: ignore[attr-defined]
    except ImportError:
        cohort_load = None
    if cohort_load is not None:
        try:
            cfg = cohort_load(course)
        except Exception as exc:  # CohortError: already a Chinese message naming the file
            raise CourseError(str(exc)) from None
    else:
        if not cfg_file.is_file():
            raise CourseError(f"课程文件夹缺少 nbgrader_config.py:{cfg_file}")
        from traitlets.config.loader import PyFileConfigLoader

        cfg = PyFileConfigLoader(cfg_file.name, path=str(course)).load_config()
    cd = cfg.CourseDirectory
    if "root" not in cd:
        cd.root = str(course)
    if "db_url" not in cd:
        cd.db_url = f"sqlite:///{Path(cd.root) / 'gradebook.db'}"
    return cfg


def db_path(cfg: Any) -> Path | None:
    """The sqlite file behind ``CourseDirectory.db_url`` (None for other databases)."""
    url = str(cfg.CourseDirectory.db_url)
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///"):])
    return None


def ensure_alembic_on_path() -> None:
    """nbgrader runs ``alembic`` when it creates a gradebook: put this Python's bin/ on PATH."""
    import sys

    bindir = str(Path(sys.executable).parent)
    path = os.environ.get("PATH", "")
    if bindir not in path.split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + path
