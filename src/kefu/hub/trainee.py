"""The Jupyter configuration of each trainee's hub server, built with the trainee API of
:mod:`kefu.classroom.trainee` (the same locked-down server ``kefu lab --course`` runs).

One folder per trainee, ``<cohort>/hub-trainee-config/<os account>/``, owned by root and readable
by that trainee's account only (group), so the trainee cannot change the student id it records.
The spawner points ``JUPYTER_CONFIG_PATH`` at its ``config/`` folder.
"""
from __future__ import annotations

import os
import pwd
from pathlib import Path

from .users import HubUser

TRAINEE_CONFIG_DIR = "hub-trainee-config"


def trainee_config_root(course_dir) -> Path:
    return Path(course_dir).resolve() / TRAINEE_CONFIG_DIR


def config_path_for(course_dir, os_name: str) -> Path:
    """The ``JUPYTER_CONFIG_PATH`` entry of one trainee's server."""
    return trainee_config_root(course_dir) / os_name / "config"


def write_trainee_configs(course_dir, users: list[HubUser]) -> Path:
    """Write every trainee's configuration (rewritten at each ``kefu hub up``); returns the root."""
    from kefu.classroom.jupyter import JupyterDirs, chinese_ui_overrides
    from kefu.classroom.trainee import trainee_exchange_settings, write_trainee_config

    root = trainee_config_root(course_dir)
    root.mkdir(exist_ok=True)
    os.chmod(root, 0o711)
    exchange = trainee_exchange_settings(course_dir)
    for u in users:
        if u.role != "trainee":
            continue
        pw = pwd.getpwnam(u.os_name)
        dirs = JupyterDirs(root / u.os_name)
        write_trainee_config(dirs, student_id=u.id, home=pw.pw_dir, exchange=exchange)
        chinese_ui_overrides(dirs.app_settings)
        # root-owned, group of the trainee's account: readable by them, writable by nobody else
        for path in [dirs.state, *sorted(dirs.state.rglob("*"))]:
            os.chown(path, 0, pw.pw_gid)
            os.chmod(path, 0o750 if path.is_dir() else 0o640)
    return root
