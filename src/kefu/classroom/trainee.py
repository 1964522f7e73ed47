"""A trainee's own JupyterLab: folder, nbgrader identity and a locked-down server configuration.

The function API (also used by ``kefu hub`` for its single-user servers):

- :func:`trainee_exchange_settings` — the few nbgrader settings a trainee needs from the cohort's
  ``nbgrader_config.py`` (course id, exchange root and timestamp rules; never the gradebook).
- :func:`render_trainee_nbgrader_config` — the text of the trainee's own ``nbgrader_config.py``,
  which records submissions under the trainee's id (``CourseDirectory.student_id``).
- :func:`trainee_server_settings` / :data:`TRAINEE_DISABLED_PLUGINS` — the server and JupyterLab
  settings that leave only the Assignments panel (fetch, submit, fetch feedback, validate): no
  formgrader, no course list, no Create Assignment, no terminal, no hidden files.
- :func:`write_trainee_config` — all of the above written into one ``JUPYTER_CONFIG_DIR``, with the
  Chinese Validate texts and local panel times of :mod:`kefu.classroom.trainee_panel`.
- :func:`prepare_trainee_lab` — for ``kefu lab --course``: checks the trainee is on the roster,
  creates their folder with their own copy of the practice notebooks, writes the configuration
  into ``<home>/.kefu-lab/`` and returns a :class:`TraineeLab` with the command and environment.
"""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from kefu.cohort.config import CohortError, load_config

from .jupyter import JupyterDirs, lab_command, lab_settings
from .trainee_panel import DIALOG_CSS, list_config_lines, validator_config_lines

STATE_NAME = ".kefu-lab"          # inside the trainee's folder; hidden, so the file browser never shows it
CACHE_NAME = ".nbgrader_cache"    # as kefu.cohort.workflow.trainee_config (kefu fetch/submit) uses
PRACTICE_NAME = "练习"             # the trainee's own copies of the practice notebooks

# Server extensions a trainee's server runs: nbgrader's assignment list and validate only, both with
# configuration from Jupyter's config path only (never the trainee's folder); Validate answers in Chinese
# (kefu.classroom.trainee_panel).
TRAINEE_SERVER_EXTENSIONS = {
    "jupyterlab": True,
    # nbgrader's panel handlers with configuration from the config path only (kefu.classroom.assignment_list)
    "nbgrader.server_extensions.assignment_list": False,
    "kefu.classroom.assignment_list": True,
    "nbgrader.server_extensions.validate_assignment": False,
    "kefu.classroom.trainee_panel": True,
    "nbgrader.server_extensions.formgrader": False,
    "nbgrader.server_extensions.course_list": False,
    "jupyter_server_terminals": False,
    "jupyter_lsp": False,
    "notebook": False,        # the classic-style /tree page would bring nbgrader's menus back
    "notebook_shim": False,
}

# JupyterLab plugins hidden from trainees (the nbgrader menu then only offers the Assignment List).
TRAINEE_DISABLED_PLUGINS = [
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:formgrader",         # the Formgrader menu entries and main-area widget
    "@jupyter/nbgrader:create-assignment",
    "@jupyterlab/terminal-extension",
    "@jupyterlab/extensionmanager-extension",
    "@jupyter-notebook/lab-extension",      # "open in Notebook" buttons: the notebook server is off
]


def trainee_exchange_settings(course_dir: str | os.PathLike[str]) -> dict[str, object]:
    """Course id and exchange settings from the cohort's ``nbgrader_config.py`` (CohortError if none)."""
    cfg = load_config(course_dir)
    course_id = cfg.CourseDirectory.get("course_id")
    root = cfg.Exchange.get("root")
    if not course_id or not root:
        raise CohortError(f"{Path(course_dir) / 'nbgrader_config.py'}: 缺少 course_id 或 Exchange.root;"
                          "请用 kefu cohort init 重新生成培训班文件夹")
    out: dict[str, object] = {"course_id": str(course_id), "exchange_root": str(root)}
    for key in ("timezone", "path_includes_course"):
        if key in cfg.Exchange:
            out[key] = cfg.Exchange[key]
    # the cohort's own timezone, for what the trainee's panel shows (Exchange.timezone stays UTC)
    zone = _cohort_timezone(course_dir) or cfg.NbGraderAPI.get("timezone")
    if zone:
        out["display_timezone"] = str(zone)
    return out


