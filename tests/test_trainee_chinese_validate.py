"""A trainee reads nbgrader's Validate results in Chinese and the Assignments panel's times in the cohort's
timezone (kefu.classroom.trainee_panel).

Through the trainee's surfaces: a real `kefu lab --course … --student KF001` (bubblewrap kernel) answers
``POST /assignments/validate`` for a failing and a passing paper; ``nbgrader validate`` runs in a
subprocess with that trainee's configuration folder; the panel's listing (``GET /assignments``) after a
submit made through the panel; Chromium clicks Validate and opens the Assignment List, reads its
Chinese labels and fetches with its Chinese 下载 button.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import signal
import subprocess
import textwrap
import unicodedata
from pathlib import Path

import nbformat
import pytest

from kefu.authoring.cells import TEXT_STUB
from kefu.classroom import trainee_panel as TP
from lab_server import AID, CHROME_ARGS, CHROMIUM, Server, font_env, free_port, kefu, make_cohort

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / ".pytest_cache" / "browser"
ENGLISH = ("You did not provide a response", "Partial credit", "VALIDATION FAILED", "CELL(S)")
TRAINEE_SAYS = "第 3 题:答案还没有填写"   # what the trainee's own test cell raises: passed on unchanged


# ----------------------------------------------------------------------------- fast

@pytest.mark.parametrize("name", sorted(TP.WARNINGS))
def test_summaries_stay_whole_under_nbgraders_fill(name):
    """nbgrader prints the summaries through ``textwrap.fill(width=Validator.width)``: a Chinese line
    longer than the width would be cut in the middle of a word, a line break turned into a space."""
    from nbgrader.validator import Validator

    width = Validator().width
    for n in (1, 12, 999):
        text = TP.WARNINGS[name].format(num_failed=n, num_changed=n, num_passed=n)
        assert "\n" not in text and "{" not in text
        assert textwrap.fill(text, width=width) == text
        columns = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
        assert columns <= width, (name, columns)


# ----------------------------------------------------------------------------- one trainee's server

def _cell(kind: str, source: str, gid: str, **md) -> nbformat.NotebookNode:
    """A cell as nbgrader's generate_assignment releases it: nbgrader metadata and its checksum."""
    from nbgrader.utils import compute_checksum

    c = (nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell)(source)
    c.metadata["nbgrader"] = {"grade_id": gid, "schema_version": 3, "cell_type": kind, "locked": False,
                              "solution": False, "grade": False, **md}
    c.metadata.nbgrader["checksum"] = compute_checksum(c)
    return c


def _notebook(cells: list) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def _paper(answered: bool) -> nbformat.NotebookNode:
    """A released paper as nbgrader's generate_assignment leaves it (checksums included): a written answer,
    a test cell scoring 0.5 of 1 point, a test cell raising the trainee-facing message. ``answered``:
    the written answer filled in and both test cells passing."""
    from nbgrader.utils import compute_checksum

    cells = [
        _cell("markdown", "**第 1 题(简答)作答:**\n\n请在这里写出您的回答", "q1", grade=True, solution=True, points=1),
        _cell("code", "0.5", "q2-test", grade=True, locked=True, points=1),
        _cell("code", f"raise ValueError({TRAINEE_SAYS!r})", "q3-test", grade=True, locked=True, points=1),
    ]
    if answered:
        cells[0].source = "**第 1 题(简答)作答:**\n\n先道歉,再核实订单。"
        for c, src in ((cells[1], "1.0"), (cells[2], "print('第 3 题已作答')")):
            c.source = src
            c.metadata.nbgrader["checksum"] = compute_checksum(c)
    return _notebook(cells)


HEADING = "**第 1 题(简答)作答:**"   # what an exam's release keeps above a written answer's stub (kefu.exams.theory)
#: written answers as the trainee left them: {file: (source of the answer cell, question named or None)}
WRITTEN = {
    "简答-删了提示": (HEADING + "\n", 1),                   # the stub deleted, nothing written
    "简答-只有空格": (HEADING + "\n   \n\t \n", 1),        # the heading kept, only blanks below it
    "简答-全删": ("", 1),                                   # heading and stub deleted: named from the question above
    "简答-留着提示": (TEXT_STUB + "\n", 1),                  # the heading deleted, the stub kept
    "简答-已作答": (HEADING + "\n先道歉,再核实订单。", None),
    "简答-只写答案": ("先道歉,再核实订单。", None),             # the heading deleted, an answer written
}


