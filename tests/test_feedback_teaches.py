"""Feedback that teaches, through a real cohort: the kit's practical and theory exams released, submitted,
collected, autograded (trusted pipeline) and manually graded, then `kefu feedback` (nbgrader's
generate_feedback with kefu's preprocessors). Checks verdicts, dimension names/scores/comments, 系统操作's
total, next step, no key, late exam at 0, stale detection, and the page at 390 px in Chromium."""
from __future__ import annotations

import datetime as dt
import html
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kefu.cohort import simulate as S
from kefu.cohort import workflow as W
from kefu.cohort.create import init_cohort
from kefu.cohort.provenance import simulated_clock
from kefu.seeds import load, seeds_dir

pytestmark = pytest.mark.slow

KIT = seeds_dir().parent
ADIR = KIT / "assignments"
EXAM = load("exam.yml")
PRACTICAL = EXAM.practical.assignment_id
THEORY = EXAM.theory.assignment_id
COMMENT = "开头语规范,但没有复述确认客户的需求"


def _text(path: Path) -> str:
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", "", raw, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", raw))


def _set_manual(course: Path, assignment: str, student: str, scores: dict[str, float],
                comments: dict[str, str] | None = None) -> None:
    from nbgrader.api import Gradebook

    from kefu.cohort.config import load_config

    cfg = load_config(course)
    with Gradebook(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id) as gb:
        sub = gb.find_submission_notebook(assignment, assignment, student)
        for g in sub.grades:
            if g.name in scores:
                g.manual_score = scores[g.name]
                g.needs_manual_grade = False
        for c in sub.comments:
            if comments and c.name in comments:
                c.manual_comment = comments[c.name]
        gb.db.commit()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    from kefu.cohort.demo import _autograder

    root = tmp_path_factory.mktemp("teach")
    roster = root / "roster.csv"
    roster.write_text("工号,姓名,班组,入职日期\nKF001,王一,1组,2025-03-03\nKF002,李二,1组,2025-03-03\n"
                      "KF003,张三,2组,2025-03-03\n", encoding="utf-8")
    course = root / "course"
    meta = init_cohort(course, roster, course_id="teach-test", assignments_dir=ADIR)
    home = root / "home"
    theory_at = dt.datetime.fromisoformat(meta["schedule"]["theory_at"])
    due = theory_at + dt.timedelta(minutes=EXAM.theory.minutes)
    run, _ = _autograder()
    for aid, plan in ((THEORY, [("KF001", S.PASS, 30), ("KF002", S.FAIL, 40), ("KF003", S.PASS, EXAM.theory.minutes + 15)]),):
        W.release(course, aid)
        for sid, level, minutes in plan:
            W.fetch(course, sid, aid, home / sid)
            S.answer_notebook(next((home / sid / aid).glob("*.ipynb")), S.load_keys(ADIR, aid), level,
                              random.Random(3))
            W.submit(course, sid, aid, home / sid, when=theory_at + dt.timedelta(minutes=minutes))
        W.collect(course, aid, clock=simulated_clock)
        assert not run(course, aid, ["KF001", "KF002", "KF003"])
    practical_at = dt.datetime.fromisoformat(meta["schedule"]["practical_due"]) - dt.timedelta(hours=1)
    W.release(course, PRACTICAL)
    W.fetch(course, "KF002", PRACTICAL, home / "KF002")
    S.answer_notebook(next((home / "KF002" / PRACTICAL).glob("*.ipynb")), S.load_keys(ADIR, PRACTICAL),
                      S.FAIR, random.Random(5))
    W.submit(course, "KF002", PRACTICAL, home / "KF002", when=practical_at)
    W.collect(course, PRACTICAL, clock=simulated_clock)
    assert not run(course, PRACTICAL, ["KF002"])
    manual = {"rubric-basic-knowledge": 15, "rubric-system-operation": 5, "rubric-problem-solving": 12,
              "rubric-communication": 14, "rubric-overall": 6}
    _set_manual(course, PRACTICAL, "KF002", manual, {"rubric-communication": COMMENT})
    for sid in ("KF001", "KF002", "KF003"):
        S.grade_manually(course, THEORY, sid, 0.5 if sid == "KF002" else 0.9, random.Random(1))
    W.feedback(course)
    return course, manual


