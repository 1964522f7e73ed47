"""Repeated rows in the CSV seed tables are refused by `kefu seeds validate` with a Chinese message naming
the file and the repeated id or reply (tickets.csv: id and text; the phrase corpus: reply text)."""
from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kefu.seeds import clear_cache
from kefu.seeds.base import repeated

REPO = Path(__file__).resolve().parents[1]
KEFU = [sys.executable, "-m", "kefu.cli.main"]


def run_validate(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*KEFU, "seeds", "validate", "--path", str(path)], capture_output=True, text=True,
                          timeout=300)


@pytest.fixture()
def seeds_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "seeds"
    shutil.copytree(REPO / "seeds", dest, ignore=shutil.ignore_patterns(".kefu-cache"))
    clear_cache()
    yield dest
    clear_cache()


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _append(path: Path, row: dict[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    out = io.StringIO()
    csv.DictWriter(out, fieldnames=list(row), lineterminator="\n").writerow(row)
    path.write_text(text + ("" if text.endswith("\n") else "\n") + out.getvalue(), encoding="utf-8")


def _refused(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def test_repeated_picks_later_occurrences_in_order():
    assert repeated(["a", "b", "a", "c", "b", "a"]) == ["a", "b", "a"]
    rows = [("T1", "x"), ("T2", "y"), ("T3", "x")]
    assert repeated(rows, key=lambda r: r[1]) == [("T3", "x")]
    assert repeated([]) == []


def test_repeated_ticket_id_is_named(seeds_copy: Path):
    path = seeds_copy / "tickets.csv"
    first, second = _rows(path)[:2]
    _append(path, {**second, "id": first["id"]})  # another ticket's text under an id already used
    _refused(run_validate(seeds_copy), "tickets.csv", f"工单编号重复:{first['id']}")


def test_repeated_ticket_text_is_named_by_the_later_id(seeds_copy: Path):
    path = seeds_copy / "tickets.csv"
    rows = _rows(path)
    new_id = f"T{max(int(r['id'][1:]) for r in rows) + 1:03d}"
    _append(path, {**rows[0], "id": new_id})
    _refused(run_validate(seeds_copy), "tickets.csv", f"工单内容重复:{new_id}")


def test_repeated_corpus_reply_is_named(seeds_copy: Path):
    path = sorted(seeds_copy.glob("phrase_corpus_*.csv"))[0]
    row = _rows(path)[0]
    _append(path, row)
    _refused(run_validate(seeds_copy), path.name, "回复重复", row["text"])
