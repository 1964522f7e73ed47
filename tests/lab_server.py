"""Helpers for the classroom tests: a cohort made through the real CLI, and `kefu lab` / `kefu formgrader`
started in a subprocess, talked to over HTTP with its token, and stopped with a signal."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

KEFU = [sys.executable, "-m", "kefu.cli.main"]
AID = "ch01-service-mindset"


def kefu(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*KEFU, *args], capture_output=True, text=True, timeout=600, **kw)


def make_cohort(root: Path, ids: list[str], release: tuple[str, ...] = (AID,)) -> Path:
    roster = root / "名单.csv"
    roster.write_text("工号,姓名,班组,入职日期\n" + "".join(f"{i},学员{i},1组,2025-03-03\n" for i in ids),
                      encoding="utf-8")
    course = root / "cohort"
    res = kefu("cohort", "init", str(course), "--roster", str(roster))
    assert res.returncode == 0, res.stderr
    for aid in release:
        res = kefu("release", aid, "--course", str(course))
        assert res.returncode == 0, res.stderr
    return course


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_time(pid: int) -> str | None:
    """Start time of a living (non-zombie) process, None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except OSError:
        return None
    fields = stat[stat.rfind(b")") + 2:].split()
    return None if fields[0] in (b"Z", b"X") else fields[19].decode()


class Server:
    """A `kefu lab`/`kefu formgrader` subprocess; ``url`` is the address it printed on stdout."""

    def __init__(self, args: list[str], log: Path, env: dict[str, str] | None = None, page: str = "lab"):
        self.log_path = log
        self._log = open(log, "w")
        self.proc = subprocess.Popen([*KEFU, *args], stdout=subprocess.PIPE, stderr=self._log, text=True,
                                     env=env)
        line = self.proc.stdout.readline().strip()
        assert line.startswith("地址: http://127.0.0.1:"), f"no address printed: {line!r}\n{self.log()}"
        self.url = line.split(" ", 1)[1]
        self.base = self.url.split(f"/{page}?", 1)[0]
        self.token = self.url.rsplit("token=", 1)[1]
        deadline = time.time() + 120
        while True:
            try:
                self.request("GET", "/api/status")
                break
            except (OSError, urllib.error.URLError):
                assert self.proc.poll() is None, f"server exited ({self.proc.returncode}):\n{self.log()}"
                assert time.time() < deadline, f"server not ready in 120 s:\n{self.log()}"
                time.sleep(0.5)

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def request(self, method: str, path: str, body: dict | None = None, timeout: float = 120):
        """(status, parsed JSON or text) of a request with the token header; HTTP errors are returned."""
        data = json.dumps(body).encode() if body is not None else (b"" if method in ("POST", "PUT") else None)
        req = urllib.request.Request(self.base + urllib.parse.quote(path, safe="/?=&%:"), data=data, method=method,
                                     headers={"Authorization": f"token {self.token}",
                                              "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                status, raw = r.status, r.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        text = raw.decode("utf-8", "replace")
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text

    def tree(self) -> dict[int, str | None]:
        """The kefu process and every process below it, with their start times."""
        from kefu.classroom.process import descendants

        pids = [self.proc.pid, *descendants(self.proc.pid)]
        return {pid: _start_time(pid) for pid in pids}

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60, linger: float = 10) -> tuple[dict[int, str | None], list[int]]:
        """Send ``sig`` to kefu only; return (the tree before, the pids of it still alive afterwards)."""
        before = self.tree()
        self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
        deadline = time.time() + linger
        while True:
            alive = [pid for pid, start in before.items() if start is not None and _start_time(pid) == start]
            if not alive or time.time() > deadline:
                return before, alive
            time.sleep(0.2)

    def close(self) -> None:
        """Last resort for a failed test: nothing we started stays behind."""
        if self.proc.poll() is None:
            before = self.tree()
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
            for pid, start in before.items():
                if start is not None and _start_time(pid) == start:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
            if self.proc.poll() is None:
                self.proc.wait(timeout=10)
        if self.proc.stdout:
            self.proc.stdout.close()
        self._log.close()


CHROMIUM = Path(os.environ.get("KEFU_CHROMIUM", "/usr/bin/chromium"))
CHROME_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def font_env(tmp: Path) -> dict[str, str]:
    """Let Chromium find a CJK font even on a machine without one: a fontconfig file that adds
    mplfonts' font folder (the same Noto Sans CJK SC the charts use) to the system fonts."""
    from mplfonts.conf import FONT_DIR

    tmp.mkdir(parents=True, exist_ok=True)
    conf = tmp / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{FONT_DIR}</dir><cachedir>{tmp / 'fc-cache'}</cachedir></fontconfig>",
        encoding="utf-8")
    return dict(os.environ, FONTCONFIG_FILE=str(conf))
