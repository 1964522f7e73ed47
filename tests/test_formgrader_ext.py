"""kefu's formgrader extension, through `kefu formgrader` and Chromium: a cohort's theory exam with one trainee
on time and one late (autograded by kefu's pipeline with the late plugin); formgrader's API and its Manage
Submissions page show the late exam as 0 with the late marker (as kefu's gradebook does), and the grader's
guide opens from the page inside formgrader."""
from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

import pytest

from kefu.cohort import simulate as S
from kefu.cohort import workflow as W
from kefu.cohort.create import init_cohort
from kefu.cohort.provenance import simulated_clock
from kefu.grading.formgrader_ext import LATE_MARK
from kefu.seeds import load, seeds_dir

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ADIR = seeds_dir().parent / "assignments"
EXAM = load("exam.yml")
THEORY = EXAM.theory.assignment_id


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from kefu.cohort.demo import _autograder

    sys.path.insert(0, str(Path(__file__).parent))
    from lab_server import Server, free_port

    root = tmp_path_factory.mktemp("fgext")
    roster = root / "roster.csv"
    roster.write_text("工号,姓名,班组,入职日期\nKF001,王一,1组,2025-03-03\nKF003,张三,2组,2025-03-03\n",
                      encoding="utf-8")
    course = root / "course"
    meta = init_cohort(course, roster, course_id="fgext-test", assignments_dir=ADIR)
    home = root / "home"
    theory_at = dt.datetime.fromisoformat(meta["schedule"]["theory_at"])
    run, _ = _autograder()
    W.release(course, THEORY)
    for sid, minutes in (("KF001", 30), ("KF003", EXAM.theory.minutes + 15)):
        W.fetch(course, sid, THEORY, home / sid)
        S.answer_notebook(next((home / sid / THEORY).glob("*.ipynb")), S.load_keys(ADIR, THEORY), S.PASS,
                          random.Random(3))
        W.submit(course, sid, THEORY, home / sid, when=theory_at + dt.timedelta(minutes=minutes))
    W.collect(course, THEORY, clock=simulated_clock)
    assert not run(course, THEORY, ["KF001", "KF003"])
    server = Server(["formgrader", "--course", str(course), "--port", str(free_port())], root / "fg.log",
                    page="formgrader")
    try:
        yield course, server
    finally:
        server.close()


def _kefu_gradebook_late(course: Path) -> dict[str, bool]:
    from nbgrader.api import Gradebook

    from kefu.cohort.config import load_config

    cfg = load_config(course)
    with Gradebook(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id) as gb:
        return {s.student.id: s.total_seconds_late > 0 for s in gb.assignment_submissions(THEORY)}


def test_api_shows_late_exam_as_zero(served):
    course, server = served
    assert _kefu_gradebook_late(course) == {"KF001": False, "KF003": True}
    status, subs = server.request("GET", f"/formgrader/api/submissions/{THEORY}")
    assert status == 200, subs
    by = {s["student"]: s for s in subs}
    late, ontime = by["KF003"], by["KF001"]
    assert late["score"] == 0 and late["kefu_late_exam"] is True and late["kefu_raw_score"] > 0
    assert LATE_MARK in late["display_timestamp"] and "CST" in late["display_timestamp"]
    assert ontime["score"] > 0 and "kefu_late_exam" not in ontime and LATE_MARK not in ontime["display_timestamp"]
    status, one = server.request("GET", f"/formgrader/api/submission/{THEORY}/KF003")
    assert status == 200 and one["score"] == 0 and one["kefu_late_exam"] is True
    status, per_student = server.request("GET", "/formgrader/api/student_submissions/KF003")
    assert status == 200 and [s["score"] for s in per_student if s["name"] == THEORY] == [0]
    # the grader's guide is served inside formgrader; an unknown assignment is a Chinese 404, not a traceback
    status, page = server.request("GET", f"/formgrader/kefu-guide/{THEORY}")
    assert status == 200 and "仅供阅卷人使用" in page and "评分要点" in page, str(page)[:300]
    status, page = server.request("GET", "/formgrader/kefu-guide/no-such-exam")
    assert status == 404 and "Traceback" not in str(page) and "no-such-exam" in str(page), str(page)[:500]


def test_submissions_page_in_chromium(served, tmp_path):
    from playwright.sync_api import sync_playwright

    from lab_server import CHROME_ARGS, CHROMIUM, font_env

    _, server = served
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROME_ARGS, headless=True,
                                     env=font_env(tmp_path / "fonts"))
        try:
            context = browser.new_context(extra_http_headers={"Authorization": f"token {server.token}"})
            page = context.new_page()
            page.goto(f"{server.base}/formgrader/manage_submissions/{THEORY}?token={server.token}", timeout=60_000)
            page.wait_for_selector("td.score", timeout=60_000)
            page.wait_for_function("document.querySelectorAll('td.score').length >= 2", timeout=60_000)
            rows = page.eval_on_selector_all(
                "table tbody tr", "rs => rs.map(r => Array.from(r.cells).map(c => c.innerText.trim()))")
            by = {r[1]: r for r in rows if len(r) > 4}
            assert by["KF003"][4].startswith("0 /") and LATE_MARK in by["KF003"][2], rows
            assert not by["KF001"][4].startswith("0 /") and LATE_MARK not in by["KF001"][2], rows
            page.screenshot(path=str(tmp_path / "formgrader-late.png"), full_page=True)
            with context.expect_page() as guide_info:
                page.click("#kefu-guide-link")
            guide = guide_info.value
            guide.wait_for_load_state()
            text = guide.inner_text("body")
            assert "仅供阅卷人使用" in text and "评分要点" in text, text[:500]
            # the same link on Manual Grading's lists, where the grader picks the answer to grade
            for path in (f"gradebook/{THEORY}", f"gradebook/{THEORY}/{THEORY}"):
                page.goto(f"{server.base}/formgrader/{path}", timeout=60_000)
                href = page.get_attribute("#kefu-guide-link", "href", timeout=60_000)
                assert href.endswith(f"/formgrader/kefu-guide/{THEORY}"), (path, href)
        finally:
            browser.close()