def _written_paper(source: str, around: bool = False) -> nbformat.NotebookNode:
    """A released exam-like written question (locked question text, the answer cell released as heading +
    the kit's text stub, checksums as generate_assignment leaves them) whose answer the trainee changed to
    ``source``; ``around``: a failing test cell before and after it."""
    answer = _cell("markdown", f"{HEADING}\n{TEXT_STUB}", "q1", grade=True, solution=True, points=5)
    answer.source = source
    cells = [_cell("markdown", "**1.** 客户投诉时,您会先说什么?(5 分)", "q1-text", locked=True), answer]
    if around:
        cells.insert(0, _cell("code", f"raise ValueError({TRAINEE_SAYS!r})", "q0-test", grade=True, locked=True, points=1))
        cells.append(_cell("code", "0.5", "q2-test", grade=True, locked=True, points=1))
    return _notebook(cells)


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    return make_cohort(tmp_path_factory.mktemp("zhvalidate"), ["KF001"])


@pytest.fixture(scope="module")
def lab(course: Path, tmp_path_factory):
    log = tmp_path_factory.mktemp("zhvalidatelog") / "lab.log"
    server = Server(["lab", "--course", str(course), "--student", "KF001", "--no-browser",
                     "--port", str(free_port())], log)
    home = course / "trainees" / "KF001"
    for name, answered in (("未完成", False), ("已完成", True)):
        (home / "自测").mkdir(exist_ok=True)
        nbformat.write(_paper(answered), home / "自测" / f"{name}.ipynb")
    for name, (source, _) in WRITTEN.items():
        nbformat.write(_written_paper(source), home / "自测" / f"{name}.ipynb")
    nbformat.write(_written_paper(HEADING, around=True), home / "自测" / "简答-夹在中间.ipynb")
    try:
        yield server
    finally:
        server.close()


def _home(course: Path) -> Path:
    return course / "trainees" / "KF001"


@pytest.mark.slow
def test_the_labs_validate_answers_in_chinese(lab: Server):
    status, reply = lab.request("POST", "/assignments/validate", {"path": "自测/未完成.ipynb"}, timeout=300)
    assert status == 200 and reply["success"], (reply, lab.log()[-3000:])
    failed = reply["value"]["failed"]
    errors = [f["raw_error"] for f in failed]
    assert len(errors) == 3, errors
    assert errors[0] == TP.NO_RESPONSE and TP.NO_RESPONSE in failed[0]["error"]
    assert errors[1] == TP.PARTIAL and TP.PARTIAL in failed[1]["error"]
    assert TRAINEE_SAYS in errors[2] and "ValueError" in errors[2]   # the trainee's own output, unchanged
    text = json.dumps(reply, ensure_ascii=False)
    assert not [e for e in ENGLISH if e in text], text

    status, reply = lab.request("POST", "/assignments/validate", {"path": "自测/已完成.ipynb"}, timeout=300)
    assert status == 200 and reply == {"success": True, "value": {}}, reply
    # the dialog's headings (fixed English in nbgrader's labextension) come from the page's custom.css
    status, css = lab.request("GET", "/custom/custom.css")
    assert status == 200 and isinstance(css, str)
    for key, cls in (("success", "validation-success"), ("failed", "validation-failed")):
        assert re.search(rf"\.{cls} > div > p::before \{{ content: \"{re.escape(TP.HEADINGS[key])}\"", css), css


@pytest.mark.slow
def test_the_labs_validate_names_an_emptied_written_answer(lab: Server):
    """nbgrader counts a written answer as answered once it differs from its release; the lab's Validate
    names it (in Chinese, by its question number) when only the heading, the stub or blanks are left."""
    for name, (source, named) in WRITTEN.items():
        status, reply = lab.request("POST", "/assignments/validate", {"path": f"自测/{name}.ipynb"}, timeout=300)
        assert status == 200 and reply["success"], (name, reply, lab.log()[-3000:])
        if named is None:
            assert reply["value"] == {}, (name, reply)
            continue
        (failed,) = reply["value"]["failed"]
        assert failed["source"] == source.strip(), (name, failed)
        assert failed["raw_error"].startswith(f"⚠ 第 {named} 题(简答)还没有作答"), (name, failed)
        assert failed["raw_error"] in failed["error"] and "Traceback" not in failed["raw_error"]
        text = json.dumps(reply, ensure_ascii=False)
        assert not [e for e in ENGLISH if e in text], text
    # in notebook order among nbgrader's own failures (the test cells before and after it)
    status, reply = lab.request("POST", "/assignments/validate", {"path": "自测/简答-夹在中间.ipynb"}, timeout=300)
    assert status == 200 and reply["success"], reply
    errors = [f["raw_error"] for f in reply["value"]["failed"]]
    assert len(errors) == 3 and TRAINEE_SAYS in errors[0] and errors[2] == TP.PARTIAL, errors
    assert errors[1].startswith("⚠ 第 1 题(简答)还没有作答"), errors