def _cohort_timezone(course_dir: str | os.PathLike[str]) -> str | None:
    from kefu.cohort.create import load_meta

    try:
        return load_meta(course_dir).get("timezone") or None
    except (CohortError, OSError, ValueError):
        return None


def render_trainee_nbgrader_config(*, student_id: str, home: str | os.PathLike[str], course_id: str,
                                   exchange_root: str, timezone: str = "UTC",
                                   path_includes_course: bool = False, display_timezone: str | None = None) -> str:
    """The trainee's ``nbgrader_config.py``. nbgrader's ``get_username()`` takes the OS user (only
    ``jovyan`` defers to $JUPYTERHUB_USER), so the trainee's id is set explicitly here.
    ``timezone`` is what submissions are written in (the cohort's ``Exchange.timezone``, UTC);
    ``display_timezone`` the one the Assignments panel shows times in (default: ``timezone``).
    ``nbgrader validate`` and the panel's Validate answer in Chinese."""
    home = Path(home).resolve()
    lines = [
        "# A kefu-kit trainee's nbgrader configuration (written by kefu; rewritten on every start).",
        "c = get_config()  # noqa: F821",
        f"c.CourseDirectory.course_id = {course_id!r}",
        f"c.CourseDirectory.student_id = {student_id!r}",
        f"c.Exchange.root = {str(exchange_root)!r}",
        f"c.Exchange.assignment_dir = {str(home)!r}",
        f"c.Exchange.cache = {str(home / CACHE_NAME)!r}",
        f"c.Exchange.timezone = {timezone!r}",
        f"c.Exchange.path_includes_course = {bool(path_includes_course)!r}",
        *list_config_lines(display_timezone or timezone),
        *validator_config_lines(),
    ]
    return "\n".join(lines) + "\n"


def trainee_server_settings(dirs: JupyterDirs | None = None) -> dict:
    """``jupyter_server_config.json`` of a trainee's server."""
    settings: dict = {
        "ServerApp": {
            "jpserver_extensions": dict(TRAINEE_SERVER_EXTENSIONS),
            "terminals_enabled": False,
            # links in the trainee's folder are not followed out of it (kefu.classroom.contents)
            "contents_manager_class": "kefu.classroom.contents.FolderContentsManager",
        },
        # dot-folders (.kefu-lab with the config, .nbgrader_cache) are neither listed nor served
        "ContentsManager": {"allow_hidden": False},
        # deleted files stay out of the OS user's trash (shared by every trainee on one machine)
        "FileContentsManager": {"delete_to_trash": False},
    }
    if dirs is not None:
        # custom.css (written by write_trainee_css): the Validate dialog's headings in Chinese
        settings["LabApp"] = {**lab_settings(dirs), "custom_css": True}
    return settings


def write_trainee_css(dirs: JupyterDirs) -> Path:
    """``custom/custom.css`` of the server's config folder (served with ``LabApp.custom_css``)."""
    path = dirs.config / "custom" / "custom.css"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(DIALOG_CSS, encoding="utf-8")
    return path