def _page(course: Path, sid: str, aid: str) -> Path:
    return course / "feedback" / sid / aid / f"{aid}.html"


def test_practical_feedback_teaches(graded):
    from kefu.grading.freshness import notebook_grades

    course, manual = graded
    page = _page(course, "KF002", PRACTICAL)
    text = _text(page)
    grades = notebook_grades(course, PRACTICAL, "KF002")
    tickets = sum(grades[g]["score"] for g in ("ticket1-check", "ticket2-check", "ticket3-check"))
    total = tickets + sum(manual.values())
    for d in load("practical_rubric.yml").dimensions:
        assert d.name in text
    assert COMMENT in text
    so = manual["rubric-system-operation"] + tickets
    assert f"{so:g}/20" in text  # 系统操作 = tickets + grader, shown as one total
    assert f"总分 {total:g}/100" in text
    assert ("未通过" if total < EXAM.practical.pass_score else "通过") in text
    assert "下一步" in text or total >= EXAM.practical.pass_score
    # no key: the practical keys' expected ticket values and scenario scripts never appear
    keys = yaml.safe_load((ADIR / "_keys" / f"{PRACTICAL}.yml").read_text(encoding="utf-8"))
    for sc in keys["scenarios"]:
        for line in sc["good_call"]:
            assert line not in text
    assert "answers.emit" not in text


def test_theory_feedback_verdicts_and_next_step(graded):
    course, _ = graded
    text = _text(_page(course, "KF002", THEORY))
    assert "未通过" in text and "第 1 题" in text
    assert "考点" in text and "复习" in text and "第 " in text and "章" in text
    assert "补考时间" in text and "CST" in text or "补考在首次考试" in text
    # no key: model answers / key points of the short answers never appear, except what the trainee
    # wrote themselves (the simulated trainee copies some key points into their answers)
    submitted = (course / "submitted" / "KF002" / THEORY / f"{THEORY}.ipynb").read_text(encoding="utf-8")
    keys = yaml.safe_load((ADIR / "_keys" / f"{THEORY}.yml").read_text(encoding="utf-8"))
    checked = 0
    for entry in keys["manual"].values():
        for kp in [entry["model_answer"][:30], *entry["key_points"]]:
            if kp not in submitted:
                assert kp not in text
                checked += 1
    assert checked
    ok = _text(_page(course, "KF001", THEORY))
    assert "通过" in ok and "未通过" not in ok


def test_late_exam_feedback_is_zero(graded):
    course, _ = graded
    text = _text(_page(course, "KF003", THEORY))
    assert "总分 0/100" in text and "记 0 分" in text and "未通过" in text


def test_stale_feedback_detected_and_regenerated(graded):
    from kefu.grading.freshness import stale_feedback

    course, manual = graded
    assert stale_feedback(course, PRACTICAL) == []
    _set_manual(course, PRACTICAL, "KF002", {"rubric-overall": manual["rubric-overall"] + 2})
    assert [s for s, _ in stale_feedback(course, PRACTICAL)] == ["KF002"]
    r = subprocess.run([sys.executable, "-m", "kefu.cli.main", "feedback-status", PRACTICAL, "--course", str(course),
                        "--regenerate"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "KF002" in r.stdout
    assert stale_feedback(course, PRACTICAL) == []
    assert f"{manual['rubric-overall'] + 2:g}/10" in _text(_page(course, "KF002", PRACTICAL))


@pytest.mark.browser
def test_feedback_readable_at_phone_width(graded, tmp_path):
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(Path(__file__).parent))
    from lab_server import CHROME_ARGS, CHROMIUM, font_env

    course, _ = graded
    page_path = _page(course, "KF002", PRACTICAL)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROME_ARGS, headless=True,
                                    env=font_env(tmp_path / "fonts"))
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.goto(page_path.as_uri())
            page.screenshot(path=str(tmp_path / "feedback-390.png"), full_page=True)
            width = page.evaluate("document.documentElement.scrollWidth")
            summary = page.locator(".kefu-summary").first.inner_text()
        finally:
            browser.close()
    assert width <= 390 + 2, f"page is {width}px wide at a 390px screen"
    assert "沟通技巧" in summary


