"""``kefu hub``: a cohort folder served by JupyterHub on one machine.

Layers (lowest first): ``users`` (who logs in, hub and OS names), ``passwords`` (hashed logins),
``accounts`` (OS accounts, permissions), ``trainee`` (the trainee server's Jupyter config),
``settings`` (the hub's jupyterhub_config.py), ``gradebook_db`` (SQLite or PostgreSQL),
``run`` (``kefu hub up``). ``authenticator`` and ``spawner`` are loaded by JupyterHub itself.

The hub's own state lives in ``<cohort>/hub/`` (root only, mode 0700).
"""
from __future__ import annotations

HUB_DIR = "hub"
