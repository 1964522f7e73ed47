"""The Jupyter configuration a trainee's hub server reads (``JUPYTER_CONFIG_PATH``).

Only the trainee side of nbgrader: the Assignments panel (fetch, submit, fetch feedback) and Validate;
no formgrader, course list or Create Assignment, no terminal. nbgrader's student id is the roster id
the spawner passes in ``KEFU_STUDENT_ID`` (the OS account carries a ``kf-`` prefix).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

TRAINEE_CONFIG_DIR = "hub-trainee-config"

SERVER_EXTENSIONS = {
    "nbgrader.server_extensions.formgrader": False,
    "nbgrader.server_extensions.course_list": False,
    "nbgrader.server_extensions.assignment_list": True,
    "nbgrader.server_extensions.validate_assignment": True,
}
DISABLED_LAB_PLUGINS = [
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:create-assignment",
    "@jupyterlab/terminal-extension:plugin",
    "@jupyterlab/terminal-extension",
]


def write_trainee_config(course_dir: Path, cfg) -> Path:
    """Write ``<cohort>/hub-trainee-config/`` (readable by every account) from the cohort's config."""
    d = Path(course_dir).resolve() / TRAINEE_CONFIG_DIR
    (d / "labconfig").mkdir(parents=True, exist_ok=True)
    (d / "jupyter_server_config.json").write_text(json.dumps({
        "ServerApp": {"jpserver_extensions": SERVER_EXTENSIONS, "terminals_enabled": False},
    }, indent=1) + "\n", encoding="utf-8")
    (d / "labconfig" / "page_config.json").write_text(json.dumps({
        "disabledExtensions": {p: True for p in DISABLED_LAB_PLUGINS},
    }, indent=1) + "\n", encoding="utf-8")
    ex = cfg.Exchange
    lines = [
        "# Trainee side of the cohort (written by `kefu hub up`; do not edit, it is rewritten).",
        "import os",
        "c = get_config()  # noqa: F821",
        f"c.CourseDirectory.course_id = {cfg.CourseDirectory.course_id!r}",
        f"c.Exchange.root = {str(ex.root)!r}",
        f"c.Exchange.path_includes_course = {bool(ex.get('path_includes_course', False))!r}",
        f"c.Exchange.timezone = {str(ex.get('timezone', 'UTC'))!r}",
        "# nbgrader would record the OS account (kf-...) as the student: use the roster id instead",
        "if os.environ.get('KEFU_STUDENT_ID'):",
        "    c.CourseDirectory.student_id = os.environ['KEFU_STUDENT_ID']",
    ]
    (d / "nbgrader_config.py").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for p in [d, d / "labconfig"]:
        os.chmod(p, 0o755)
    for f in d.rglob("*"):
        if f.is_file():
            os.chmod(f, 0o644)
    return d
