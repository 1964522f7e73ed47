"""Benchmark: sizing of `kefu hub up` on this machine (root needed: it creates OS accounts).

Builds a throw-away cohort of ``--trainees`` trainees in /tmp, issues passwords, starts `kefu hub up`
on a free loopback port and measures
- ``hub_start_s``: from starting `kefu hub up` until the hub's API answers (formgrader service and
  culler included);
- ``spawn_s``: per trainee, from the login POST until their JupyterLab page loads, all trainees
  logging in at once (``--trainees`` concurrent spawns);
- ``idle_server_mb``: resident memory (RSS, process tree) of each trainee server 15 s after it is up,
  no kernel running; ``hub_mb``, ``proxy_mb``, ``formgrader_mb`` likewise.
Prints one JSON line, stops the hub (SIGTERM) and removes the accounts and the cohort.

    sudo .venv/bin/python bench/hub.py [--trainees 4]
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from procmem import rss_mb as _rss_mb  # bench/ (this script's folder) is on sys.path

BIN = Path(sys.executable).parent
KEFU = [str(BIN / "kefu")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _procs() -> list[tuple[int, int, str]]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                st = os.stat(f"/proc/{entry}")
                cmd = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            out.append((int(entry), st.st_uid, cmd))
    return out


def _cohort(root: Path, n: int) -> Path:
    from kefu.authoring import cells as C
    from kefu.cohort.create import init_cohort

    adir = root / "assignments" / "bench-ch01"
    adir.mkdir(parents=True)
    C.write(C.notebook([C.answer_code("q1", 'q1 = "您好"'),
                        C.test_code("q1-test", "assert isinstance(q1, str)", points=1)], title="bench"),
            adir / "bench-ch01.ipynb")
    roster = root / "roster.csv"
    roster.write_text("工号,姓名,班组,入职日期\n" + "".join(f"B{i:03d},学员{i},1组,2025-03-03\n" for i in range(n)),
                      encoding="utf-8")
    init_cohort(root / "course", roster, course_id="benchhub", assignments_dir=root / "assignments")
    return root / "course"


def _login_and_wait(url: str, user: str, password: str) -> float:
    import requests

    t0 = time.monotonic()
    s = requests.Session()
    s.get(url + "hub/login", timeout=60)
    s.post(url + "hub/login", data={"username": user, "password": password, "_xsrf": s.cookies.get("_xsrf")},
           allow_redirects=True, timeout=300)
    name = user.lower()
    deadline = t0 + 300
    while time.monotonic() < deadline:
        # an HTML page: the server's OAuth hand-shake with the hub happens on the way
        r = s.get(f"{url}user/{name}/lab", timeout=60, allow_redirects=True)
        if r.status_code == 200 and r.url.rstrip("/").endswith(f"/user/{name}/lab"):
            return round(time.monotonic() - t0, 1)
        time.sleep(0.5)
    return float("nan")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--trainees", type=int, default=4)
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench/hub.py needs root (kefu hub up creates OS accounts)")
    root = Path(tempfile.mkdtemp(prefix="kefu-hub-bench-", dir="/tmp"))
    os.chmod(root, 0o711)
    homes = root / "homes"
    homes.mkdir()
    os.chmod(homes, 0o755)
    course = _cohort(root, args.trainees)
    subprocess.run([*KEFU, "release", "bench-ch01", "--course", str(course)], check=True, capture_output=True)
    logins = root / "logins.csv"
    subprocess.run([*KEFU, "hub", "passwords", "--course", str(course), "--out", str(logins)], check=True,
                   capture_output=True)
    pw = {r["id"]: r["password"] for r in csv.DictReader(logins.open(encoding="utf-8-sig"))}
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    log = (root / "hub.log").open("wb")
    t0 = time.monotonic()
    proc = subprocess.Popen([*KEFU, "hub", "up", "--course", str(course), "--port", str(port), "--homes", str(homes)],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    result: dict = {"trainees": args.trainees}
    try:
        while True:
            try:
                with urllib.request.urlopen(url + "hub/api", timeout=5):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() - t0 > 300:
                    raise SystemExit((root / "hub.log").read_text(errors="replace")[-3000:])
                time.sleep(0.5)
        result["hub_start_s"] = round(time.monotonic() - t0, 1)
        with ThreadPoolExecutor(args.trainees) as ex:
            spawns = list(ex.map(lambda u: _login_and_wait(url, u, pw[u]), sorted(pw)))
        result["spawn_s"] = spawns
        result["spawn_median_s"] = statistics.median(spawns)
        time.sleep(15)
        import pwd

        procs = _procs()
        per_server = []
        for u in sorted(pw):
            uid = pwd.getpwnam("kf-" + u.lower()).pw_uid
            per_server.append(_rss_mb([p for p, owner, _ in procs if owner == uid]))
        result["idle_server_mb"] = per_server
        result["hub_mb"] = _rss_mb([p for p, o, c in procs if o == 0 and "-m jupyterhub -f" in c])
        result["proxy_mb"] = _rss_mb([p for p, o, c in procs if o == 0 and "configurable-http-proxy" in c])
        result["formgrader_mb"] = _rss_mb([p for p, o, c in procs if o == 0 and "jupyterhub-singleuser --allow-root" in c
                                           and str(course) in c])
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        subprocess.run([*KEFU, "hub", "remove-accounts", "--course", str(course)], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
