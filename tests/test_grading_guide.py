"""The grader's guide (`kefu grading-guide`): key points, model answers, bands and common losses of every
manually graded item, 系统操作's total spelled out, Chinese errors, never written where trainees reach."""
from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kefu.seeds import load, seeds_dir

KEYS = seeds_dir().parent / "assignments" / "_keys"
EXAM = load("exam.yml")


def kefu(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kefu.cli.main", *args], capture_output=True, text=True, cwd=cwd)


def text_of(path: Path) -> str:
    raw = re.sub(r"<style\b.*?</style>", "", path.read_text(encoding="utf-8"), flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", raw))


def keys(assignment: str) -> dict:
    return yaml.safe_load((KEYS / f"{assignment}.yml").read_text(encoding="utf-8"))


def test_theory_guide_has_every_short_answer_key(tmp_path):
    from kefu.grading.guide import build, write

    aid = EXAM.theory.assignment_id
    out = write(build(aid), tmp_path / "g.html")
    text = text_of(out)
    manual = keys(aid)["manual"]
    assert manual
    for qid, entry in manual.items():
        assert entry["model_answer"] in text
        for kp in entry["key_points"]:
            assert kp in text
        assert f"第 {int(qid[1:])} 题" in text
    for band in EXAM.grading_bands.bands:
        assert band.label in text and band.meaning in text
    assert EXAM.grading_bands.short_answer_rule in text


def test_practical_guide_dimensions_losses_and_system_operation_total(tmp_path):
    from kefu.grading.guide import build, write

    aid = EXAM.practical.assignment_id
    text = text_of(write(build(aid), tmp_path / "p.html"))
    k = keys(aid)
    auto = sum(float(e["points"]) for e in k["grading"].values())
    for d in load("practical_rubric.yml").dimensions:
        assert d.name in text
        for item in d.look_for:
            assert item in text
        for loss in d.common_losses:
            assert (loss if isinstance(loss, str) else loss.text) in text
        grader = k["manual"][f"rubric-{d.id}"]["points"]
        if grader != d.weight:  # 系统操作: the sum is written out for the grader
            assert f"本维度共 {d.weight:g} 分 = 工单自动评分 {auto:g} 分" in text
            assert f"培训师评分 {grader:g} 分" in text
            assert grader + auto == d.weight
    for sc in k["scenarios"]:
        assert sc["title"] in text


@pytest.mark.slow
def test_cli_errors_and_trainee_reachable_folders_refused(tmp_path):
    from kefu.cohort import simulate as S
    from kefu.cohort.create import exam_ids, init_cohort

    r = kefu("grading-guide", "no-such-exam", "-o", str(tmp_path / "x.html"))
    assert r.returncode == 1 and "no-such-exam" in r.stderr and "Traceback" not in r.stderr
    r = kefu("grading-guide", "ch01-service-mindset", "-o", str(tmp_path / "x.html"))
    assert r.returncode == 1 and "没有需要人工评分" in r.stderr
    r = kefu("grading-guide", EXAM.practical.assignment_id, "-o", str(tmp_path / "x.txt"))
    assert r.returncode == 1 and ".html" in r.stderr
    # default name in the current folder
    r = kefu("grading-guide", EXAM.practical.assignment_id, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / f"批改指南-{EXAM.practical.assignment_id}.html").is_file()

    adir = tmp_path / "assignments"
    for kind, aid in exam_ids().items():
        S.placeholder_exam(adir, aid, kind)
    roster = tmp_path / "roster.csv"
    roster.write_text("工号,姓名,班组,入职日期\nKF001,王一,1组,2025-03-03\n", encoding="utf-8")
    course = tmp_path / "course"
    init_cohort(course, roster, course_id="guide-test", assignments_dir=adir)
    for folder in ("release", "feedback", "exchange"):
        target = course / folder / "KF001" / "guide.html"
        r = kefu("grading-guide", EXAM.practical.assignment_id, "--course", str(course), "-o", str(target))
        assert r.returncode == 1, r.stdout
        assert "学员能拿到" in r.stderr and not target.exists()
