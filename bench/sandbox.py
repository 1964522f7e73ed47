"""Benchmark: what the sandbox costs per kernel.

- ``zygote_ms``: in a warm process like kefu autograde's zygote (ipykernel, numpy, pandas imported),
  fork a child that enters a new sandbox (slot lock, namespaces, private root, copy of a small
  submission folder, uid drop, rlimits) and exits, against a plain fork that exits; median of the
  difference per kernel;
- ``exec_ms``: ``python -m kefu.sandbox.enter -- /bin/true`` against ``/bin/true`` (the
  SandboxedExecute path: an extra small Python process in front of the kernel).

Prints one JSON line. Run as root: ``.venv/bin/python bench/sandbox.py [--rounds 20]``.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def _fork_and_wait(child) -> float:
    t = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            child()
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    return time.perf_counter() - t


def zygote_cost(rounds: int) -> dict[str, float]:
    import ipykernel.kernelapp  # noqa: F401 - the size of a warm zygote
    import numpy  # noqa: F401
    import pandas  # noqa: F401

    from kefu.sandbox.env import sandbox_env
    from kefu.sandbox.jail import Spec, run

    folder = tempfile.mkdtemp(prefix="kefu-bench-sub-")
    with open(os.path.join(folder, "sub.ipynb"), "w", encoding="utf-8") as fh:
        fh.write("{}" * 4000)

    def sandboxed() -> None:
        spec = Spec(scratch_from=folder, env=sandbox_env(), parent_pid=os.getppid())
        os._exit(run(spec, lambda: None))

    plain = [_fork_and_wait(lambda: None) for _ in range(rounds)]
    boxed = [_fork_and_wait(sandboxed) for _ in range(rounds)]
    return {"plain_fork_ms": round(statistics.median(plain) * 1000, 1),
            "sandboxed_fork_ms": round(statistics.median(boxed) * 1000, 1)}


def exec_cost(rounds: int) -> dict[str, float]:
    plain, boxed = [], []
    for _ in range(rounds):
        t = time.perf_counter()
        subprocess.run(["/bin/true"], check=True)
        plain.append(time.perf_counter() - t)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kefu.sandbox.enter", "--", "/bin/true"], check=True, cwd="/")
        boxed.append(time.perf_counter() - t)
    return {"plain_exec_ms": round(statistics.median(plain) * 1000, 1),
            "sandboxed_exec_ms": round(statistics.median(boxed) * 1000, 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    from kefu.sandbox import check

    reason = check()
    if reason:
        print(json.dumps({"sandbox": reason}, ensure_ascii=False))
        return 1
    z = zygote_cost(args.rounds)
    e = exec_cost(max(3, args.rounds // 4))
    print(json.dumps({
        **z, **e,
        "zygote_ms": round(z["sandboxed_fork_ms"] - z["plain_fork_ms"], 1),
        "exec_ms": round(e["sandboxed_exec_ms"] - e["plain_exec_ms"], 1),
        "rounds": args.rounds,
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
