"""One real-browser test: Playwright drives Debian's Chromium against the self-study `kefu lab` (started in a
subprocess on 127.0.0.1, free port, token; it serves a copy of the chapter in a temporary folder). Open
the 禁用语 chapter, run all cells from the Chinese menu, type a rude reply into the live checker, see the
highlighted violation."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from lab_server import CHROME_ARGS, CHROMIUM, Server, font_env, free_port

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / ".pytest_cache" / "browser"

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _chapter_notebook() -> Path:
    from kefu.course import load_course

    ch = next(c for c in load_course().chapters if "live-checker" in c.drills and "flashcards" in c.drills)
    return ROOT / ch.notebook


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip(f"没有找到 Chromium({CHROMIUM}):请先 apt-get install chromium")
    pytest.importorskip("playwright.sync_api", reason="playwright 未安装(pip install -e '.[dev]')")

    nb = _chapter_notebook()
    if not nb.is_file():
        pytest.fail(f"练习本不存在:{nb}(先运行 kefu build)")
    tmp = tmp_path_factory.mktemp("lab")
    source = tmp / "source"  # only this chapter, so the copy is small
    source.mkdir()
    shutil.copy(nb, source / nb.name)
    env = dict(os.environ, KEFU_SEEDS=str(ROOT / "seeds"))
    server = Server(["lab", "--home", str(tmp / "home"), "--notebooks", str(source), "--no-browser",
                     "--port", str(free_port())], tmp / "lab.log", env=env)
    try:
        assert (tmp / "home" / nb.name).is_file()
        yield server.base, server.token, nb.name
    finally:
        server.close()


def test_live_checker_highlights_in_chinese_lab(lab):
    from playwright.sync_api import sync_playwright

    base, token, name = lab
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROME_ARGS, headless=True,
                                     env=font_env(ARTIFACTS / "fonts"))
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        try:
            page.goto(f"{base}/lab/tree/{name}?token={token}", timeout=60_000)
            # The UI is Chinese: the main menu reads 文件 / 编辑 / 运行.
            page.get_by_role("menuitem", name="运行", exact=True).wait_for(timeout=60_000)
            assert page.get_by_role("menuitem", name="文件", exact=True).is_visible()
            page.locator(".jp-Notebook").first.wait_for(timeout=60_000)
            # wait until the kernel is up and idle (the status bar says 空闲) before running everything
            page.locator(".jp-StatusBar-TextItem", has_text="| 空闲").first.wait_for(timeout=90_000)
            first_prompt = page.locator(".jp-CodeCell .jp-InputPrompt").first
            for _attempt in range(3):
                page.get_by_role("menuitem", name="运行", exact=True).click()
                page.get_by_role("menuitem", name="运行所有单元格", exact=True).click()
                try:
                    page.wait_for_function(
                        "el => /\\[\\d+\\]/.test(el.textContent)", arg=first_prompt.element_handle(),
                        timeout=20_000)
                    break
                except Exception:
                    continue
            # the live checker is the first drill with a text area in a widget labelled 话术实时检查
            checker = page.locator(".widget-vbox", has=page.locator("text=话术实时检查")).last
            box = checker.locator("textarea").first
            box.wait_for(timeout=60_000)
            box.scroll_into_view_if_needed()
            box.fill("")
            box.type("不知道,你自己去查吧!", delay=20)
            # the checker re-renders on every keystroke: wait until the output shows the whole reply
            # (its last characters) before reading the highlight, so no stale element is read
            checker.get_by_text("去查吧", exact=False).last.wait_for(timeout=30_000)
            mark = checker.locator("mark.kefu-violation").first
            mark.wait_for(timeout=30_000)
            assert "不知道" in mark.inner_text()
            checker.get_by_text("发现不当说法").first.wait_for(timeout=10_000)
            for _attempt in range(3):  # for the screenshot only: re-query if a late re-render replaced it
                try:
                    checker.locator("mark.kefu-violation").first.scroll_into_view_if_needed(timeout=5_000)
                    break
                except Exception:
                    page.wait_for_timeout(500)
            page.screenshot(path=str(ARTIFACTS / "live-checker.png"), full_page=False)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "failure.png"))
            raise
        finally:
            browser.close()
