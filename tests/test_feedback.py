"""Feedback shows each test's outcome and message but never hidden test source (nbgrader #917)."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from kefu.autograde.testcourse import clone_course as clone
from test_autograde import base_course, jupyter_env, place_variants  # noqa: F401 (fixtures)


def hidden_lines(course: Path) -> list[str]:
    lines = []
    for path in sorted((course / "source").glob("*/*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            inside = False
            for line in src.splitlines():
                if "BEGIN HIDDEN TESTS" in line:
                    inside = True
                elif "END HIDDEN TESTS" in line:
                    inside = False
                elif inside and line.strip():
                    lines.append(line.strip())
    return lines


def page_text(path: Path) -> str:
    """The visible text of an HTML page (tags dropped, entities decoded, so highlighted code matches)."""
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", "", raw, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", raw))


def test_preprocessor_strips_hidden_region_and_tracebacks():
    from nbformat.v4 import new_code_cell, new_output

    from kefu.autograde.hidetests import HIDDEN_NOTE, HideHiddenTests

    cell = new_code_cell("assert isinstance(x, str)\n### BEGIN HIDDEN TESTS\nassert x == 'secret-answer', '答案不对'\n"
                         "### END HIDDEN TESTS")
    cell.outputs = [
        new_output("stream", name="stdout", text="提示:再想想\n"),
        new_output("error", ename="AssertionError", evalue="答案不对",
                   traceback=["\x1b[0;31mAssertionError\x1b[0m", "----> 3 assert x == 'secret-answer', '答案不对'"]),
    ]
    out, _ = HideHiddenTests().preprocess_cell(cell, {}, 0)
    assert "secret-answer" not in out.source and "HIDDEN" not in out.source
    assert out.source.startswith("assert isinstance(x, str)") and HIDDEN_NOTE in out.source
    assert out.outputs[0].text == "提示:再想想\n"
    assert out.outputs[1].traceback == ["AssertionError: 答案不对"]


@pytest.mark.slow
def test_released_feedback_contains_no_hidden_test_line(base_course, tmp_path):  # noqa: F811
    from nbgrader.apps import NbGraderAPI

    from kefu.autograde import autograde, feedback
    from kefu.autograde.config import load_config

    course = clone(base_course, tmp_path / "fb")
    place_variants(course, {"amy": "correct", "rex": "rude", "pat": "partial"})
    res = autograde(course, jobs=2, progress=False)
    assert not res.failed
    secret = hidden_lines(course)
    assert len(secret) > 10

    # the search can fail: stock nbgrader feedback does show the hidden tests
    stock = clone(course, tmp_path / "stock")
    cfg = load_config(stock)
    assert NbGraderAPI(config=cfg).generate_feedback("practice-a")["success"]
    stock_text = "\n".join(page_text(p) for p in (stock / "feedback").glob("*/*/*.html"))
    assert any(line in stock_text for line in secret)

    out = feedback(course)
    assert out == {"practice-a": 3, "practice-b": 3}
    pages = sorted((course / "feedback").glob("*/*/*.html"))
    released = sorted((course / "exchange").glob("*/feedback/*.html"))
    assert len(pages) == 6 and len(released) == 6
    for page in pages + released:
        text = page_text(page)
        leaked = [line for line in secret if line in text]
        assert not leaked, f"{page}: {leaked}"

    rude = page_text(course / "feedback" / "rex" / "practice-a" / "practice-a.html")
    assert "出现了禁用说法:不知道、你自己" in rude and "推荐说法:您好,请问有什么可以帮您?" in rude
    assert "开场白含有禁用说法" in rude  # the assertion message (outcome) is kept
    partial = page_text(course / "feedback" / "pat" / "practice-a" / "practice-a.html")
    assert "只求了总和,还要除以通话数" in partial
    good = page_text(course / "feedback" / "amy" / "practice-a" / "practice-a.html")
    assert "开场白符合规范" in good and "平均处理时长计算正确" in good


def test_feedback_refuses_an_assignment_without_graded_work(base_course, tmp_path):  # noqa: F811
    from kefu.autograde import CourseError, feedback

    course = clone(base_course, tmp_path / "none")
    with pytest.raises(CourseError, match="还没有自动评分"):
        feedback(course, "practice-a")