def write_trainee_config(dirs: JupyterDirs, *, student_id: str, home: str | os.PathLike[str],
                         exchange: dict[str, object]) -> Path:
    """Write a trainee's whole ``JUPYTER_CONFIG_DIR`` (``dirs.config``: server settings, hidden
    plugins, nbgrader identity); ``exchange`` comes from :func:`trainee_exchange_settings`.
    Returns ``dirs.config``."""
    dirs.write_server_config(trainee_server_settings(dirs))
    dirs.write_disabled_plugins(TRAINEE_DISABLED_PLUGINS)
    write_trainee_css(dirs)
    # jupyter_core's marker for "IPython config already migrated": without it a server whose ~/.ipython
    # exists writes the marker into this folder at start, and fails where the folder is read-only (hub)
    (dirs.config / "migrated").write_text("", encoding="utf-8")
    path = dirs.config / "nbgrader_config.py"
    path.write_text(render_trainee_nbgrader_config(student_id=student_id, home=home, **exchange), encoding="utf-8")
    return dirs.config


def copy_practice(notebooks: str | os.PathLike[str] | None, dest: str | os.PathLike[str]) -> list[Path]:
    """Copy the practice notebooks that ``dest`` does not have yet (a trainee's edits are never
    overwritten; a new chapter added to the kit appears on the next start). Returns the new copies."""
    src = Path(notebooks) if notebooks is not None else kit_notebooks()
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    made = []
    for nb in sorted(src.glob("*.ipynb")) if src.is_dir() else []:
        target = dest / nb.name
        if not target.exists():
            shutil.copyfile(nb, target)
            made.append(target)
    return made


def kit_notebooks() -> Path:
    """The kit's practice notebooks (next to its seeds/ folder)."""
    from kefu.seeds import seeds_dir

    try:
        return seeds_dir().resolve().parent / "notebooks"
    except FileNotFoundError:
        return Path("notebooks")


def _contains(parent: Path, path: Path) -> bool:
    return path == parent or parent in path.parents


class SandboxMissing(CohortError):
    """bubblewrap is not installed: trainee code cannot be kept away from the trainer's data."""


def sandbox_kernel(dirs: JupyterDirs, home: Path, protected: list[Path], *, required: bool,
                   server_runtime: Path | None = None) -> bool:
    """Replace the server's python3 kernel by the bubblewrap one (kefu.classroom.kernel).
    Without bwrap: SandboxMissing when ``required``, else False (stock kernel). ``server_runtime``: the server's
    JUPYTER_RUNTIME_DIR when it is not ``dirs.runtime`` (the hub's servers), emptied in the kernel's view."""
    from .kernel import bwrap_problem, write_sandboxed_kernelspec

    spec = dirs.data / "kernels" / "python3"
    problem = bwrap_problem()
    if problem is not None:
        if spec.is_dir():
            shutil.rmtree(spec)
        if required:
            raise SandboxMissing(f"{problem}:学员的代码无法与成绩册、答案隔离,拒绝启动;"
                                 "请先安装 bubblewrap(Debian/Ubuntu:apt-get install bubblewrap),"
                                 "并允许非特权用户命名空间")
        return False
    from .kernel import kit_hidden_paths, kit_root, public_seeds

    kit = kit_root()
    write_sandboxed_kernelspec(dirs.data, home=home, state=dirs.state, ipython_dir=dirs.ipython,
                               # the kit's checkout too: its .git history, demo cohorts and keys
                               hidden=[Path.home(), Path("/root"), *([kit] if kit else [])],
                               protected=[*protected, *kit_hidden_paths()],
                               seeds_view=public_seeds(dirs.state / "public-seeds"),
                               server_runtime=server_runtime or dirs.runtime)
    # in a virtual environment jupyter_core prefers the venv's stock python3 spec to JUPYTER_DATA_DIR's:
    # JupyterDirs.env() puts the data folder on JUPYTER_PATH (searched first); no native fallback either
    config = dirs.config / "jupyter_server_config.json"
    settings = json.loads(config.read_text(encoding="utf-8")) if config.is_file() else {}
    # and no other spec at all: one the trainee writes into ~/.local/share/jupyter/kernels (their own,
    # writable folder, still on Jupyter's data path) would start a kernel outside bubblewrap
    settings["KernelSpecManager"] = {"ensure_native_kernel": False, "allowed_kernelspecs": ["python3"]}
    settings.setdefault("ServerApp", {})["kernel_spec_manager_class"] = "kefu.classroom.kernelspecs.AllowedKernelSpecs"
    dirs.write_server_config(settings)
    return True


