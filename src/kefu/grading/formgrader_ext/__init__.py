"""kefu's additions to the grader's formgrader (a Jupyter server extension loaded after nbgrader's).

1. Late exams show as 0. nbgrader's formgrader lists the raw sum of grades and ignores the late penalty;
   kefu's gradebook and feedback count a late exam as 0 (``autograde/late_plugin.py`` ``is_late_exam``).
   The submission API handlers are subclassed (same URLs, registered in front of nbgrader's) and their
   JSON is rewritten: ``score`` 0, ``kefu_raw_score``, ``kefu_late_exam`` and the marker
   "迟交,按考试规则记 0 分" appended to ``display_timestamp`` (formgrader's pages show it as text).
2. The grader's guide inside formgrader: ``/formgrader/kefu-guide/<assignment>`` renders
   :mod:`kefu.grading.guide`; a search path put in front of formgrader's Jinja loader adds a link to it
   on Manage Submissions and the two Manual Grading lists (the overrides extend nbgrader's own templates
   through the ``nbgrader/`` prefix, nothing is copied).

Only the grader's server loads it (``kefu formgrader``, the hub's formgrader service); trainee servers
do not load formgrader at all.
"""
from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

LATE_MARK = "迟交,按考试规则记 0 分"
EXTENSION = "kefu.grading.formgrader_ext"
TEMPLATES = Path(__file__).parent / "templates"


@functools.lru_cache(maxsize=1)
def _late_rule():
    """``is_late_exam`` of the kit's late plugin (autograde/late_plugin.py), the rule nbgrader applies."""
    from kefu.seeds import seeds_dir

    path = seeds_dir().parent / "autograde" / "late_plugin.py"
    spec = importlib.util.spec_from_file_location("kefu_formgrader_late_plugin", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.is_late_exam


def mark_late(item: dict, assignment_id: str, seconds_late: float, is_late_exam) -> dict:
    """One submission dict of nbgrader's API, counted as a kefu late exam if it is one."""
    if not is_late_exam(assignment_id, float(seconds_late or 0)):
        return item
    item = dict(item)
    item["kefu_raw_score"] = item.get("score")
    item["kefu_late_exam"] = True
    item["kefu_late_note"] = LATE_MARK
    item["score"] = 0.0
    shown = item.get("display_timestamp") or ""
    item["display_timestamp"] = f"{shown} · {LATE_MARK}" if shown else LATE_MARK
    return item


def _jupyter_server_extension_points():
    return [{"module": EXTENSION}]


def _load_jupyter_server_extension(serverapp):
    from tornado.ioloop import IOLoop

    from .handlers import install

    if serverapp.web_app.settings.get("nbgrader_jinja2_env") is not None:
        install(serverapp.web_app, serverapp.log)
    else:
        # jupyter_server loads extensions alphabetically: "kefu…" comes before "nbgrader…". Install once
        # the loop runs, i.e. after every extension is loaded and before the first request is served.
        IOLoop.current().add_callback(install, serverapp.web_app, serverapp.log)


load_jupyter_server_extension = _load_jupyter_server_extension
