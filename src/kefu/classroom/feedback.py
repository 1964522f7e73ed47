"""The trainee's side of ``kefu feedback``: fetch released feedback from the exchange through
nbgrader's own ExchangeFetchFeedback (the same call as the Assignments panel's "Fetch Feedback"),
with the trainee's identity, and list the HTML pages in the trainee's folder."""
from __future__ import annotations

import io
import logging
import os
from pathlib import Path

from kefu.cohort.config import CohortError

from .trainee import CACHE_NAME, trainee_exchange_settings


def trainee_nbgrader_config(course_dir, student: str, home: Path):
    """A traitlets Config equal to the trainee's nbgrader_config.py (see render_trainee_nbgrader_config)."""
    from traitlets.config import Config

    ex = trainee_exchange_settings(course_dir)
    cfg = Config()
    cfg.CourseDirectory.course_id = ex["course_id"]
    cfg.CourseDirectory.student_id = student
    cfg.Exchange.root = ex["exchange_root"]
    cfg.Exchange.assignment_dir = str(home)
    cfg.Exchange.cache = str(home / CACHE_NAME)
    cfg.Exchange.timezone = ex.get("timezone", "UTC")
    cfg.Exchange.path_includes_course = bool(ex.get("path_includes_course", False))
    return cfg


def feedback_pages(home: Path, assignment: str) -> list[Path]:
    """Feedback pages fetched so far, newest submission first."""
    folder = Path(home) / assignment / "feedback"
    return sorted(folder.glob("*/*.html"), key=lambda p: (p.parent.name, p.name), reverse=True)


def fetch_feedback(course_dir: str | os.PathLike[str], student: str, assignment: str,
                   home: str | os.PathLike[str] | None = None) -> list[Path]:
    """Fetch ``assignment``'s released feedback for ``student`` into ``home/<assignment>/feedback/``
    and return the pages found there (empty: nothing released yet)."""
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange import ExchangeError
    from nbgrader.exchange.default import ExchangeFetchFeedback

    course_dir = Path(course_dir).resolve()
    home = (Path(home) if home is not None else course_dir / "trainees" / student).resolve()
    if not (home / assignment).is_dir():
        raise CohortError(f"{home / assignment}: 还没有领取或提交过这份作业")
    if not (home / CACHE_NAME).is_dir():
        raise CohortError(f"{home}: 没有提交记录(请先提交 {assignment})")
    cfg = trainee_nbgrader_config(course_dir, student, home)
    coursedir = CourseDirectory(config=cfg)
    coursedir.assignment_id = assignment
    coursedir.student_id = student
    ex = ExchangeFetchFeedback(coursedir=coursedir, authenticator=Authenticator(config=cfg), config=cfg)
    buf = io.StringIO()
    ex.log.handlers[:] = [logging.StreamHandler(buf)]
    ex.log.propagate = False
    try:
        ex.start()
    except ExchangeError as exc:
        raise CohortError(f"{student} 领取 {assignment} 的反馈失败:{exc}") from None
    return feedback_pages(home, assignment)
