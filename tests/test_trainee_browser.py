"""Two trainees in real Chromium, each in their own `kefu lab --course … --student …`: the Chinese JupyterLab,
the Nbgrader → Assignment List panel, Fetch and Submit clicked like a trainee would; the trainer collects
both under their own ids; after autograde + feedback the trainee fetches feedback from the panel and
opens the page from the file browser. Screenshots go to .pytest_cache/browser/."""
from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest

from lab_server import AID, CHROME_ARGS, CHROMIUM, Server, font_env, free_port, kefu, make_cohort

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / ".pytest_cache" / "browser"
TRAINEES = ["KF001", "KF002"]


def _answer(sid: str) -> str:
    return f"# {sid}作答先道歉再核实订单"


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    if not CHROMIUM.exists():
        pytest.skip(f"没有找到 Chromium({CHROMIUM}):请先 apt-get install chromium")
    pytest.importorskip("playwright.sync_api", reason="playwright 未安装(pip install -e '.[dev]')")
    return make_cohort(tmp_path_factory.mktemp("browsercourse"), TRAINEES)


@pytest.fixture(scope="module")
def servers(course: Path, tmp_path_factory):
    logs = tmp_path_factory.mktemp("browserlogs")
    started: dict[str, Server] = {}
    try:
        for sid in TRAINEES:
            started[sid] = Server(["lab", "--course", str(course), "--student", sid, "--no-browser",
                                   "--port", str(free_port())], logs / f"{sid}.log")
        yield started
    finally:
        for server in started.values():
            server.close()


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROME_ARGS, headless=True,
                                     env=font_env(ARTIFACTS / "fonts"))
        try:
            yield browser
        finally:
            browser.close()


def _open_panel(chromium, server: Server):
    page = chromium.new_page(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    page.goto(server.url, timeout=60_000)
    # the UI is Chinese: the main menu reads 文件 / 编辑 / 运行
    page.get_by_role("menuitem", name="运行", exact=True).wait_for(timeout=60_000)
    assert page.get_by_role("menuitem", name="文件", exact=True).is_visible()
    page.get_by_role("menuitem", name="Nbgrader", exact=True).click()
    menu = page.locator(".lm-Menu").last
    menu.wait_for()
    # only the trainee's entry: no Formgrader, no Course List, no Create Assignment
    entries = [t.strip() for t in menu.locator(".lm-Menu-itemLabel").all_inner_texts() if t.strip()]
    assert entries == ["Assignment List"], entries
    menu.get_by_text("Assignment List", exact=True).click()
    page.locator("#nbgrader-assignment-list").wait_for(timeout=30_000)
    return page


def _row(page, list_id: str):
    return page.locator(f"#{list_id} .list_item", has_text=AID).first


def test_each_trainee_fetches_and_submits_from_the_panel_under_their_id(servers, chromium, course: Path):
    for sid, server in servers.items():
        page = _open_panel(chromium, server)
        try:
            _row(page, "released_assignments_list").get_by_role("button", name="Fetch").click()
            _row(page, "fetched_assignments_list").wait_for(timeout=60_000)
            nb = course / "trainees" / sid / AID / f"{AID}.ipynb"
            assert nb.is_file()
            # the trainee answers (the notebook file edited as a save would leave it)
            data = json.loads(nb.read_text(encoding="utf-8"))
            cell = next(c for c in data["cells"] if c["metadata"].get("nbgrader", {}).get("solution"))
            cell["source"] = _answer(sid)
            nb.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            _row(page, "fetched_assignments_list").get_by_role("button", name="Submit").click()
            page.locator("#submitted_assignments_list .list_item").first.wait_for(timeout=60_000)
            page.wait_for_timeout(500)
            page.screenshot(path=str(ARTIFACTS / f"assignments-{sid}.png"))
            assert page.locator("#fetched_assignments_list .list_error").is_hidden()
        except Exception:
            page.screenshot(path=str(ARTIFACTS / f"assignments-{sid}-failure.png"))
            raise
        finally:
            page.close()
    from kefu.classroom import trainee_exchange_settings

    inbound = course / "exchange" / trainee_exchange_settings(course)["course_id"] / "inbound"
    owners = sorted(p.name.split("+")[0] for p in inbound.iterdir())
    assert owners == TRAINEES
    res = kefu("collect", AID, "--course", str(course))
    assert res.returncode == 0, res.stderr
    for sid in TRAINEES:
        text = (course / "submitted" / sid / AID / f"{AID}.ipynb").read_text(encoding="utf-8")
        assert _answer(sid) in text
        other = next(o for o in TRAINEES if o != sid)
        assert _answer(other) not in text


def test_trainee_fetches_feedback_in_the_panel_and_opens_it(servers, chromium, course: Path):
    if not (course / "submitted" / "KF002" / AID).is_dir():
        pytest.fail("the fetch/submit test did not leave a collected submission")
    res = kefu("autograde", AID, "--course", str(course), "--no-progress")
    assert res.returncode == 0, res.stderr
    res = kefu("feedback", AID, "--course", str(course))
    assert res.returncode == 0, res.stderr
    page = _open_panel(chromium, servers["KF002"])
    try:
        row = page.locator("#submitted_assignments_list .list_item", has_text=AID).first
        row.get_by_role("button", name="Fetch Feedback").click()
        link = row.get_by_text("(view feedback)")
        link.wait_for(timeout=60_000)
        link.click()
        # the file browser goes to the feedback folder; the trainee opens the page there
        item = page.locator(".jp-DirListing-item", has_text=f"{AID}.html").first
        item.wait_for(timeout=30_000)
        item.dblclick()
        frame = page.frame_locator(".jp-HTMLViewer iframe, iframe.jp-HTMLViewer").first
        frame.get_by_text(_answer("KF002")).first.wait_for(timeout=30_000)
        page.wait_for_timeout(500)
        page.screenshot(path=str(ARTIFACTS / "feedback-KF002.png"))
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "feedback-KF002-failure.png"))
        raise
    finally:
        page.close()
    before, alive = servers["KF002"].stop(signal.SIGTERM)
    assert alive == [], f"left running: {alive}"
