"""Time the no-copied-prose scan (tests/test_no_copied_prose.py) on this checkout; prints JSON.

    .venv/bin/python bench/originality.py
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import yaml

from kefu.originality import ManualIndex, read_text, shipped_files, standard_lines

REPO = Path(__file__).resolve().parents[1]
MANUALS = REPO.parent / "shared" / "seeds"


def main() -> None:
    t0 = time.perf_counter()
    manuals = [p.read_text(encoding="utf-8") for p in sorted(MANUALS.glob("*.txt"))]
    scripts = yaml.safe_load((REPO / "seeds" / "scripts.yml").read_text(encoding="utf-8"))
    index = ManualIndex(manuals, standard_lines(scripts))
    t1 = time.perf_counter()
    files = chars = hits = 0
    for path in shipped_files(REPO, ("seeds", "course", "notebooks", "assignments", "docs", "src", "README.md")):
        text = read_text(path)
        files += 1
        chars += len(text)
        hits += len(index.hits(text, str(path)))
    t2 = time.perf_counter()
    print(json.dumps({"manual_runs_indexed": len(index.grams), "index_seconds": round(t1 - t0, 2),
                      "files_scanned": files, "chars_scanned": chars, "scan_seconds": round(t2 - t1, 2),
                      "hits": hits, "load_average": os.getloadavg()}, ensure_ascii=False))


if __name__ == "__main__":
    main()
