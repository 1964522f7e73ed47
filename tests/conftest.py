"""Shared test set-up (owned by the lead; add fixtures in your own test modules or a conftest in a subfolder)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

# nbgrader creates gradebooks by running `alembic`: the venv's bin/ must be on PATH.
if str(BIN) not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = str(BIN) + os.pathsep + os.environ.get("PATH", "")
# Tests read the repository's seeds/ unless a test points KEFU_SEEDS elsewhere.
os.environ.setdefault("KEFU_SEEDS", str(REPO / "seeds"))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


def pytest_configure(config):
    # Issue 16: every server and worker a test starts must be gone when the run ends (tests/process_check.py).
    from process_check import LeftoverProcessCheck

    config.pluginmanager.register(LeftoverProcessCheck(), "kefu-leftover-process-check")