@pytest.mark.slow
def test_the_labs_validate_error_reply_is_chinese(lab: Server, course: Path):
    (_home(course) / "自测" / "坏的.ipynb").write_text("{不是笔记本", encoding="utf-8")
    status, reply = lab.request("POST", "/assignments/validate", {"path": "自测/坏的.ipynb"}, timeout=120)
    assert status == 200 and reply["success"] is False
    assert reply["value"].startswith(TP.ERROR_LEAD), reply


@pytest.mark.slow
def test_nbgrader_validate_with_the_trainee_config(lab: Server, course: Path, tmp_path):
    from kefu.classroom.jupyter import JupyterDirs

    home = _home(course)
    env = JupyterDirs(home / ".kefu-lab").env()
    res = subprocess.run(["nbgrader", "validate", "未完成.ipynb"], cwd=home / "自测", env=env,
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    # (the sandboxed kernel's own start-up notes go to the same stdout)
    assert TP.WARNINGS["failed_warning"].format(num_failed=3) in res.stdout.splitlines(), res.stdout
    assert "VALIDATION FAILED" not in res.stdout and TRAINEE_SAYS in res.stdout
    res = subprocess.run(["nbgrader", "validate", "已完成.ipynb"], cwd=home / "自测", env=env,
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0 and "failed" not in res.stdout.lower() and "没有通过" not in res.stdout, res.stdout


@pytest.mark.slow
def test_the_panel_lists_the_submission_in_the_cohorts_time(lab: Server, course: Path):
    from kefu.classroom import trainee_exchange_settings

    cid = trainee_exchange_settings(course)["course_id"]
    zone = json.loads((course / "cohort.json").read_text(encoding="utf-8"))["timezone"]
    assert zone == "Asia/Shanghai"
    for action in ("fetch", "submit"):
        status, listing = lab.request("POST", f"/assignments/{action}", {"course_id": cid, "assignment_id": AID})
        assert status == 200 and listing.get("success"), listing
    status, listing = lab.request("GET", f"/assignments?course_id={cid}")
    assert status == 200 and listing["success"], listing
    submitted = [a for a in listing["value"] if a["status"] == "submitted"]
    shown = submitted[0]["submissions"][0]["timestamp"]
    # what was written is nbgrader's UTC text, in the cache and in the exchange alike (graders read it)
    (inbound,) = (course / "exchange" / cid / "inbound").iterdir()
    written = (inbound / "timestamp.txt").read_text(encoding="utf-8")
    cached = [p.name.split("+")[2] for p in (_home(course) / ".nbgrader_cache" / cid).iterdir()]
    assert written.endswith(" UTC") and cached == [written], (written, cached)
    utc = dt.datetime.strptime(written, "%Y-%m-%d %H:%M:%S.%f UTC")
    assert shown == f"{utc + dt.timedelta(hours=8):%Y-%m-%d %H:%M:%S}(UTC+08:00)", shown
    # the trainer's side still collects it (the trusted time, not the panel's text)
    res = kefu("collect", AID, "--course", str(course))
    assert res.returncode == 0 and "KF001" in res.stdout, res.stdout + res.stderr


# ----------------------------------------------------------------------------- Chromium

@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip(f"没有找到 Chromium({CHROMIUM})")
    sync = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROME_ARGS, headless=True,
                                     env=font_env(ARTIFACTS / "fonts"))
        try:
            yield browser
        finally:
            browser.close()


def _before(page, selector: str) -> str:
    """The text a ``::before`` pseudo-element shows (the CSS ``content`` value without quotes) — with a
    real font size, while the element's own (English) text has none."""
    content, size, own = page.eval_on_selector(
        selector, "e => [getComputedStyle(e, '::before').content, getComputedStyle(e, '::before').fontSize,"
                  " getComputedStyle(e).fontSize]")
    assert float(size.removesuffix("px")) >= 12 and own == "0px", (selector, size, own)
    return content.strip('"')


OTHER = "ch02-listening-questions"   # released by the panel test below, fetched there with the Chinese button


@pytest.mark.slow
@pytest.mark.browser
def test_the_assignments_panel_reads_chinese_and_its_buttons_work(lab: Server, course: Path, chromium):
    """nbgrader's Assignments panel (fixed English in its labextension) shows Chinese over its headings,
    buttons and empty-list texts; the buttons keep their role and still work: clicking 下载 fetches."""
    from kefu.classroom import trainee_exchange_settings

    cid = trainee_exchange_settings(course)["course_id"]
    res = kefu("release", OTHER, "--course", str(course))
    assert res.returncode == 0, res.stdout + res.stderr
    status, listing = lab.request("GET", f"/assignments?course_id={cid}")
    assert status == 200 and listing["success"], listing
    if not [a for a in listing["value"] if a["status"] == "submitted"]:  # the panel-time test did not run
        for action in ("fetch", "submit"):
            status, reply = lab.request("POST", f"/assignments/{action}", {"course_id": cid, "assignment_id": AID})
            assert status == 200 and reply.get("success"), reply
    P, S = TP.PANEL, TP.PANEL_SELECTORS
    page = chromium.new_page(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    try:
        page.goto(lab.url.replace("/lab?", "/lab?reset&"), timeout=60_000)
        page.get_by_role("menuitem", name="Nbgrader", exact=True).click()
        assert _before(page, S["menu"]) == P["menu"]
        page.get_by_role("menuitem", name=P["menu"]).click()
        page.locator("#submitted_assignments_list .list_item").first.wait_for(timeout=60_000)
        released = page.locator("#released_assignments_list > .list_item", has_text=OTHER)
        released.wait_for(timeout=60_000)
        page.wait_for_timeout(300)
        for key in ("tab", "course", "released", "fetched", "submitted", "fetch", "submit", "feedback"):
            assert _before(page, S[key]) == P[key], key
            # a box as high as the Chinese label (an inline element of font size 0 would have none to click)
            assert page.locator(S[key]).first.bounding_box()["height"] >= 12, key
        # hidden until nbgrader needs them (getComputedStyle answers for hidden elements too)
        for key in ("fetched-empty", "submitted-empty"):
            assert _before(page, S[key]) == P[key], key
        for name in ("released", "fetched", "submitted"):
            assert _before(page, f"#{name}_assignments_list_loading > div") == P["loading"]
        # the fetched assignment's notebooks (collapsed; nbgrader's caret adds the class "in")
        page.eval_on_selector_all("#fetched_assignments_list .assignment-notebooks", "es => es.forEach(e => e.classList.add('in'))")
        assert _before(page, S["validate"]) == P["validate"]
        # while it works nbgrader disables the button (and writes "submitting..." etc. in it)
        busy = page.eval_on_selector(S["submit"], "e => { e.setAttribute('disabled', 'disabled');"
                                     " const c = getComputedStyle(e, '::before').content; e.removeAttribute('disabled');"
                                     " return c; }")
        assert busy.strip('"') == P["submit-busy"]
        after = page.eval_on_selector("#refresh_assignments_list", "e => getComputedStyle(e, '::after').content")
        assert after.strip('"') == P["refresh"]
        page.locator("#assignments_toolbar").get_by_role("button", name=P["refresh"]).wait_for()
        # the English is still in the page, but not shown; data (names, course id, time) is left alone
        assert page.locator(S["fetch"]).first.inner_text() == "Fetch"
        assert page.eval_on_selector(S["fetch"], "e => e.getBoundingClientRect().width") > 0
        assert re.search(r"\(UTC\+08:00\)", page.locator("#submitted_assignments_list").inner_text())
        for selector in ("#course_list_default", "#released_assignments_list .item_name"):
            assert page.eval_on_selector(selector, "e => getComputedStyle(e).fontSize") != "0px", selector
        page.screenshot(path=str(ARTIFACTS / "panel-zh.png"))
        # a failed request: nbgrader empties the row's button cell and writes "Error fetching assignment." etc.
        # into it. Done here the same way on copies of the real rows (a server error cannot be caused on purpose
        # without breaking the server the other tests use)
        for key, row, english in (
                ("fetch-error", "#released_assignments_list > .list_item", "Error fetching assignment."),
                ("submit-error", "#fetched_assignments_list > .list_item", "Error submitting assignment."),
                ("feedback-error", "#submitted_assignments_list > .list_item", "Error fetching feedback."),
                ("validate-error", "#fetched_assignments_list .nested_list_item", "Error validating assignment.")):
            page.eval_on_selector(row, "(e, t) => { const c = e.cloneNode(true); c.classList.add('kefu-copy');"
                                  " e.after(c); const s = c.querySelector('.item_status'); s.innerHTML = '';"
                                  " s.innerText = t; }", english)
            assert _before(page, f"{row}.kefu-copy > .col-md-12 > .item_status") == P[key], key
            page.eval_on_selector_all(".kefu-copy", "es => es.forEach(e => e.remove())")
            assert page.locator(S[key]).count() == 0, key  # rows with their buttons are not matched
        # a trainee clicks 下载 (a real button, by its Chinese name): the assignment moves to the downloaded list
        released.get_by_role("button", name=P["fetch"]).click()
        page.locator("#fetched_assignments_list > .list_item", has_text=OTHER).wait_for(timeout=60_000)
        assert (_home(course) / OTHER).is_dir()
        page.locator("#released_assignments_list_placeholder").wait_for(timeout=30_000)
        assert _before(page, S["released-empty"]) == P["released-empty"]
        page.wait_for_timeout(300)
        page.screenshot(path=str(ARTIFACTS / "panel-zh-fetched.png"))
        # a link in the downloaded folder: 提交 is refused (kefu.classroom.assignment_list) in nbgrader's
        # "Invalid Submission" dialog, whose fixed English title and lead read Chinese
        link = _home(course) / OTHER / "参考答案.ipynb"
        link.symlink_to(next((course / "source" / OTHER).glob("*.ipynb")))
        try:
            page.locator("#fetched_assignments_list > .list_item", has_text=OTHER).get_by_role(
                "button", name=P["submit"]).click()
            page.locator("#submission-message").wait_for(timeout=30_000)
            assert _before(page, ".jp-Dialog-content:has(#submission-message) .jp-Dialog-header") \
                == TP.HEADINGS["refused-title"]
            assert _before(page, "#submission-message > p") == TP.HEADINGS["refused-lead"]
            assert "参考答案.ipynb" in page.locator("#submission-message > pre").inner_text()
            page.screenshot(path=str(ARTIFACTS / "panel-zh-refused.png"))
            page.locator(".jp-Dialog-footer button").first.click()
            page.locator("#submission-message").wait_for(state="detached", timeout=30_000)
        finally:
            link.unlink(missing_ok=True)
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "panel-zh-failure.png"))
        raise
    finally:
        page.close()


