"""Weak areas by phrase category: the forbidden phrasing trainees actually wrote in their answers.

The trainees' answers live in the autograded notebooks (``autograded/<trainee>/<assignment>/*.ipynb``),
not in nbgrader's database. Every answer cell (nbgrader ``solution``) is read as data: a markdown
answer is its text, a code answer contributes its string literals (found with ``ast``, never run).
Only sentences are checked (at least :data:`MIN_CHARS` characters): short labels such as "不可以" in
a judge-this-line exercise are answers *about* phrasing, not phrasing. Each text goes through
``kefu.phrases.check`` (seeds/phrasebook.yml); its errors are counted per category (推诿, 否定, ...);
mentions inside quotation marks and warnings are not.

Reading thousands of notebooks is the slow part of the gradebook, so the counts are cached per
notebook file (path, size, modification time) in ``.kefu/answer-phrases.json`` inside the cohort
folder; only new or re-graded notebooks are read again.
"""
from __future__ import annotations

import ast
import json
import os
from pathlib import Path

MIN_CHARS = 6
CACHE = Path(".kefu") / "answer-phrases.json"
_VERSION = 1


def answer_texts(nb: dict) -> list[str]:
    """The free-text parts of a notebook's answer cells (markdown text, string literals of code)."""
    out: list[str] = []
    for cell in nb.get("cells", []):
        md = (cell.get("metadata") or {}).get("nbgrader") or {}
        if not md.get("solution"):
            continue
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else str(src)
        if cell.get("cell_type") == "markdown":
            out.append(src)
            continue
        try:
            tree = ast.parse(src)
        except (SyntaxError, ValueError):
            continue
        out += [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    return [t for t in out if len(t.strip()) >= MIN_CHARS]


def phrase_counts(path: Path) -> dict[str, int]:
    """Forbidden-phrase errors per phrasebook category in one notebook's answers."""
    from kefu.phrases import check

    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    counts: dict[str, int] = {}
    for text in answer_texts(nb):
        for v in check(text).errors:
            counts[v.category] = counts.get(v.category, 0) + 1
    return counts


def _load_cache(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data.get("files", {}) if data.get("version") == _VERSION else {}
    except (OSError, ValueError, AttributeError):
        return {}


def add_phrase_weak_areas(course_dir: Path, trainees: list[dict], assignments: list[str]) -> None:
    """Fill ``weak_areas["phrases"]`` of each trainee: [{category, count, assignments}] by count."""
    root = Path(course_dir) / "autograded"
    cache_file = Path(course_dir) / CACHE
    cache = _load_cache(cache_file)
    fresh: dict[str, list] = {}
    for t in trainees:
        total: dict[str, list] = {}
        for aid in assignments:
            folder = root / t["id"] / aid
            if not folder.is_dir():
                continue
            for nb in sorted(folder.glob("*.ipynb")):
                st = nb.stat()
                key = os.path.relpath(nb, course_dir)
                hit = cache.get(key)
                if hit and hit[0] == st.st_mtime_ns and hit[1] == st.st_size:
                    counts = hit[2]
                else:
                    counts = phrase_counts(nb)
                fresh[key] = [st.st_mtime_ns, st.st_size, counts]
                for cat, n in counts.items():
                    acc = total.setdefault(cat, [0, []])
                    acc[0] += n
                    if aid not in acc[1]:
                        acc[1].append(aid)
        t.setdefault("weak_areas", {})["phrases"] = sorted(
            ({"category": c, "count": n, "assignments": a} for c, (n, a) in total.items()),
            key=lambda x: (-x["count"], x["category"]))
    if fresh != cache:
        try:
            cache_file.parent.mkdir(exist_ok=True)
            tmp = cache_file.with_suffix(".tmp")
            tmp.write_text(json.dumps({"version": _VERSION, "files": fresh}, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, cache_file)
        except OSError:  # a read-only cohort folder: the report is still right, only slower next time
            pass
