"""Benchmark of roster import: reading a roster and the whole `kefu cohort init`, 1,000 and 10,000 rows.

    .venv/bin/python bench/roster.py [--sizes 1000,10000]

For each size it writes a CSV and an XLSX roster (generated ids KF00000…, names, ten teams, one start
date) into a temporary folder, then times
  * read_csv / read_xlsx: ``kefu.cohort.roster.read_roster`` in this process;
  * cohort_init: ``kefu cohort init`` in a subprocess from the CSV roster (Python start-up and the
    nbgrader gradebook creation included: what the trainer waits for).
  * with --compare, the gradebook step alone on a fresh nbgrader gradebook: nbgrader's
    ``update_or_create_student`` once per trainee (what cohort init did before: one commit each)
    against ``kefu.cohort.students.add_students`` (one commit).
Prints one JSON object; "per_1000_rows" shows whether the cost grows linearly.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAD = ["工号", "姓名", "班组", "入职日期"]


def _rows(n: int) -> list[list[object]]:
    return [[f"KF{i:05d}", f"学员{i}", f"{i % 10 + 1}组", dt.datetime(2025, 3, 3)] for i in range(n)]


def _write(folder: Path, n: int) -> tuple[Path, Path]:
    import openpyxl

    rows = _rows(n)
    csv_path = folder / f"roster-{n}.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEAD)
        w.writerows([[a, b, c, d.date().isoformat()] for a, b, c, d in rows])
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    xlsx_path = folder / f"roster-{n}.xlsx"
    wb.save(xlsx_path)
    return csv_path, xlsx_path


def _timed(fn) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def _compare(folder: Path, trainees) -> dict[str, float]:
    from nbgrader.api import Gradebook

    from kefu.cohort.config import ensure_bin_on_path
    from kefu.cohort.students import add_students

    ensure_bin_on_path()  # nbgrader runs alembic to create a gradebook
    out = {}
    for label in ("nbgrader_update_or_create_student_seconds", "add_students_seconds"):
        db = folder / f"{label}-{len(trainees)}.db"
        with Gradebook(f"sqlite:///{db}", "bench") as gb:
            t = time.perf_counter()
            if label.startswith("nbgrader"):
                for tr in trainees:
                    gb.update_or_create_student(tr.id, last_name=tr.name, first_name="")
            else:
                add_students(gb, trainees)
            out[label] = round(time.perf_counter() - t, 3)
            assert len(gb.students) == len(trainees)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--compare", action="store_true", help="also time nbgrader's one-commit-per-student path")
    args = ap.parse_args()
    from kefu.cohort.roster import read_roster

    kefu = str(Path(sys.executable).parent / "kefu")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    out: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="kefu-bench-roster-") as tmp:
        folder = Path(tmp)
        for n in [int(x) for x in args.sizes.split(",")]:
            csv_path, xlsx_path = _write(folder, n)
            t_csv, got = _timed(lambda: read_roster(csv_path))
            assert len(got) == n
            t_xlsx, got = _timed(lambda: read_roster(xlsx_path))
            assert len(got) == n
            course = folder / f"cohort-{n}"
            t_init, proc = _timed(lambda: subprocess.run(
                [kefu, "cohort", "init", str(course), "--roster", str(csv_path)],
                capture_output=True, text=True, env=env))
            if proc.returncode != 0:
                raise SystemExit(f"kefu cohort init failed:\n{proc.stderr}")
            extra = _compare(folder, got) if args.compare else {}
            out[str(n)] = {**extra,
                "read_csv_seconds": round(t_csv, 3),
                "read_xlsx_seconds": round(t_xlsx, 3),
                "cohort_init_seconds": round(t_init, 3),
                "per_1000_rows": {
                    "read_xlsx_seconds": round(t_xlsx / n * 1000, 3),
                    "cohort_init_seconds": round(t_init / n * 1000, 3),
                },
            }
    print(json.dumps({"benchmark": "roster import", "cpu_count": os.cpu_count(), "sizes": out},
                     ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
