"""JupyterHub spawner: each trainee's server runs as their own OS account (``kf-<name>``).

LocalProcessSpawner expects the OS account to be named like the hub user; ours carries a prefix
(see :mod:`kefu.hub.users`), so the setuid step, HOME and USER use the mapped name. The server is
given the trainee Jupyter configuration written by :mod:`kefu.hub.trainee` (which records
submissions under the roster id).
"""
from __future__ import annotations

import json
import os
import pwd
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from traitlets import Unicode

from .trainee import config_path_for, data_path_for, runtime_dir_for
from .users import ACCOUNTS_FILE, hub_dir


class KefuSpawner(LocalProcessSpawner):
    course_dir = Unicode(help="The cohort folder (its hub/accounts.json maps hub users)").tag(config=True)

    def _account(self) -> dict:
        data = json.loads((hub_dir(self.course_dir) / ACCOUNTS_FILE).read_text(encoding="utf-8"))
        entry = data["by_hub_name"].get(self.user.name)
        if entry is None:
            raise RuntimeError(f"kefu: {self.user.name} is not in {ACCOUNTS_FILE}")
        return entry

    def make_preexec_fn(self, name):
        return set_user_setuid(self._account()["os_name"])

    def user_env(self, env):
        acct = self._account()
        pw = pwd.getpwnam(acct["os_name"])
        env["USER"] = acct["os_name"]
        env["HOME"] = pw.pw_dir
        env["SHELL"] = pw.pw_shell or "/bin/bash"
        env["LANG"] = "zh_CN.UTF-8"
        # kefu.classroom's trainee configuration: nbgrader student id = roster id, Assignments panel only.
        # It is the config *dir*, root-owned: with the default ~/.jupyter first on the path, a
        # jupyter_server_config.py the trainee (or their kernel) writes there would run in this server,
        # outside the kernel's sandbox. Its custom/custom.css puts the panel in Chinese.
        env["JUPYTER_CONFIG_DIR"] = str(config_path_for(self.course_dir, acct["os_name"]))
        env.pop("JUPYTER_CONFIG_PATH", None)
        # JupyterLab keeps the trainee's own settings and layouts in their folder (not the locked one)
        env["JUPYTERLAB_SETTINGS_DIR"] = str(Path(pw.pw_dir) / ".jupyter" / "lab" / "user-settings")
        env["JUPYTERLAB_WORKSPACES_DIR"] = str(Path(pw.pw_dir) / ".jupyter" / "lab" / "workspaces")
        # no Python user site (~/.local/lib/python*/site-packages, ~/.local/etc/jupyter) in the server
        env["PYTHONNOUSERSITE"] = "1"
        # searched before the venv's share/jupyter: the bubblewrap python3 kernel wins there
        env["JUPYTER_PATH"] = str(data_path_for(self.course_dir, acct["os_name"]))
        # where the server keeps its connection info and token; the kernel's sandbox empties this folder
        env["JUPYTER_RUNTIME_DIR"] = str(runtime_dir_for(Path(pw.pw_dir)))
        if os.environ.get("KEFU_SEEDS"):
            env["KEFU_SEEDS"] = os.environ["KEFU_SEEDS"]
        return env

    async def start(self):
        if self._account()["role"] != "trainee":
            raise RuntimeError("阅卷员没有个人 JupyterLab:请从首页“Services”菜单打开阅卷页面(formgrader)")
        home = Path(pwd.getpwnam(self._account()["os_name"]).pw_dir)
        if not home.is_dir():
            raise RuntimeError(f"kefu: home folder {home} is missing")
        self.notebook_dir = str(home)
        return await super().start()