@pytest.mark.slow
@pytest.mark.browser
def test_validate_dialog_and_panel_in_chromium(lab: Server, course: Path, chromium):
    page = chromium.new_page(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    try:
        for name, key in (("未完成", "failed"), ("已完成", "success")):
            # ?reset: a fresh workspace (the saved one would reopen the other paper in front of it)
            page.goto(lab.url.replace("/lab?", f"/lab/tree/自测/{name}.ipynb?reset&"), timeout=60_000)
            page.locator(".jp-mod-current .lm-TabBar-tabLabel", has_text=f"{name}.ipynb").first.wait_for(timeout=60_000)
            button = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .validate-button").first
            button.wait_for(timeout=60_000)
            shown = ".jp-NotebookPanel:not(.lm-mod-hidden) .validate-button .jp-ToolbarButtonComponent-label"
            assert _before(page, shown) == TP.HEADINGS["button"]
            button.click()
            message = page.locator("#validation-message")
            message.wait_for(timeout=300_000)
            label = "#validation-message > div > p"
            assert _before(page, label) == TP.HEADINGS[key]
            assert _before(page, ".jp-Dialog-content:has(#validation-message) .jp-Dialog-header") == TP.HEADINGS["title"]
            if key == "failed":
                assert TP.NO_RESPONSE in message.inner_text()
            page.wait_for_timeout(300)
            page.screenshot(path=str(ARTIFACTS / f"validate-zh-{key}.png"))
            page.keyboard.press("Escape")
            message.wait_for(state="detached", timeout=30_000)
        if (course / "submitted" / "KF001" / AID).is_dir():  # the panel test submitted
            page.get_by_role("menuitem", name="Nbgrader", exact=True).click()
            page.locator(".lm-Menu").last.get_by_text("Assignment List", exact=True).click()
            row = page.locator("#submitted_assignments_list .list_item", has_text=AID).first
            row.wait_for(timeout=60_000)
            assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\(UTC\+08:00\)", row.inner_text()), row.inner_text()
            page.screenshot(path=str(ARTIFACTS / "validate-zh-panel.png"))
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "validate-zh-failure.png"))
        raise
    finally:
        page.close()
    before, alive = lab.stop(signal.SIGTERM)
    assert alive == [], f"left running: {alive}"
