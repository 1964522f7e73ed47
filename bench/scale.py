"""Growth curves: how grading time, memory and gradebook time grow with cohort size.

1. Grades N submissions of the theory exam (60 questions, answers varied: right, partly right, wrong,
   rude, blank) with ``kefu autograde`` (the trusted, sandboxed pipeline a cohort uses), N = 50, 100,
   200, 400: seconds, submissions per hour per core, peak memory of the whole process tree (kefu and
   its kernels, summed resident memory sampled every 50 ms).
2. Builds gradebooks of 250, 500, 1,000 and 2,000 trainees (bulk-loaded, all 11 assignments) and times
   ``kefu gradebook -f json`` on each: seconds and peak memory.

Prints one JSON object: {"cores", "autograde": [{"submissions", "seconds", "per_hour_per_core",
"cpu_seconds", "peak_mb"}...], "gradebook": [{"trainees", "submissions", "seconds", "cpu_seconds", "peak_mb"}...],
"load_average_1m"}. CPU seconds (the command and the children it reaped) are the figure to trust when
other work shares the machine; per_hour_per_core is from wall-clock seconds.

    .venv/bin/python bench/scale.py [--quick] [--grade 50,100,200,400] [--trainees 250,500,1000,2000]
"""
from __future__ import annotations

import argparse
import importlib.util
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
HERE = Path(__file__).resolve().parent


def _bench(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", HERE / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants (kB)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status", encoding="ascii") as fh:
                total += next((int(line.split()[1]) for line in fh if line.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children", encoding="ascii") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):
            continue
    return total


def run_tree(cmd: list[str], cwd: Path, env: dict) -> dict:
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
        peak = max(peak, _tree_rss_kb(proc.pid))
        time.sleep(0.05)
    _, status, usage = os.wait4(proc.pid, 0)  # CPU of the command and of the children it waited for
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - t0
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    return {"seconds": round(seconds, 2), "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_mb": round(peak / 1024, 1), "rc": proc.returncode, "stderr": err[-2000:]}


def theory_course(root: Path, n: int, seed: int, env: dict) -> Path:
    """A course with the real theory exam released and ``n`` varied submissions placed."""
    from kefu.autograde import testcourse as S
    from kefu.autograde.pipeline import config_lines
    from kefu.seeds import load

    ag = _bench("autograde")
    aid = load("exam.yml").theory.assignment_id
    course = S.make_course(root / "course", course_id="bench")
    cfg = course / "nbgrader_config.py"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "\n".join(config_lines(repr(str(REPO / "assignments" / "_keys"))))
                   + "\n", encoding="utf-8")
    shutil.copytree(REPO / "assignments" / aid, course / "source" / aid)
    S.generate(course, aid)
    variants = ag.real_assignments()[aid]
    released = S.released_notebook(course, aid)
    rng = random.Random(seed)
    for i in range(n):
        answers = {}
        for gid, kinds in variants.items():
            kind = rng.choice([k for k in ag.KINDS if k == "blank" or k in kinds])
            if kind != "blank":
                answers[gid] = kinds[kind]
        S.place_submission(course, f"trainee{i:04d}", aid, {aid: S.answer(released, answers)})
    return course


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (10, 20, 40 submissions; 100, 200 trainees)")
    ap.add_argument("--grade", default=None, help="submission counts, comma-separated ('none': skip grading)")
    ap.add_argument("--trainees", default=None, help="cohort sizes, comma-separated ('none': skip gradebooks)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    def counts(given: str | None, quick: str, full: str) -> list[int]:  # "none" leaves a part out
        text = given if given is not None else (quick if args.quick else full)
        return [] if text == "none" else [int(x) for x in text.split(",") if x]

    grade = counts(args.grade, "10,20,40", "50,100,200,400")
    sizes = counts(args.trainees, "100,200", "250,500,1000,2000")

    from kefu.autograde.testcourse import jupyter_env

    tmp = Path(tempfile.mkdtemp(prefix="kefu-bench-scale-"))
    os.environ.setdefault("KEFU_SEEDS", str(REPO / "seeds"))
    try:
        with jupyter_env(tmp, bin_dir=BIN) as env:
            _measure(grade, sizes, args.seed, tmp, env)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _measure(grade: list[int], sizes: list[int], seed: int, tmp: Path, env: dict[str, str]) -> None:
    """Grade ``grade`` batches and report on ``sizes`` cohorts in ``tmp``; print the JSON object."""
    cores = os.cpu_count() or 1
    result: dict = {"cores": cores, "autograde": [], "gradebook": []}
    for n in grade:
        course = theory_course(tmp / f"grade{n}", n, seed, env)
        r = run_tree([str(BIN / "kefu"), "autograde", "--course", str(course), "--no-progress"], course, env)
        if r["rc"] != 0:
            sys.exit(f"kefu autograde failed on {n} submissions: {r['stderr']}")
        result["autograde"].append({"submissions": n, "seconds": r["seconds"],
                                    "per_hour_per_core": round(n / r["seconds"] * 3600 / cores),
                                    "cpu_seconds": r["cpu_seconds"], "peak_mb": r["peak_mb"]})
        shutil.rmtree(tmp / f"grade{n}", ignore_errors=True)
        print(json.dumps(result["autograde"][-1]), file=sys.stderr, flush=True)
    from kefu.gradebook.synthetic import make_cohort

    gb = _bench("gradebook")
    for n in sizes:
        course = tmp / f"cohort{n}"
        made = make_cohort(course, n, seed=seed)
        r = gb.run_measured([str(BIN / "kefu"), "gradebook", "--course", str(course), "-f", "json", "-o",
                             str(tmp / f"g{n}.json")], course)
        if r["rc"] != 0:
            sys.exit(f"kefu gradebook failed on {n} trainees: {r['stderr']}")
        result["gradebook"].append({"trainees": n, "submissions": made["submissions"], "seconds": r["seconds"],
                                    "cpu_seconds": r["cpu_seconds"], "peak_mb": r["peak_mb"]})
        shutil.rmtree(course, ignore_errors=True)
        print(json.dumps(result["gradebook"][-1]), file=sys.stderr, flush=True)
    # other work on the machine slows every figure: say how busy it was
    result["load_average_1m"] = round(os.getloadavg()[0], 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