@dataclass
class TraineeLab:
    """A prepared trainee server: run :meth:`command` with :meth:`env` in :attr:`home`."""

    student: str
    home: Path
    dirs: JupyterDirs
    sandboxed: bool = False

    def env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        env = self.dirs.env(base)
        # kernels started from the trainee's folder still find the kit's seeds
        try:
            from kefu.seeds import seeds_dir

            env.setdefault("KEFU_SEEDS", str(seeds_dir().resolve()))
        except FileNotFoundError:
            pass
        return env

    def command(self, *, port: int, token: str, open_browser: bool = False) -> list[str]:
        return lab_command(self.home, port=port, token=token, open_browser=open_browser,
                           extra=[f"--LabApp.app_settings_dir={self.dirs.app_settings}"])


def prepare_trainee_lab(course_dir: str | os.PathLike[str], student: str, home: str | os.PathLike[str] | None = None,
                        *, notebooks: str | os.PathLike[str] | None = None) -> TraineeLab:
    """Everything ``kefu lab --course DIR --student ID`` needs before the server starts."""
    from kefu.cohort.workflow import roster_ids

    course_dir = Path(course_dir).resolve()
    exchange = trainee_exchange_settings(course_dir)
    if student not in roster_ids(course_dir):
        raise CohortError(f"工号“{student}”不在本班名单中(培训班 {course_dir})")
    home = Path(home) if home is not None else course_dir / "trainees" / student
    home = home.resolve()
    exchange_root = Path(str(exchange["exchange_root"])).resolve()
    for guarded, what in ((course_dir, "培训班文件夹"), (exchange_root, "交换文件夹")):
        # the trainee's file browser must not reach the gradebook, source/ or the exchange
        if _contains(home, guarded) or (_contains(guarded, home) and not _contains(course_dir / "trainees", home)):
            raise CohortError(f"--home {home}: 学员文件夹不能包含或位于{what} {guarded} 中"
                              f"(默认 {course_dir / 'trainees' / student})")
    home.mkdir(parents=True, exist_ok=True)
    copy_practice(notebooks, home / PRACTICE_NAME)
    dirs = JupyterDirs(home / STATE_NAME).create()
    write_trainee_config(dirs, student_id=student, home=home, exchange=exchange)
    # the cohort folder (gradebook, source/, other trainees) and the exchange: never seen by a kernel
    sandboxed = sandbox_kernel(dirs, home, [course_dir, exchange_root], required=True)
    return TraineeLab(student=student, home=home, dirs=dirs, sandboxed=sandboxed)


def prepare_selfstudy_lab(home: str | os.PathLike[str], *, notebooks: str | os.PathLike[str] | None = None) -> TraineeLab:
    """Plain ``kefu lab``: the practice notebooks copied into ``home`` (never edited in place), no cohort."""
    home = Path(home).resolve()
    copy_practice(notebooks, home)
    dirs = JupyterDirs(home / STATE_NAME).create()
    settings = trainee_server_settings(dirs)
    # self-study: no cohort, so no Assignments panel either (it would only show an exchange error)
    settings["ServerApp"]["jpserver_extensions"]["kefu.classroom.assignment_list"] = False
    dirs.write_server_config(settings)
    dirs.write_disabled_plugins([*TRAINEE_DISABLED_PLUGINS, "@jupyter/nbgrader:assignment-list", "@jupyter/nbgrader:menu"])
    write_trainee_css(dirs)
    # on one's own machine a missing bwrap is only a warning (there is no cohort to protect)
    sandboxed = sandbox_kernel(dirs, home, [], required=False)
    return TraineeLab(student="", home=home, dirs=dirs, sandboxed=sandboxed)
