"""The Jupyter configuration of each trainee's hub server, built with the trainee API of
:mod:`kefu.classroom.trainee` (the same locked-down server ``kefu lab --course`` runs).

One folder per trainee, ``<cohort>/hub-trainee-config/<os account>/``, owned by root and readable
by that trainee's account only (group), so the trainee cannot change the student id it records.
The spawner points ``JUPYTER_CONFIG_DIR`` at its ``config/`` folder and ``JUPYTER_PATH`` at its
``data/`` folder, whose python3 kernel runs in bubblewrap (:mod:`kefu.classroom.kernel`): the
trainee's code sees neither the cohort folder, nor the exchange, nor the kit's assignments.
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
    """The ``JUPYTER_CONFIG_DIR`` of one trainee's server (root-owned: the trainee cannot add to it)."""
    return trainee_config_root(course_dir) / os_name / "config"


def runtime_dir_for(home: Path) -> Path:
    """The ``JUPYTER_RUNTIME_DIR`` of one trainee's server (Jupyter's default, named so the spawner and the kernel
    sandbox agree): it holds the server's connection info and token, emptied in the kernel's view."""
    return Path(home) / ".local" / "share" / "jupyter" / "runtime"


def data_path_for(course_dir, os_name: str) -> Path:
    """The ``JUPYTER_PATH`` entry (sandboxed kernel spec) of one trainee's server."""
    return trainee_config_root(course_dir) / os_name / "data"


def write_trainee_configs(course_dir, users: list[HubUser]) -> Path:
    """Write every trainee's configuration (rewritten at each ``kefu hub up``); returns the root.
    Raises :class:`kefu.classroom.trainee.SandboxMissing` (a CohortError) when bubblewrap cannot run."""
    from kefu.classroom.jupyter import JupyterDirs, chinese_ui_overrides
    from kefu.classroom.trainee import sandbox_kernel, trainee_exchange_settings, write_trainee_config

    course_dir = Path(course_dir).resolve()
    exchange = trainee_exchange_settings(course_dir)
    # the cohort folder (gradebook, source/, other trainees' configs) and the exchange: never seen by a
    # kernel (kefu.classroom adds the kit's assignments/)
    protected = [course_dir, Path(str(exchange["exchange_root"]))]
    root = trainee_config_root(course_dir)
    root.mkdir(exist_ok=True)
    os.chmod(root, 0o711)
    for u in users:
        if u.role != "trainee":
            continue
        pw = pwd.getpwnam(u.os_name)
        dirs = JupyterDirs(root / u.os_name)
        home = Path(pw.pw_dir)
        write_trainee_config(dirs, student_id=u.id, home=home, exchange=exchange)
        chinese_ui_overrides(dirs.app_settings)
        sandbox_kernel(dirs, home, protected, required=True, server_runtime=runtime_dir_for(home))
        # root-owned, group of the trainee's account: readable by them, writable by nobody else
        for path in [dirs.state, *sorted(dirs.state.rglob("*"))]:
            os.chown(path, 0, pw.pw_gid)
            os.chmod(path, 0o750 if path.is_dir() else 0o640)
    return root
