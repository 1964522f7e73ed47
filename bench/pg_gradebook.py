"""Benchmark: the cohort gradebook on PostgreSQL — snapshot/backup, restore and the damage check.

Builds a realistic cohort gradebook of ``--trainees`` trainees (:func:`kefu.gradebook.synthetic.make_cohort`,
SQLite), starts a throw-away Debian PostgreSQL cluster (initdb as ``postgres`` on a free loopback port,
removed at the end), loads the gradebook into it with :func:`kefu.cohort.database.restore_from_sqlite`,
then times (wall-clock seconds, median of ``--repeat`` runs):

- ``copy_seconds``: :func:`kefu.cohort.database.copy_to_sqlite` — the autograde workers' snapshot and
  the backup taken before autograde/collect/feedback/restore on PostgreSQL;
- ``restore_seconds``: :func:`restore_from_sqlite` — ``kefu restore`` on PostgreSQL (one transaction);
- ``check_seconds``: :func:`check_database` — the damage check every command runs first;
- ``sqlite_backup_seconds``: sqlite's online backup of the same gradebook file, for comparison.

Prints one JSON object. Needs root and Debian's postgresql.

    .venv/bin/python bench/pg_gradebook.py [--trainees 200] [--repeat 3]
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import tempfile
import time
from pathlib import Path


def _postgres(*cmd: str) -> None:
    subprocess.run(["runuser", "-u", "postgres", "--", *cmd], check=True, capture_output=True, timeout=120)


def _timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return round(statistics.median(times), 3)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--trainees", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    from kefu.cohort.config import ensure_bin_on_path
    from kefu.cohort.database import check_database, copy_to_sqlite, restore_from_sqlite
    from kefu.gradebook.synthetic import make_cohort

    ensure_bin_on_path()
    pg = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))[-1]).parent
    tmp = Path(tempfile.mkdtemp(prefix="kefu-pgbench-"))
    shutil.chown(tmp, "postgres", "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = False
    try:
        counts = make_cohort(tmp / "cohort", args.trainees)
        db = tmp / "cohort" / "gradebook.db"
        _postgres(str(pg / "initdb"), "-D", str(tmp / "data"), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--locale=C.UTF-8")
        _postgres(str(pg / "pg_ctl"), "-D", str(tmp / "data"), "-l", str(tmp / "pg.log"), "-w", "-o",
                  f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1", "start")
        started = True
        _postgres(str(pg / "createdb"), "-h", str(tmp), "-p", str(port), "-U", "postgres", "gb")
        url = f"postgresql+psycopg2://postgres@127.0.0.1:{port}/gb"
        restore_from_sqlite(url, db)  # load
        copy = tmp / "copy.db"
        out = {
            "trainees": args.trainees,
            "submissions": counts.get("submissions"),
            "grades": counts.get("grades"),
            "gradebook_mb": round(db.stat().st_size / 1e6, 2),
            "copy_seconds": _timed(lambda: copy_to_sqlite(url, copy), args.repeat),
            "restore_seconds": _timed(lambda: restore_from_sqlite(url, copy), args.repeat),
            "check_seconds": _timed(lambda: check_database(url), args.repeat),
        }

        def sqlite_backup() -> None:
            dest = tmp / "sqlite-copy.db"
            dest.unlink(missing_ok=True)
            with sqlite3.connect(db) as a, sqlite3.connect(dest) as b:
                a.backup(b)
            a.close()
            b.close()

        out["sqlite_backup_seconds"] = _timed(sqlite_backup, args.repeat)
        out["copy_identical_rows"] = _rows(db) == _rows(copy)
        out["load_average_1m"] = round(os.getloadavg()[0], 2)
        print(json.dumps(out))
    finally:
        if started:
            _postgres(str(pg / "pg_ctl"), "-D", str(tmp / "data"), "-m", "fast", "-w", "stop")
        shutil.rmtree(tmp, ignore_errors=True)


def _rows(db: Path) -> dict[str, int]:
    con = sqlite3.connect(db)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        con.close()


if __name__ == "__main__":
    main()