def test_guide_for_a_trainee_shows_system_operation_total(graded, tmp_path):
    from kefu.grading.freshness import notebook_grades

    course, _ = graded
    out = tmp_path / "guide.html"
    r = subprocess.run([sys.executable, "-m", "kefu.cli.main", "grading-guide", PRACTICAL, "--course", str(course),
                        "--student", "KF002", "-o", str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    g = notebook_grades(course, PRACTICAL, "KF002")
    tickets = sum(g[t]["score"] for t in ("ticket1-check", "ticket2-check", "ticket3-check"))
    so = g["rubric-system-operation"]["manual_score"]
    assert f"= {tickets + so:g}/20" in _text(out)


@pytest.mark.browser
def test_grader_edits_in_formgrader_then_feedback_is_regenerated(graded, tmp_path):
    """In Chromium, a grader opens the practical submission in formgrader (served by `kefu formgrader`),
    changes 综合表现's score and writes a comment; the feedback is then stale, `kefu feedback-status
    --regenerate` regenerates it, and the trainee's page shows the new score and comment."""
    import sqlite3

    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(Path(__file__).parent))
    from lab_server import CHROME_ARGS, CHROMIUM, Server, font_env, free_port

    from kefu.grading.freshness import stale_feedback

    course, _ = graded
    con = sqlite3.connect(str(course / "gradebook.db"))
    try:
        sub_id = con.execute(
            "SELECT submitted_notebook.id FROM submitted_notebook JOIN submitted_assignment ON "
            "submitted_notebook.assignment_id = submitted_assignment.id JOIN assignment ON "
            "submitted_assignment.assignment_id = assignment.id WHERE submitted_assignment.student_id = 'KF002' "
            "AND assignment.name = ?", (PRACTICAL,)).fetchone()[0]
    finally:
        con.close()
    W.feedback(course, PRACTICAL)
    assert stale_feedback(course, PRACTICAL) == []
    new_comment = "结束语完整,情绪稳定,继续保持"
    server = Server(["formgrader", "--course", str(course), "--port", str(free_port())], tmp_path / "fg.log",
                    page="formgrader")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROME_ARGS, headless=True,
                                         env=font_env(tmp_path / "fonts"))
            try:
                page = browser.new_page()
                # the page's own XHRs (load and save grades) authenticate with the server's token
                page.set_extra_http_headers({"Authorization": f"token {server.token}"})
                page.goto(f"{server.base}/formgrader/submissions/{sub_id}/?token={server.token}", timeout=60_000)
                page.wait_for_selector("#rubric-overall", timeout=60_000)
                page.wait_for_function("document.querySelector('#rubric-overall').value !== ''", timeout=60_000)
                page.fill("#rubric-overall", "9")
                page.dispatch_event("#rubric-overall", "change")
                page.fill("#rubric-overall-comment", new_comment)
                page.dispatch_event("#rubric-overall-comment", "change")
                page.wait_for_timeout(2000)  # the Backbone models save over XHR
            finally:
                browser.close()
    finally:
        server.close()
    assert [s for s, _ in stale_feedback(course, PRACTICAL)] == ["KF002"]
    r = subprocess.run([sys.executable, "-m", "kefu.cli.main", "feedback-status", PRACTICAL, "--course", str(course),
                        "--regenerate"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    text = _text(_page(course, "KF002", PRACTICAL))
    assert new_comment in text and "9/10" in text
