"""What trainers see: the Excel gradebook, the terminal table, the charts and the weak areas."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kefu.gradebook import export
from kefu.gradebook.data import build_report
from kefu.seeds import load

pytestmark = pytest.mark.slow  # the cohort is made with nbgrader's schema (alembic)

RULES = load("exam.yml")
RUDE = "不知道,你问别人去。这不是我应该做的事情。"


@pytest.fixture(scope="module")
def cohort(tmp_path_factory) -> Path:
    from nbgrader.api import Gradebook

    from kefu.cohort.config import load_config
    from kefu.gradebook.synthetic import make_cohort

    course = tmp_path_factory.mktemp("views") / "cohort"
    make_cohort(course, RULES.item_analysis.min_candidates + 4, seed=9)
    cfg = load_config(course)
    with Gradebook(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id) as gb:
        gb.update_or_create_student("KF00001", first_name="", last_name='=HYPERLINK("http://127.0.0.1","x")')
        gb.db.commit()
    # a rude free-text answer and a harmless label in KF00002's autograded practical notebook
    nb = {"cells": [
        {"cell_type": "markdown", "metadata": {"nbgrader": {"solution": True, "grade_id": "a1"}}, "source": RUDE},
        {"cell_type": "code", "metadata": {"nbgrader": {"solution": True, "grade_id": "a2"}},
         "source": 'q1 = ["不可以", "可以"]\nq2 = "请您稍等,我马上为您查询。"', "outputs": [], "execution_count": 1},
        {"cell_type": "markdown", "metadata": {}, "source": "题目里的“不知道”不算作答。"},
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    folder = course / "autograded" / "KF00002" / "practical-exam"
    folder.mkdir(parents=True)
    (folder / "practical-exam.ipynb").write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    return course


@pytest.fixture(scope="module")
def report(cohort) -> dict:
    return build_report(cohort, answers=True)


@pytest.fixture(scope="module")
def workbook(report, tmp_path_factory):
    import openpyxl

    path = tmp_path_factory.mktemp("xlsx") / "成绩册.xlsx"
    export.write_xlsx(report, path)
    return openpyxl.load_workbook(path)


def _table(ws, top: int = 1) -> tuple[list, list[tuple]]:
    rows = list(ws.iter_rows(min_row=top, values_only=True))
    return list(rows[0]), rows[1:]


def test_scores_are_numbers_that_sum(workbook, report):
    head, rows = _table(workbook["总表"])
    col = head.index("理论首考")
    firsts = [r[col] for r in rows if r[col] is not None]
    assert firsts and all(isinstance(v, (int, float)) for v in firsts)
    expected = [t["theory"]["attempts"][0]["score"] for t in report["trainees"] if t["theory"]["attempts"]]
    assert sum(firsts) == pytest.approx(sum(expected))
    head, rows = _table(workbook["章节进度"])
    assert all(isinstance(v, (int, float)) for r in rows for v in r[2:] if v is not None)
    ws = workbook["理论考核"]
    assert isinstance(ws["E2"].value, __import__("datetime").datetime)


def test_every_table_sheet_has_a_filter_and_a_frozen_header(workbook):
    for name in ("总表", "理论考核", "实操考核", "章节进度", "薄弱环节", "阅卷评语", "试题分析"):
        ws = workbook[name]
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A"), name
        header_row = int(re.sub(r"[A-Z]", "", ws.auto_filter.ref.split(":")[0]))
        assert int(re.sub(r"[A-Z]", "", ws.freeze_panes)) == header_row + 1, name


def test_chapter_names_dimensions_late_and_comments(workbook, report):
    from kefu.course import load_course

    head, _ = _table(workbook["章节进度"])
    for ch in load_course().chapters:
        assert f"第{ch.number}章 {ch.title}(%)" in head
    head, rows = _table(workbook["实操考核"])
    for d in load("practical_rubric.yml").dimensions:
        assert any(h.startswith(d.name) for h in head), d.name
    head, rows = _table(workbook["总表"])
    late_col = head.index("迟交作业")
    late_ids = {t["id"] for t in report["trainees"] if t["late"]}
    assert late_ids and {r[0] for r in rows if r[late_col]} == late_ids
    head, rows = _table(workbook["阅卷评语"])
    n = sum(len(t["comments"]) for t in report["trainees"])
    assert n and len(rows) == n


def test_formula_like_text_stays_text(workbook):
    ws = workbook["总表"]
    cell = next(c for (c,) in ws.iter_rows(min_col=2, max_col=2) if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s" and cell.quotePrefix


def test_item_analysis_has_question_text_and_topic(workbook, report):
    head, rows = _table(workbook["试题分析"])
    assert "题目" in head and "主题" in head
    bank = {q.stem for q in load("question_bank.yml").questions}
    texts = [r[head.index("题目")] for r in rows]
    assert len(rows) == len(report["items"]) and all(t in bank for t in texts)
    assert {r[head.index("主题")] for r in rows} <= set(RULES.theory.topics)
    assert not report["cohort"]["item_sample"]["small"]  # enough trainees: no warning row


def test_small_sample_warning_is_visible(report, tmp_path):
    import openpyxl

    from kefu.gradebook.items import sample_note

    small = dict(report, cohort=dict(report["cohort"], item_sample=sample_note(6)))
    export.write_xlsx(small, tmp_path / "g.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "g.xlsx")["试题分析"]
    assert "样本量不足" in ws["A1"].value and str(RULES.item_analysis.min_candidates) in ws["A1"].value
    assert ws["A2"].value == "题号"


def test_weak_areas_by_phrase_category_from_answers(report, cohort):
    t = {x["id"]: x for x in report["trainees"]}["KF00002"]
    cats = {p["category"] for p in t["weak_areas"]["phrases"]}
    from kefu.phrases import check

    assert cats == {v.category for v in check(RUDE).errors}  # the labels and the polite line add nothing
    cache = json.loads((cohort / ".kefu" / "answer-phrases.json").read_text(encoding="utf-8"))
    assert any("KF00002" in k for k in cache["files"])
    again = {x["id"]: x for x in build_report(cohort, answers=True)["trainees"]}["KF00002"]
    assert again["weak_areas"]["phrases"] == t["weak_areas"]["phrases"]


def test_terminal_table_fits_the_width(report):
    from rich.cells import cell_len

    for width in (60, 80, 120):
        text = export.table(report, width=width)
        assert max(cell_len(line) for line in text.splitlines()) <= width
        if width >= 80:
            assert "工号" in text and "结论" in text and "KF00034" in text
    wide = export.table(report, width=250)
    assert all(h in wide for h in export.summary_rows(report)[0])
    assert "未显示" in export.table(report, width=80)


def test_charts_count_people_and_labels_do_not_overlap(report, tmp_path):
    import matplotlib.pyplot as plt

    from kefu.gradebook.plots import figures, write_plots

    figs = figures(report)
    try:
        ax = figs["score_distribution.png"].axes[0]
        people = sum(1 for t in report["trainees"] if t["theory"]["attempts"])
        attempts = sum(len(t["theory"]["attempts"]) for t in report["trainees"])
        assert attempts > people  # retakes exist, so counting attempts would differ
        assert sum(p.get_height() for p in ax.patches) == people
        for name, fig in figs.items():
            fig.canvas.draw()
            renderer = fig.canvas.get_renderer()
            for ax in fig.axes:
                boxes = [lab.get_window_extent(renderer) for lab in ax.get_yticklabels() + ax.get_xticklabels()
                         if lab.get_text() and lab.get_visible()]
                for i, a in enumerate(boxes):
                    for b in boxes[i + 1:]:
                        assert not a.overlaps(b) or a.width * a.height == 0, name
    finally:
        for fig in figs.values():
            plt.close(fig)
    paths = write_plots(report, tmp_path)
    assert {p.name for p in paths} >= {"score_distribution.png", "pass_rates.png", "chapter_people.png",
                                       "chapter_heatmap.png", "item_analysis.png"}
