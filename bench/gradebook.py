"""Benchmark: ``kefu gradebook`` against ``nbgrader export`` on one large cohort gradebook.

Builds a realistic cohort of ``--trainees`` trainees (default 2,000) with the kit's real assignments
(8 chapter exercises, the theory exam, its retake for those below the pass mark, the practical exam
with hand-scored rubric dimensions, late work, pending grades, grader comments), bulk-loaded with SQL
into nbgrader's own schema (:func:`kefu.gradebook.synthetic.make_cohort`). Then times, each as a fresh
command in a subprocess on the same database:

- ``kefu gradebook -f json`` (the report; ``kefu_seconds``),
- ``kefu gradebook -f xlsx`` (the Excel workbook), ``kefu gradebook -f json --plots DIR`` (charts),
- ``nbgrader export`` (stock CSV export; ``nbgrader_export_seconds``),

and prints one JSON object: {"trainees", "submissions", "grades", "kefu_seconds", "kefu_xlsx_seconds",
"kefu_plots_seconds", "nbgrader_export_seconds", "ratio", "cpu_seconds": {...}, "cpu_ratio", "peak_mb": {...},
"nbgrader_export_rows", "nbgrader_export_finished", "load_average_1m"}; ratio = nbgrader export seconds / kefu
seconds (json). Times are wall-clock seconds of whole commands (start-up included); CPU seconds are the
fairer figure when other work shares the machine. nbgrader export takes minutes to hours at 2,000
trainees (its per-row queries grow with the database): after ``--nbgrader-timeout`` it is stopped and
its figures are lower bounds (``nbgrader_export_finished`` false, rows written so far).

    .venv/bin/python bench/gradebook.py [--trainees 2000] [--seed 1] [--keep DIR] [--skip-nbgrader]
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

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["PATH"] = f"{BIN}{os.pathsep}{e.get('PATH', '')}"  # nbgrader runs alembic
    e.setdefault("KEFU_SEEDS", str(REPO / "seeds"))
    e["COLUMNS"] = "160"
    return e


def _peak_kb(pid: int) -> int:
    """The process's resident-memory high-water mark (VmHWM; reset by exec, so it is the command's own)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_measured(cmd: list[str], cwd: Path, timeout: float = 3600) -> dict:
    """Run a command; its wall-clock seconds, peak resident memory (MB) and exit code.

    The peak is read from /proc while the command runs (wait4's ru_maxrss would count the pages of this
    large parent process that the child shares between fork and exec)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    timed_out = False
    deadline = t0 + timeout
    while True:
        peak = max(peak, _peak_kb(proc.pid))
        if os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
            break  # exited (left unreaped until proc.wait below)
        if time.perf_counter() > deadline:
            proc.kill()
            timed_out = True
            break
        time.sleep(0.02)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - t0
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    proc.stderr.close()
    return {"seconds": round(seconds, 2), "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_mb": round(peak / 1024, 1), "rc": proc.returncode, "timed_out": timed_out,
            "stderr": err[-2000:]}


def kefu_runs(course: Path, out: Path) -> dict[str, dict]:
    kefu = str(BIN / "kefu")
    return {
        "json": run_measured([kefu, "gradebook", "--course", str(course), "-f", "json", "-o", str(out / "g.json")],
                             course),
        "xlsx": run_measured([kefu, "gradebook", "--course", str(course), "-f", "xlsx", "-o", str(out / "g.xlsx")],
                             course),
        "plots": run_measured([kefu, "gradebook", "--course", str(course), "-f", "json", "-o",
                               str(out / "g2.json"), "--plots", str(out / "plots")], course),
    }


def existing_counts(course: Path) -> dict:
    import sqlite3

    con = sqlite3.connect(f"file:{course / 'gradebook.db'}?mode=ro", uri=True)
    try:
        return {k: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for k, t in (("trainees", "student"), ("submissions", "submitted_assignment"), ("grades", "grade"))}
    finally:
        con.close()


def assignments_of(course: Path) -> list[str]:
    import sqlite3

    con = sqlite3.connect(f"file:{course / 'gradebook.db'}?mode=ro", uri=True)
    try:
        return [r[0] for r in con.execute("SELECT name FROM assignment")]
    finally:
        con.close()


def nbgrader_export(course: Path, timeout: float) -> dict:
    (course / "grades.csv").unlink(missing_ok=True)  # rows counted afterwards are this run's
    return run_measured([str(BIN / "nbgrader"), "export", "--to", str(course / "grades.csv")], course, timeout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trainees", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, help="build the cohort here and keep it")
    ap.add_argument("--reuse", action="store_true", help="with --keep: time the cohort already built there")
    ap.add_argument("--skip-nbgrader", action="store_true", help="time only kefu")
    ap.add_argument("--nbgrader-timeout", type=float, default=3600,
                    help="stop nbgrader export after this many seconds (the figures are then lower bounds)")
    args = ap.parse_args()
    os.environ.update({k: v for k, v in env().items() if k in ("PATH", "KEFU_SEEDS")})
    from kefu.gradebook.synthetic import make_cohort

    root = args.keep or Path(tempfile.mkdtemp(prefix="kefu-bench-gradebook-"))
    try:
        course = root / "cohort"
        t0 = time.perf_counter()
        if args.reuse and args.keep and course.is_dir():
            made = existing_counts(course)
        else:
            if course.exists():
                shutil.rmtree(course)
            made = make_cohort(course, args.trainees, seed=args.seed)
        build_s = time.perf_counter() - t0
        out = root / "out"
        out.mkdir(exist_ok=True)
        kefu = kefu_runs(course, out)
        for name, r in kefu.items():
            if r["rc"] != 0:
                sys.exit(f"kefu gradebook ({name}) failed: {r['stderr']}")
        result = {"trainees": made["trainees"], "submissions": made["submissions"], "grades": made["grades"],
                  "build_seconds": round(build_s, 1),
                  "kefu_seconds": kefu["json"]["seconds"], "kefu_xlsx_seconds": kefu["xlsx"]["seconds"],
                  "kefu_plots_seconds": kefu["plots"]["seconds"],
                  # CPU seconds (user + system) of each command: less sensitive to other work on the machine
                  "cpu_seconds": {f"kefu_{k}": r["cpu_seconds"] for k, r in kefu.items()},
                  "nbgrader_export_seconds": None, "ratio": None,
                  "peak_mb": {f"kefu_{k}": r["peak_mb"] for k, r in kefu.items()}}
        if not args.skip_nbgrader:
            nb = nbgrader_export(course, args.nbgrader_timeout)
            if nb["rc"] != 0 and not nb["timed_out"]:
                sys.exit(f"nbgrader export failed (exit {nb['rc']}): {nb['stderr']}")
            csv_file = course / "grades.csv"
            rows = sum(1 for _ in csv_file.open(encoding="utf-8")) - 1 if csv_file.is_file() else 0
            # nbgrader writes one row per trainee and assignment; a run stopped at the time limit says how
            # far it got, and its seconds are a lower bound (so is the ratio)
            result.update(nbgrader_export_seconds=nb["seconds"], ratio=round(nb["seconds"] / kefu["json"]["seconds"], 1),
                          nbgrader_export_rows=rows, nbgrader_export_finished=not nb["timed_out"],
                          nbgrader_export_rows_expected=made["trainees"] * len(assignments_of(course)))
            result["peak_mb"]["nbgrader_export"] = nb["peak_mb"]
            result["cpu_seconds"]["nbgrader_export"] = nb["cpu_seconds"]
            result["cpu_ratio"] = round(nb["cpu_seconds"] / kefu["json"]["cpu_seconds"], 1)
        result["load_average_1m"] = round(os.getloadavg()[0], 1)  # other work on the machine slows every figure
        print(json.dumps(result, ensure_ascii=False))
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
