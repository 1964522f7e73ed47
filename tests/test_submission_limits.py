"""provenance.oversize: what makes a folder too big to submit (the panel, kefu submit and collect use it;
their refusals are tested through the real server and CLI in test_lab_course.py / test_exam_integrity.py)."""
from __future__ import annotations

import os
from pathlib import Path

from kefu.cohort import provenance as P


def test_a_folder_within_the_limits_passes(tmp_path: Path):
    (tmp_path / "作业.ipynb").write_bytes(b"x" * 1000)
    (tmp_path / "图").mkdir()
    (tmp_path / "图" / "a.png").write_bytes(b"x" * 1000)
    assert P.oversize(tmp_path) is None


def test_bytes_files_and_empty_folders_each_count(tmp_path: Path):
    big = tmp_path / "big"
    big.mkdir()
    with open(big / "录音.wav", "wb") as fh:  # sparse: its apparent size counts
        fh.truncate(P.SUBMISSION_MAX_BYTES + 1)
    assert P.oversize(big) == "超过 50 MB"
    dirs = tmp_path / "dirs"
    for i in range(P.SUBMISSION_MAX_FILES + 1):
        (dirs / str(i)).mkdir(parents=True)
    assert P.oversize(dirs) == "超过 500 个文件或文件夹"
    exact = tmp_path / "exact"
    exact.mkdir()
    for i in range(P.SUBMISSION_MAX_FILES):
        (exact / f"{i}.txt").write_text("好", encoding="utf-8")
    assert P.oversize(exact) is None


def test_a_link_is_not_followed_into_what_it_names(tmp_path: Path):
    target = tmp_path / "elsewhere"
    target.mkdir()
    with open(target / "huge.bin", "wb") as fh:
        fh.truncate(P.SUBMISSION_MAX_BYTES * 2)
    folder = tmp_path / "作业"
    folder.mkdir()
    os.symlink(target, folder / "链接")
    assert P.oversize(folder) is None  # links are refused on their own (links_in)
    assert P.links_in(folder) == ["链接"]
