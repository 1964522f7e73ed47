"""Uncertain phrase / rewrite verdicts go to a grader (issue 15): TrustedScore keeps the provisional
score, says "待阅卷老师复核" in the cell, and FlagForReview sets nbgrader's ``needs_manual_grade``.

The slow test grades a two-trainee course through the real ``kefu autograde`` CLI (subprocess) and,
on a copy whose nbgrader_config.py carries the trusted pipeline as a cohort's does, through
``nbgrader autograde`` (formgrader's Autograde button): one rewrite the grader is sure about, one it
is not. Which reply is which is decided at run time by
``grade_rewrite`` itself (asserted as a precondition), so the test follows the grader, not a list.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kefu.authoring.grading import compile_call, emit_source

BIN = Path(sys.executable).parent
ITEM = "ri-cannot"
CONFIDENT = "我现在就为您发起退款流程,审核通过后款项会退回到您的账户,请您放心。"
# short replies unlike every example of the item: the grader cannot place them
UNSURE_CANDIDATES = ["嗯嗯,好的呢,明白啦。", "收到,马上安排。", "好的亲,稍后回复您。", "这个嘛,看情况吧。"]


def _entry(points: float = 2) -> dict:
    call = f'__import__("kefu.authoring.marking", fromlist=["m"]).rewrites(q1, ["{ITEM}"], {points:g})'
    return compile_call(call, points)


def _unsure_reply() -> str:
    from kefu.phrases import grade_rewrite

    for reply in UNSURE_CANDIDATES:
        if grade_rewrite(ITEM, reply).needs_review:
            return reply
    pytest.fail("none of the candidate replies is flagged needs_review by grade_rewrite")


def test_mark_reports_review_requests_and_says_so():
    from kefu.autograde.trusted import mark
    from kefu.phrases import grade_rewrite

    assert not grade_rewrite(ITEM, CONFIDENT).needs_review  # precondition
    got, text, review = mark(_entry(), {"values": {"q1": CONFIDENT}, "unsupported": []})
    assert got > 0 and review == [] and "待阅卷老师复核" not in text
    unsure = _unsure_reply()
    got, text, review = mark(_entry(), {"values": {"q1": unsure}, "unsupported": []})
    assert review and "待阅卷老师复核" in text and "暂定" in text


def test_judge_phrases_asks_for_review_only_when_the_judge_is_unsure():
    from kefu.authoring.marking import collecting_reviews, judge_phrases
    from kefu.phrases import judge

    sure = ["您好,请问有什么可以帮您?", "你自己查去。"]
    with collecting_reviews() as review:
        judge_phrases(["可以", "不可以"], sure, 2)
    assert [judge(s).needs_review for s in sure] == [False, False] and review == []
    from kefu.phrases.corpus import load_corpus

    unsure = next((s.text for s in load_corpus() if judge(s.text).needs_review), None)
    assert unsure is not None, "the corpus has no reply the judge is unsure about"
    with collecting_reviews() as review:
        judge_phrases(["可以"], [unsure], 1)
    assert review


def test_flag_for_review_runs_right_after_save_auto_grades():
    from nbgrader.converters import Autograde

    from kefu.autograde.pipeline import FLAG_REVIEW, autograde_preprocessors, make_trusted

    for chain in (make_trusted(Autograde.class_traits()["autograde_preprocessors"].default(), "EXEC"),
                  make_trusted(autograde_preprocessors(), "EXEC")):
        names = [p if isinstance(p, str) else p.__name__ for p in chain]
        i = names.index(FLAG_REVIEW)
        assert names[i - 1].endswith("SaveAutoGrades") and names.count(FLAG_REVIEW) == 1


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    from kefu.authoring import cells as C
    from kefu.autograde import testcourse as S
    from kefu.autograde.pipeline import config_lines

    root = tmp_path_factory.mktemp("review")
    saved = dict(os.environ)
    for var in ("HOME", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        (root / var).mkdir()
        os.environ[var] = str(root / var)
    os.environ["PATH"] = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    try:
        course = S.make_course(root / "course")
        keys = root / "keys"
        keys.mkdir()
        (keys / "rw.yml").write_text(yaml.safe_dump({"grading": {"q1-test": _entry()}}, allow_unicode=True),
                                     encoding="utf-8")
        with (course / "nbgrader_config.py").open("a", encoding="utf-8") as f:
            f.write(f"c.TrustedScore.keys_dir = {str(keys)!r}\n")
        nb = C.notebook([
            C.markdown("# 改写练习", grade_id="intro"),
            C.answer_code("q1", f"q1 = {CONFIDENT!r}", before="# 把“我不能给你退款”改成得体的说法"),
            C.test_code("q1-test", "assert isinstance(q1, str)", emit_source(["q1"]), points=2),
        ])
        S.add_source(course, "rw", nb)
        S.generate(course, "rw")
        released = S.released_notebook(course, "rw")
        unsure = _unsure_reply()
        for student, reply in (("KF1", CONFIDENT), ("KF2", unsure)):
            S.place_submission(course, student, "rw", {"rw": S.answer(released, {"q1": f"q1 = {reply!r}"})})
        # formgrader's path: a copy of the course whose nbgrader_config.py carries the trusted pipeline
        # (as a cohort's does), graded by `nbgrader autograde` in that folder
        stock = root / "formgrader-path"
        shutil.copytree(course, stock)
        cfg = stock / "nbgrader_config.py"
        lines = cfg.read_text(encoding="utf-8").replace(str(course), str(stock)).splitlines()
        lines += config_lines(repr(str(keys)))
        cfg.write_text("\n".join(lines) + "\n", encoding="utf-8")
        res = subprocess.run([str(BIN / "kefu"), "autograde", "rw", "--course", str(course), "--no-progress",
                              "--jobs", "1"], capture_output=True, text=True, timeout=600, env=dict(os.environ))
        assert res.returncode == 0, res.stdout + res.stderr
        res = subprocess.run([str(BIN / "nbgrader"), "autograde", "rw", "--log-level=ERROR"], cwd=stock,
                             capture_output=True, text=True, timeout=600, env=dict(os.environ))
        assert res.returncode == 0, res.stdout + res.stderr
        yield {"kefu autograde": course, "nbgrader autograde": stock}
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.mark.slow
@pytest.mark.parametrize("path", ["kefu autograde", "nbgrader autograde"])
def test_autograde_flags_the_uncertain_rewrite_for_manual_grading(graded, path):
    from nbgrader.api import Gradebook

    graded = graded[path]
    with Gradebook(f"sqlite:///{graded / 'gradebook.db'}", "kefu-test") as gb:
        sure = gb.find_grade("q1-test", "rw", "rw", "KF1")
        unsure = gb.find_grade("q1-test", "rw", "rw", "KF2")
        assert sure.auto_score and sure.auto_score > 0 and sure.needs_manual_grade is False
        assert unsure.needs_manual_grade is True and unsure.auto_score is not None  # provisional score kept
        assert unsure.manual_score is None
        # formgrader's list of submissions waiting for a grader
        assert gb.find_submission("rw", "KF2").needs_manual_grade
        assert not gb.find_submission("rw", "KF1").needs_manual_grade
        # kefu's gradebook reads the same flag: the provisional score is shown as 待阅卷, not final
        from kefu.gradebook.data import attempt_from_submission

        assert attempt_from_submission(gb.find_submission("rw", "KF2"), "rw", 100, exams=set()).needs_manual_grade
        assert not attempt_from_submission(gb.find_submission("rw", "KF1"), "rw", 100, exams=set()).needs_manual_grade
    texts = {}
    for student in ("KF1", "KF2"):
        nb = json.loads((graded / "autograded" / student / "rw" / "rw.ipynb").read_text(encoding="utf-8"))
        cell = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "q1-test")
        texts[student] = "".join("".join(o.get("text", "")) for o in cell["outputs"])
    assert "待阅卷老师复核" in texts["KF2"] and "待阅卷老师复核" not in texts["KF1"]
