"""Profile: where a ``kefu autograde`` batch spends CPU, by kind of process.

Builds the benchmark course of ``bench/autograde.py`` (or reuses ``--course``), runs
``kefu autograde --force`` on it and samples ``/proc/<pid>/stat`` of every process in the tree every
``--interval`` seconds, so each process's CPU seconds are known up to its last sample. Processes are
put in kinds: ``batch`` (the kefu command), ``worker`` (its forked graders), ``zygote``, ``keeper``
(root, outside each sandbox), ``kernel`` (the sandboxed uid), ``other``. The total of the whole tree
comes from ``RUSAGE_CHILDREN`` (this process is a child subreaper, so nothing escapes). With
``--py-spy KIND`` the first process of that kind is sampled by py-spy (if installed) into an SVG.
Prints one JSON object. On a machine loaded by others, compare CPU seconds, not wall seconds.

    .venv/bin/python bench/profile_autograde.py [--submissions 60] [--course DIR] [--py-spy worker]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import autograde as B  # noqa: E402 - bench/autograde.py

TICK = os.sysconf("SC_CLK_TCK")
SANDBOX_UIDS = range(61000, 61064)


def _stat(pid: int) -> tuple[int, float] | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            rest = fh.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    return int(rest[1]), (int(rest[11]) + int(rest[12])) / TICK  # ppid, utime + stime


def _kind(pid: int, root: int) -> str:
    if pid == root:
        return "batch"
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        uid = int(next(ln for ln in Path(f"/proc/{pid}/status").read_text().splitlines()
                       if ln.startswith("Uid:")).split()[1])
    except (OSError, StopIteration, ValueError):
        return "other"
    if uid in SANDBOX_UIDS:
        return "kernel"
    if "kefu.autograde.zygote" in cmd:
        parent = _stat(pid)
        return "zygote" if parent and parent[0] == root else "keeper"  # keepers are the zygote's forks
    if "kefu" in cmd and "autograde" in cmd:
        return "worker"
    return "other"


def _tree(root: int) -> list[int]:
    kids: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            st = _stat(int(name))
            if st:
                kids.setdefault(st[0], []).append(int(name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += kids.get(pid, [])
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--submissions", type=int, default=60)
    ap.add_argument("--course", type=Path, default=None,
                    help="benchmark course folder to (re)grade; built there first when it does not exist")
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--interval", type=float, default=0.05)
    ap.add_argument("--py-spy", dest="pyspy", default=None, help="kind of process to sample with py-spy")
    ap.add_argument("--svg", type=Path, default=Path("profile.svg"))
    args = ap.parse_args()

    from kefu.autograde.testcourse import clone_course, jupyter_env

    tmp = Path(tempfile.mkdtemp(prefix="kefu-prof-"))
    try:
        with jupyter_env(tmp, bin_dir=B.BIN) as env:
            course = args.course.resolve() if args.course else None
            if course is None or not course.is_dir():
                built = B.build(tmp, args.submissions, 1)[0]
                course = clone_course(built, course) if course else built
            cmd = [str(B.BIN / "kefu"), "autograde", "--course", str(course), "--no-progress", "--force", "--json"]
            if args.jobs:
                cmd += ["--jobs", str(args.jobs)]
            B.become_subreaper()
            c0, t0 = B.children_cpu(), time.monotonic()
            proc = subprocess.Popen(cmd, cwd=course, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            seen: dict[int, tuple[str, float]] = {}
            spy = None
            while proc.poll() is None:
                for pid in _tree(proc.pid):
                    st = _stat(pid)
                    if st is None:
                        continue
                    kind = seen[pid][0] if pid in seen and seen[pid][0] != "keeper" else _kind(pid, proc.pid)
                    seen[pid] = (kind, st[1])
                    if args.pyspy == kind and spy is None and shutil.which("py-spy"):
                        spy = subprocess.Popen(["py-spy", "record", "-p", str(pid), "-o", str(args.svg), "-r", "50",
                                                "--nonblocking"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(args.interval)
            out = proc.stdout.read() if proc.stdout else b""
            wall = time.monotonic() - t0
            B.reap_orphans()
            total = B.children_cpu() - c0
            if spy is not None:
                spy.wait(timeout=60)
            by_kind: dict[str, dict[str, float]] = {}
            for kind, cpu in seen.values():
                k = by_kind.setdefault(kind, {"processes": 0, "cpu_seconds": 0.0})
                k["processes"] += 1
                k["cpu_seconds"] = round(k["cpu_seconds"] + cpu, 2)
            try:
                graded = len(json.loads(out).get("graded", []))
            except ValueError:
                graded = None
            print(json.dumps({"graded": graded, "wall_seconds": round(wall, 2), "cpu_seconds": round(total, 2),
                              "sampled_cpu_seconds": round(sum(v[1] for v in seen.values()), 2),
                              "by_kind": by_kind, "load_average": round(os.getloadavg()[0], 1)}))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
