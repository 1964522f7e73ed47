"""Benchmark: stock ``nbgrader autograde`` against ``kefu autograde`` on the same submissions.

Builds a course from the real assignments in ``assignments/`` (answer variants from
``assignments/_keys/*.yml``; falls back to kefu's practice fixture when there are none), places
``--submissions`` trainee submissions across the assignments with varied answers (correct, partial,
wrong, rude, blank), copies the course, grades one copy with one run of the real ``nbgrader autograde``
command and the other with ``kefu autograde``, compares every grade cell's score and prints one JSON line:
{"submissions", "nbgrader_seconds", "kefu_seconds", "speedup", "nbgrader_cpu_seconds", "kefu_cpu_seconds",
"cpu_speedup", "identical_scores", "nonzero_scores", "sandbox"}.

``*_cpu_seconds`` is the user + system CPU time of each side's whole process tree (command, workers,
zygote, keepers, sandboxed kernels): this process becomes a child subreaper, so every descendant,
however it detached, is reparented here and reaped, and its time lands in ``RUSAGE_CHILDREN``. On a
machine loaded by others, wall seconds mostly measure the others; CPU seconds measure the work. The course's nbgrader_config.py carries the trusted pipeline as a cohort's does
(kefu.autograde.pipeline: sandboxed kernels, TrustedScore from assignments/_keys, SanitizeOutputs), so
stock ``nbgrader autograde`` grades on the same trusted, sandboxed path as formgrader's Autograde button.

    .venv/bin/python bench/autograde.py [--submissions 60] [--jobs N] [--keep DIR]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
KINDS = ("correct", "partial", "wrong", "rude", "blank")


def real_assignments() -> dict[str, dict]:
    import yaml

    out = {}
    keys = REPO / "assignments" / "_keys"
    for folder in sorted((REPO / "assignments").iterdir()):
        key = keys / f"{folder.name}.yml"
        if folder.name.startswith("_") or not (folder / f"{folder.name}.ipynb").is_file() or not key.is_file():
            continue
        data = yaml.safe_load(key.read_text(encoding="utf-8")) or {}
        if data.get("answers"):
            out[folder.name] = data["answers"]
    return out


def build(root: Path, n: int, seed: int) -> tuple[Path, int]:
    from kefu.autograde import testcourse as S

    from kefu.autograde.pipeline import config_lines

    course = S.make_course(root / "course", course_id="bench")
    cfg = course / "nbgrader_config.py"
    # a snapshot of the keys: both sides must mark with the same keys even if the kit's assignments
    # are rebuilt while the benchmark runs
    keys = root / "keys"
    shutil.copytree(REPO / "assignments" / "_keys", keys)
    lines = config_lines(repr(str(keys)))
    cfg.write_text(cfg.read_text(encoding="utf-8") + "\n".join(lines) + "\n", encoding="utf-8")
    variants = real_assignments()
    if variants:
        for aid in variants:
            shutil.copytree(REPO / "assignments" / aid, course / "source" / aid)
    else:
        for aid, (nb, v) in S.practice_assignments().items():
            S.add_source(course, aid, nb)
            variants[aid] = v
    for aid in variants:
        S.generate(course, aid)
    rng = random.Random(seed)
    aids = list(variants)
    for i in range(n):
        aid = aids[i % len(aids)]
        released = S.released_notebook(course, aid)
        answers = {}
        for gid, kinds in variants[aid].items():
            kind = rng.choice([k for k in KINDS if k == "blank" or k in kinds])
            if kind != "blank":
                answers[gid] = kinds[kind]
        S.place_submission(course, f"trainee{i:03d}", aid, {aid: S.answer(released, answers)})
    return course, len(aids)


def scores(course: Path) -> dict[str, float | None]:
    from nbgrader.api import Gradebook

    out: dict[str, float | None] = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "bench") as gb:
        for a in gb.assignments:
            for sub in a.submissions:
                for nb in sub.notebooks:
                    out[f"{sub.student.id}/{a.name}/{nb.name}/late"] = nb.late_submission_penalty
                    for g in nb.grades:
                        out[f"{sub.student.id}/{a.name}/{nb.name}/{g.name}"] = g.auto_score
    return out


def become_subreaper() -> None:
    """Orphaned descendants (detached kernels, double forks) come back to this process to be reaped."""
    import ctypes

    PR_SET_CHILD_SUBREAPER = 36
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def children_cpu() -> float:
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def reap_orphans(deadline: float = 15.0) -> None:
    """Wait for the descendants reparented here (they die with their batch: PR_SET_PDEATHSIG)."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.05)


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the whole process tree) of one command."""
    reap_orphans(0.1)
    c0, t0 = children_cpu(), time.monotonic()
    subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.monotonic() - t0
    reap_orphans()
    return wall, children_cpu() - c0


def sandbox_reason() -> str | None:
    from kefu.sandbox import check

    return check()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--submissions", type=int, default=60)
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, default=None, help="keep the course folders here")
    args = ap.parse_args()

    from kefu.autograde.testcourse import jupyter_env

    tmp = Path(tempfile.mkdtemp(prefix="kefu-bench-"))
    try:
        with jupyter_env(tmp, bin_dir=BIN) as env:
            _compare(args, tmp, env)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _compare(args: argparse.Namespace, tmp: Path, env: dict[str, str]) -> None:
    """Build the course in ``tmp``, grade one copy with each grader and print the JSON line."""
    from kefu.autograde.testcourse import clone_course

    base, n_assign = build(tmp, args.submissions, args.seed)
    stock = clone_course(base, tmp / "stock")
    fast = clone_course(base, tmp / "fast")

    become_subreaper()
    nbgrader_seconds, nbgrader_cpu = timed([str(BIN / "nbgrader"), "autograde", "*", "--log-level=ERROR"],
                                           stock, env)

    cmd = [str(BIN / "kefu"), "autograde", "--course", str(fast), "--no-progress"]
    if args.jobs:
        cmd += ["--jobs", str(args.jobs)]
    kefu_seconds, kefu_cpu = timed(cmd, fast, env)

    a, b = scores(stock), scores(fast)
    graded = [k for k, v in a.items() if v is not None and not k.endswith("/late")]
    nonzero = [k for k in graded if a[k]]
    diff = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    for k in diff[:20]:
        print(f"differs: {k}: nbgrader={a.get(k)} kefu={b.get(k)}", file=sys.stderr)
    print(f"{args.submissions} submissions over {n_assign} assignments; {len(graded)} cell scores compared",
          file=sys.stderr)
    print(json.dumps({
        "submissions": args.submissions,
        "nbgrader_seconds": round(nbgrader_seconds, 2),
        "kefu_seconds": round(kefu_seconds, 2),
        "speedup": round(nbgrader_seconds / kefu_seconds, 2),
        "nbgrader_cpu_seconds": round(nbgrader_cpu, 2),
        "kefu_cpu_seconds": round(kefu_cpu, 2),
        "cpu_speedup": round(nbgrader_cpu / kefu_cpu, 2) if kefu_cpu else None,
        "load_average": round(os.getloadavg()[0], 1),
        "identical_scores": bool(graded) and not diff,
        "nonzero_scores": len(nonzero),
        "sandbox": sandbox_reason() or "on",
    }))
    if args.keep:
        shutil.copytree(tmp, args.keep, dirs_exist_ok=True)


if __name__ == "__main__":
    raise SystemExit(main())
