"""Session end: nothing the tests started is still running (issue 16: servers stop cleanly).

Registered for every run by tests/conftest.py. Processes are recognised by a command line or working
folder inside pytest's temporary folder, where every test keeps its cohorts, servers and kernels.
"""
from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest


def processes_under(folder: str) -> list[tuple[int, str]]:
    """Live processes (not this one) whose command line or working folder points into ``folder``."""
    found = []
    me = os.getpid()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == me:
            continue
        try:
            if (entry / "stat").read_text().split(") ", 1)[1].startswith("Z"):
                continue  # a zombie holds nothing and is gone once reaped
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace").strip()
            try:
                cwd = os.readlink(entry / "cwd")
            except OSError:
                cwd = ""
        except (OSError, IndexError):
            continue
        if folder in cmd or cwd == folder or cwd.startswith(folder + os.sep):
            found.append((int(entry.name), cmd or cwd))
    return found


def kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


class LeftoverProcessCheck:
    """At session finish (after every fixture has been torn down) fail the run if anything the tests
    started is still running, and end it."""

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):
        factory = getattr(session.config, "_tmp_path_factory", None)
        if factory is None:
            return
        basetemp = str(factory.getbasetemp())
        deadline = time.monotonic() + 5  # servers told to stop a moment ago may still be exiting
        left = processes_under(basetemp)
        while left and time.monotonic() < deadline:
            time.sleep(0.25)
            left = processes_under(basetemp)
        if not left:
            return
        for pid, _ in left:
            kill(pid)
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        lines = [f"{len(left)} process(es) started by the tests were still running at the end (now killed):"]
        lines += [f"  pid {pid}: {cmd[:200]}" for pid, cmd in left]
        if reporter is not None:
            reporter.write_line("\n".join(lines), red=True)
        else:  # pragma: no cover
            print("\n".join(lines), file=sys.stderr)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
