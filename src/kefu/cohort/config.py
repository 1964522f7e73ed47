"""The cohort folder's ``nbgrader_config.py`` and :func:`load_config`.

A cohort folder is an ordinary nbgrader course directory. Its config resolves every path relative to
the folder itself, so the folder can be moved or copied whole.
"""
from __future__ import annotations

import ast
import os
import sys
from pathlib import Path


CONFIG_NAME = "nbgrader_config.py"
DB_NAME = "gradebook.db"
EXCHANGE_NAME = "exchange"
LATE_PLUGIN_MODULE = "kefu_late_plugin"
#: root-only file (mode 0600) holding the cohort's database URL when it is not the SQLite gradebook.db
#: (``kefu hub db --db postgresql://…``); the URL may carry a password, so it never goes into the config
DB_URL_FILE = "gradebook_url"
DB_URL_MARK = "# kefu hub: gradebook database named in gradebook_url"
#: lines below this one in a cohort's nbgrader_config.py are the trainer's own: `kefu cohort upgrade` keeps them
OWN_SETTINGS_MARKER = "# ---- 以下是培训老师自己添加的设置(kefu cohort upgrade 会原样保留)----"


class CohortError(Exception):
    """A problem with a cohort folder or a workflow step, with a Chinese message for the trainer."""


def ensure_bin_on_path() -> None:
    """nbgrader runs ``alembic`` to create a gradebook: put this interpreter's bin/ on PATH."""
    bindir = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if bindir not in parts:
        os.environ["PATH"] = os.pathsep.join([bindir, *parts])


def late_plugin_class(plugin_file: Path) -> str | None:
    """Name of the LateSubmissionPlugin subclass defined in ``plugin_file`` (without importing it)."""
    try:
        tree = ast.parse(plugin_file.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return None
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
                if name == "LateSubmissionPlugin":
                    return node.name
    return None


def render_config(
    course_id: str,
    *,
    timezone: str,
    exchange: str | None = None,
    late_plugin: str | None = None,
    keys_dir: str | None = None,
) -> str:
    """The text of a cohort's nbgrader_config.py. ``exchange`` None = ``exchange/`` inside the folder.

    ``keys_dir``: the instructor-side keys folder (``assignments/_keys`` of the kit by default) that
    the trusted scoring step reads; it stays outside the cohort folder and is never released."""
    from kefu.authoring.cells import CODE_STUB, TEXT_STUB  # here, not at the top: it imports nbformat (~1 s)

    from kefu.autograde.pipeline import config_lines

    if keys_dir is None:
        from kefu.seeds import seeds_dir

        keys_dir = str(seeds_dir().parent / "assignments" / "_keys")
    exch = f"{exchange!r}" if exchange else f"os.path.join(_here, {EXCHANGE_NAME!r})"
    lines = [
        "# nbgrader configuration of a kefu-kit cohort (written by `kefu cohort init`).",
        "# Paths are relative to this file, so the cohort folder can be moved as a whole.",
        "import os",
        "import sys",
        "",
        "c = get_config()  # noqa: F821",
        "_here = os.path.dirname(os.path.abspath(__file__))",
        "c.CourseDirectory.root = _here",
        f"c.CourseDirectory.course_id = {course_id!r}",
        f"c.CourseDirectory.db_url = 'sqlite:///' + os.path.join(_here, {DB_NAME!r})",
        *db_url_lines(),
        f"c.Exchange.root = {exch}",
        "# Exchange timestamps are written in UTC: nbgrader cannot read back the zone abbreviation of",
        "# Asia/Shanghai ('CST') and would shift every submission by 8 hours; kefu displays local time.",
        "c.Exchange.timezone = 'UTC'",
        f"c.NbGraderAPI.timezone = {timezone!r}",
        "c.Exchange.path_includes_course = False",
        "c.ExchangeCollect.check_owner = False",
        "# Released answer cells show a hint for trainees instead of `raise NotImplementedError()`.",
        f"c.ClearSolutions.code_stub = {{'python': {CODE_STUB!r}}}",
        f"c.ClearSolutions.text_stub = {TEXT_STUB!r}",
    ]
    if late_plugin:
        lines += [
            "# Late exams score zero (autograde/late_plugin.py of the kit, copied here).",
            "if _here not in sys.path:",
            "    sys.path.insert(0, _here)",
            f"c.AssignLatePenalties.plugin_class = '{LATE_PLUGIN_MODULE}.{late_plugin}'",
        ]
    else:
        lines += [
            "# No late plugin in the kit: nbgrader takes nothing off; kefu's gradebook scores late exams zero.",
            "c.LateSubmissionPlugin.penalty_method = 'none'",
        ]
    lines += config_lines(repr(str(keys_dir)))
    lines += ["", OWN_SETTINGS_MARKER]
    return "\n".join(lines) + "\n"


def db_url_lines() -> list[str]:
    """The config lines that point the cohort at another database when ``gradebook_url`` exists.

    Only a process that may read the root-only file (the trainer's commands, the hub's formgrader)
    switches; anyone else keeps the SQLite default instead of failing to load the config."""
    return [
        f"{DB_URL_MARK} (kefu hub db --db; the file is root-only: it may hold a password)",
        f"_db_url_file = os.path.join(_here, {DB_URL_FILE!r})",
        "if os.path.isfile(_db_url_file) and os.access(_db_url_file, os.R_OK):",
        "    with open(_db_url_file, encoding='utf-8') as _fh:",
        "        c.CourseDirectory.db_url = _fh.read().strip() or c.CourseDirectory.db_url",
    ]


def config_path(course_dir: str | os.PathLike[str]) -> Path:
    return Path(course_dir) / CONFIG_NAME


def load_config(course_dir: str | os.PathLike[str]):
    """The cohort's nbgrader configuration as a ``traitlets.config.Config``.

    Raises :class:`CohortError` (Chinese message) when the folder is not a cohort folder.
    """
    from traitlets.config.loader import ConfigFileNotFound, PyFileConfigLoader

    course_dir = Path(course_dir).resolve()
    path = config_path(course_dir)
    if not path.is_file():
        raise CohortError(
            f"{course_dir}: 不是培训班文件夹(缺少 {CONFIG_NAME});请先运行 kefu cohort init {course_dir} --roster 名单.xlsx"
        )
    try:
        return PyFileConfigLoader(CONFIG_NAME, path=str(course_dir)).load_config()
    except ConfigFileNotFound:  # pragma: no cover - checked above
        raise CohortError(f"{path}: 找不到配置文件") from None
    except Exception as exc:
        raise CohortError(f"{path}: 配置文件有错误({exc.__class__.__name__}: {exc})") from None
