"""Cohort folders: an nbgrader course directory per training cohort, and the trainer's workflow on it.

``load_config(course_dir)`` is the shared entry point (AUTOGRADE reads the config through it).
Heavy libraries (nbgrader) are imported inside functions.
"""
from .config import CohortError, ensure_bin_on_path, load_config
from .roster import RosterError, Trainee, read_roster

__all__ = ["CohortError", "RosterError", "Trainee", "ensure_bin_on_path", "load_config", "read_roster", "init_cohort"]


def init_cohort(*args, **kwargs):
    from .create import init_cohort as _init

    return _init(*args, **kwargs)
