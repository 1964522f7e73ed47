"""Building blocks shared by every Jupyter server kefu starts: the Chinese UI, a private set of Jupyter
folders per server (config, data, runtime, settings), the page config that hides JupyterLab plugins,
and the command line of the server itself.

Everything is written into a *state folder* owned by one server (a trainee's, a grader's); nothing
goes into the virtual environment or the kit's tracked files.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

TRANSLATION_PLUGIN = "@jupyterlab/translation-extension:plugin"
NOTIFICATION_PLUGIN = "@jupyterlab/apputils-extension:notification"
LOCALE = "zh_CN"


def chinese_ui_overrides(app_settings_dir: str | os.PathLike[str]) -> Path:
    """Make JupyterLab open in Simplified Chinese without the news pop-up: write (merge) the translation
    plugin's locale into ``overrides.json`` of ``app_settings_dir`` (``LabApp.app_settings_dir``).
    Returns the file's path."""
    path = Path(app_settings_dir) / "overrides.json"
    data: dict = {}
    if path.is_file():
        try:
            data = json.loads(path.read_text(encoding="utf-8") or "{}")
        except (json.JSONDecodeError, UnicodeDecodeError):
            data = {}  # our own file, rewritten below
        if not isinstance(data, dict):
            data = {}
    data.setdefault(TRANSLATION_PLUGIN, {})["locale"] = LOCALE
    # no "news from Jupyter?" pop-up for trainees on a machine without internet access
    data.setdefault(NOTIFICATION_PLUGIN, {}).update({"fetchNews": "false", "checkForUpdates": False})
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if not path.is_file() or path.read_text(encoding="utf-8", errors="replace") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path


class JupyterDirs:
    """The private Jupyter folders of one server, all under ``state`` (created on demand)."""

    def __init__(self, state: str | os.PathLike[str]):
        self.state = Path(state).resolve()
        self.config = self.state / "config"            # JUPYTER_CONFIG_DIR
        self.data = self.state / "data"                # JUPYTER_DATA_DIR
        self.runtime = self.state / "runtime"          # JUPYTER_RUNTIME_DIR (holds tokens: private)
        self.app_settings = self.state / "app-settings"  # LabApp.app_settings_dir (zh-CN overrides)
        self.user_settings = self.state / "user-settings"
        self.workspaces = self.state / "workspaces"
        self.ipython = self.state / "ipython"

    def create(self) -> JupyterDirs:
        for path in (self.config, self.data, self.runtime, self.app_settings, self.user_settings,
                     self.workspaces, self.ipython):
            path.mkdir(parents=True, exist_ok=True)
        os.chmod(self.state, 0o700)
        chinese_ui_overrides(self.app_settings)
        return self

    def env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """``base`` (default: this process's environment) with the Jupyter folders pointed here."""
        env = dict(os.environ if base is None else base)
        env.update(
            JUPYTER_CONFIG_DIR=str(self.config),
            JUPYTER_DATA_DIR=str(self.data),
            JUPYTER_RUNTIME_DIR=str(self.runtime),
            JUPYTERLAB_SETTINGS_DIR=str(self.user_settings),
            JUPYTERLAB_WORKSPACES_DIR=str(self.workspaces),
            IPYTHONDIR=str(self.ipython),
            LANG="zh_CN.UTF-8",
        )
        # JUPYTER_PATH is searched before the venv's share/jupyter: our kernel spec wins there
        paths = [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p and p != str(self.data)]
        env["JUPYTER_PATH"] = os.pathsep.join([str(self.data), *paths])
        # nbgrader runs `alembic`; kernels import kefu: this interpreter's bin/ goes first on PATH
        bindir = str(Path(sys.executable).parent)
        parts = env.get("PATH", "").split(os.pathsep)
        if bindir not in parts:
            env["PATH"] = os.pathsep.join([bindir, *[p for p in parts if p]])
        return env

    def write_server_config(self, settings: dict) -> Path:
        """Write ``settings`` as this server's ``jupyter_server_config.json`` (read by ``jupyter lab``
        and by ``jupyterhub-singleuser`` alike)."""
        path = self.config / "jupyter_server_config.json"
        self.config.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(settings, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return path

    def write_disabled_plugins(self, plugins: list[str]) -> Path:
        """Hide JupyterLab plugins (whole extensions or single plugin ids) from this server's page."""
        path = self.config / "labconfig" / "page_config.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"disabledExtensions": {name: True for name in plugins}}
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        return path


def lab_settings(dirs: JupyterDirs) -> dict:
    """LabApp settings every kefu server shares: Chinese overrides, no news, no update check."""
    return {
        "app_settings_dir": str(dirs.app_settings),
        "news_url": None,
        "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
    }


def lab_command(root: str | os.PathLike[str], *, port: int, token: str, open_browser: bool = False,
                extra: list[str] | None = None) -> list[str]:
    """``python -m jupyterlab`` serving ``root`` on 127.0.0.1:``port`` with ``token``."""
    cmd = [
        sys.executable, "-m", "jupyterlab",
        f"--ServerApp.root_dir={Path(root).resolve()}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        # a taken port is an error, not a silent move to the next one: the printed URL must be right
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        "--ServerApp.open_browser=" + ("True" if open_browser else "False"),
        *(extra or []),
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers often run as root
        cmd.append("--allow-root")
    return cmd
