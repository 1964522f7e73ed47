"""Exam policy and gradebook views, without nbgrader: thresholds come from seeds/exam.yml."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from kefu.gradebook import export
from kefu.gradebook.data import item_analysis, summary
from kefu.gradebook.policy import (
    Attempt,
    RetakeRefused,
    check_retake,
    overall_status,
    practical_status,
    theory_status,
)
from kefu.seeds import load

RULES = load("exam.yml")
PASS = RULES.theory.pass_score
PPASS = RULES.practical.pass_score
DAYS = RULES.theory.retake_min_days
TZ = ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2025, 3, 5, 14, 30, tzinfo=TZ)


def att(score, when=T0, pending=False, aid=None):
    return Attempt(aid or RULES.theory.assignment_id, score, RULES.theory.total_points, when, pending)


def test_theory_statuses_cover_every_path():
    assert theory_status(None, None) == "not_taken"
    assert theory_status(att(PASS), None) == "passed"
    assert theory_status(att(PASS - 0.5), None) == "retake_due"
    retake_when = T0 + dt.timedelta(days=DAYS)
    assert theory_status(att(PASS - 20), att(PASS, retake_when)) == "retake_passed"
    assert theory_status(att(PASS - 20), att(PASS - 1, retake_when)) == "failed_retrain"


def test_practical_and_overall():
    assert practical_status(None) == "not_taken"
    assert practical_status(PPASS) == "passed"
    assert practical_status(PPASS - 0.01) == "failed"
    assert overall_status("passed", "passed") == "certified"
    assert overall_status("retake_passed", "passed") == "certified"
    assert overall_status("failed_retrain", "passed") == "retrain"
    assert overall_status("passed", "failed") == "practical_failed"
    assert overall_status("retake_due", "passed") == "in_progress"
    assert overall_status("passed", "not_taken") == "in_progress"


def test_retake_accepted_after_min_days_counted_in_calendar_days():
    first = att(PASS - 10)
    # the morning of the day retake_min_days later is fine, even before the first attempt's hour
    when = dt.datetime.combine(T0.date() + dt.timedelta(days=DAYS), dt.time(8, 0), TZ)
    check_retake("KF001", first, when, tz=TZ)


def test_retake_too_early_is_refused_with_the_earliest_date():
    first = att(PASS - 10)
    when = T0 + dt.timedelta(days=DAYS - 1)
    with pytest.raises(RetakeRefused) as exc:
        check_retake("KF001", first, when, tz=TZ)
    msg = str(exc.value)
    assert "KF001" in msg and str(DAYS) in msg
    assert (T0.date() + dt.timedelta(days=DAYS)).isoformat() in msg


def test_second_retake_refused():
    with pytest.raises(RetakeRefused, match="只允许"):
        check_retake("KF001", att(PASS - 10), T0 + dt.timedelta(days=DAYS + 3), retakes_taken=1, tz=TZ)


def test_retake_refused_when_first_passed_missing_or_ungraded():
    later = T0 + dt.timedelta(days=DAYS + 1)
    with pytest.raises(RetakeRefused, match="无需补考"):
        check_retake("KF001", att(PASS + 5), later, tz=TZ)
    with pytest.raises(RetakeRefused, match="还没有参加"):
        check_retake("KF001", None, later, tz=TZ)
    with pytest.raises(RetakeRefused, match="阅卷"):
        check_retake("KF001", att(PASS - 10, pending=True), later, tz=TZ)


def test_utc_naive_times_are_compared_in_the_cohort_time_zone():
    # 2025-03-05 20:00 UTC is already 03-06 in Shanghai: the 7 days count from 03-06 there
    first = att(PASS - 10, when=dt.datetime(2025, 3, 5, 20, 0))
    with pytest.raises(RetakeRefused):
        check_retake("KF001", first, dt.datetime(2025, 3, 12, 10, 0, tzinfo=TZ), tz=TZ)
    check_retake("KF001", first, dt.datetime(2025, 3, 13, 10, 0, tzinfo=TZ), tz=TZ)


def _report():
    def trainee(i, theory, practical, status, attempts):
        return {"id": f"KF{i:03d}", "name": f"学员{i}", "team": "1组",
                "theory": {"attempts": attempts, "status": theory},
                "practical": {"score": 90.0 if practical == "passed" else 50.0, "status": practical,
                              "needs_manual_grade": False},
                "chapters": {"ch01-x": {"score": 5.0, "max_score": 10.0, "percent": 50.0}, "ch02-y": None},
                "status": status}
    a = {"assignment": "theory-exam", "score": 90.0, "submitted_at": "2025-03-05T14:30:00+08:00",
         "needs_manual_grade": False}
    return {"trainees": [trainee(1, "passed", "passed", "certified", [a]),
                        trainee(2, "failed_retrain", "failed", "retrain", [a, a])],
            "cohort": {"course_id": "t"}, "items": []}


def test_json_view_has_exactly_the_specified_keys():
    view = export.json_view(_report())
    assert list(view) == ["trainees"]
    t = view["trainees"][0]
    assert set(t) == {"id", "name", "theory", "practical", "chapters", "status"}
    assert set(t["theory"]) == {"attempts", "status"}
    assert set(t["theory"]["attempts"][0]) == {"assignment", "score", "submitted_at"}
    assert set(t["practical"]) == {"score", "status"}


def test_summary_counts_and_rates():
    s = summary(_report())
    assert s["theory"]["passed"] == 1 and s["theory"]["failed_retrain"] == 1
    assert s["rates"]["certified"] == 0.5


def test_xlsx_has_a_sheet_per_view(tmp_path):
    import openpyxl

    path = tmp_path / "g.xlsx"
    export.write_xlsx(_report(), path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["总表", "理论考核", "实操考核", "章节进度", "薄弱环节", "阅卷评语", "试题分析", "说明"]
    rows = list(wb["总表"].values)
    verdict = rows[0].index("结论")
    assert rows[1][0] == "KF001" and rows[1][verdict] == RULES.certification.label
    assert rows[2][0] == "KF002"


def test_item_analysis_difficulty_and_discrimination():
    # q-good separates strong from weak trainees; q-bad is answered right only by the weak ones
    rows = []
    for i in range(10):
        strong = i < 5
        grades = {"q-good": (1.0 if strong else 0.0, 1.0), "q-bad": (0.0 if strong else 1.0, 1.0),
                  "q-easy": (1.0, 1.0), "rest": (8.0 if strong else 3.0, 10.0)}
        total = sum(s for s, _ in grades.values())
        rows.append((f"s{i}", total, grades))
    # ten candidates: enough only when the seed's minimum sample is lowered to ten
    limits = RULES.item_analysis.model_copy(update={"min_candidates": 10})
    items = {it["question"]: it for it in item_analysis(rows, limits=limits)}
    assert items["q-good"]["difficulty"] == pytest.approx(0.5)
    assert items["q-good"]["discrimination"] == pytest.approx(1.0)
    assert not items["q-good"]["weak"]
    assert items["q-bad"]["discrimination"] == pytest.approx(-1.0) and items["q-bad"]["weak"]
    assert items["q-easy"]["difficulty"] == pytest.approx(1.0) and "过易" in items["q-easy"]["reasons"]
    assert items["q-good"]["point_biserial"] > 0.5


def test_item_analysis_flags_nothing_below_the_minimum_sample():
    limits = RULES.item_analysis
    n = limits.min_candidates - 1
    rows = [(f"s{i}", float(i), {"q-hard": (0.0, 1.0), "q-mixed": (float(i % 2), 1.0)}) for i in range(n)]
    items = {it["question"]: it for it in item_analysis(rows)}
    assert not any(it["weak"] for it in items.values())
    assert "过难" in items["q-hard"]["hints"] and items["q-hard"]["reasons"] == []
    from kefu.gradebook.items import sample_note

    note = sample_note(n)
    assert note["small"] and str(n) in note["warning"] and str(limits.min_candidates) in note["warning"]
    assert not sample_note(limits.min_candidates)["small"]


def test_unreachable_database_is_a_chinese_error_without_the_password():
    from kefu.cohort.config import CohortError
    from kefu.gradebook.data import _read

    with pytest.raises(CohortError) as exc:
        _read("postgresql+psycopg2://grader:s3cret@127.0.0.1:1/gradebook", ())
    assert "无法读取成绩册数据库" in str(exc.value) and "s3cret" not in str(exc.value) and "***" in str(exc.value)
