"""The classroom: Jupyter servers for trainees (their own locked-down JupyterLab with nbgrader's
Assignments panel) and graders (formgrader), and the process handling that stops them cleanly.

Layering: imports kefu.cohort (cohort config, roster) and kefu.seeds; nothing below imports it.
``kefu hub`` builds its single-user servers from :mod:`kefu.classroom.trainee`.
"""
from .jupyter import JupyterDirs, chinese_ui_overrides, lab_command
from .process import descendants, run_server, stop_tree
from .trainee import (
    TRAINEE_DISABLED_PLUGINS,
    TRAINEE_SERVER_EXTENSIONS,
    SandboxMissing,
    TraineeLab,
    prepare_selfstudy_lab,
    prepare_trainee_lab,
    render_trainee_nbgrader_config,
    sandbox_kernel,
    trainee_exchange_settings,
    trainee_server_settings,
    write_trainee_config,
)

__all__ = [
    "JupyterDirs", "chinese_ui_overrides", "lab_command", "descendants", "run_server", "stop_tree",
    "TRAINEE_DISABLED_PLUGINS", "TRAINEE_SERVER_EXTENSIONS", "SandboxMissing", "TraineeLab", "prepare_selfstudy_lab",
    "prepare_trainee_lab", "render_trainee_nbgrader_config", "sandbox_kernel", "trainee_exchange_settings",
    "trainee_server_settings", "write_trainee_config",
]
