"""Benchmark: a trainee's `kefu lab --course … --student …` on one machine.

Makes a throw-away cohort (`kefu cohort init` + `kefu release`), starts the trainee's server in a
subprocess and prints one JSON line: seconds from launch to the first answered /api/status
("start_seconds"), the resident memory of the idle server tree (kefu + jupyter server, "idle_rss_mb"),
seconds to start a kernel in bubblewrap until it answers kernel_info ("kernel_seconds"), the memory of
the tree with that kernel ("with_kernel_rss_mb"), the panel's fetch and submit round trips
("fetch_seconds", "submit_seconds") and the seconds SIGTERM takes to stop the whole tree ("stop_seconds").

    .venv/bin/python bench/lab.py
"""
from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

from procmem import rss_mb  # bench/ (this script's folder) is on sys.path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")


def main() -> None:
    from jupyter_client import BlockingKernelClient
    from lab_server import AID, Server, free_port, make_cohort

    from kefu.classroom import trainee_exchange_settings

    with tempfile.TemporaryDirectory(prefix="kefu-bench-lab-") as tmp:
        course = make_cohort(Path(tmp), ["KF001"])
        cid = trainee_exchange_settings(course)["course_id"]
        t0 = time.perf_counter()
        server = Server(["lab", "--course", str(course), "--student", "KF001", "--no-browser",
                         "--port", str(free_port())], Path(tmp) / "lab.log")
        out: dict[str, float] = {"start_seconds": round(time.perf_counter() - t0, 2)}
        try:
            time.sleep(2)
            out["idle_rss_mb"] = rss_mb(server.tree())
            t0 = time.perf_counter()
            _, kernel = server.request("POST", "/api/kernels", {"name": "python3"})
            home = course / "trainees" / "KF001"
            client = BlockingKernelClient(connection_file=str(home / ".kefu-lab" / "runtime" / f"kernel-{kernel['id']}.json"))
            client.load_connection_file()
            client.start_channels()
            for _ in range(120):
                try:
                    client.wait_for_ready(timeout=60)
                    break
                except RuntimeError:
                    time.sleep(0.25)
            out["kernel_seconds"] = round(time.perf_counter() - t0, 2)
            client.stop_channels()
            out["with_kernel_rss_mb"] = rss_mb(server.tree())
            for action in ("fetch", "submit"):
                t0 = time.perf_counter()
                status, body = server.request("POST", f"/assignments/{action}", {"course_id": cid, "assignment_id": AID})
                assert status == 200 and body.get("success"), body
                out[f"{action}_seconds"] = round(time.perf_counter() - t0, 2)
            t0 = time.perf_counter()
            _, alive = server.stop(signal.SIGTERM)
            out["stop_seconds"] = round(time.perf_counter() - t0, 2)
            out["left_running"] = len(alive)
        finally:
            server.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
