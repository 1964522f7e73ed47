"""Roster reading: Chinese/traditional/English headers, CSV and XLSX, and every refusal names the row."""
from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from kefu.cli.main import app
from kefu.cohort.roster import RosterError, read_roster


def write(tmp_path, text, name="roster.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_chinese_headers_and_date_formats(tmp_path):
    p = write(tmp_path, "工号,姓名,班组,入职日期\nKF001,王思雨,1组,2025-03-03\nKF002,李浩然,2组,2025年3月4日\n")
    ts = read_roster(p)
    assert [t.id for t in ts] == ["KF001", "KF002"]
    assert ts[1].start_date == dt.date(2025, 3, 4) and ts[0].team == "1组"


def test_traditional_and_english_headers(tmp_path):
    p = write(tmp_path, "工號,姓名,班組,入職日期\nA1,陳一,甲,2025/3/3\n")
    assert read_roster(p)[0].id == "A1"
    p = write(tmp_path, "id,name,team,start date\nA1,Chen,x,2025-03-03\n", "en.csv")
    assert read_roster(p)[0].name == "Chen"


def test_duplicate_id_names_both_rows(tmp_path):
    p = write(tmp_path, "工号,姓名,班组,入职日期\nKF001,甲,1组,2025-03-03\nKF002,乙,1组,2025-03-03\nKF001,丙,1组,2025-03-03\n")
    with pytest.raises(RosterError) as exc:
        read_roster(p)
    msg = str(exc.value)
    assert "第 4 行" in msg and "第 2 行" in msg and "重复" in msg


def test_missing_column(tmp_path):
    p = write(tmp_path, "工号,姓名,入职日期\nKF001,甲,2025-03-03\n")
    with pytest.raises(RosterError, match="缺少列 班组"):
        read_roster(p)


@pytest.mark.parametrize("bad", ["KF 001", "KF+1", "a/b", "张三", "*x"])
def test_ids_nbgrader_cannot_use(tmp_path, bad):
    p = write(tmp_path, f"工号,姓名,班组,入职日期\nOK1,甲,1组,2025-03-03\n{bad},乙,1组,2025-03-03\n")
    with pytest.raises(RosterError) as exc:
        read_roster(p)
    assert "第 3 行" in str(exc.value) and bad in str(exc.value)


def test_empty_id_and_bad_date(tmp_path):
    p = write(tmp_path, "工号,姓名,班组,入职日期\n,甲,1组,2025-03-03\nKF2,乙,1组,明天\n")
    with pytest.raises(RosterError) as exc:
        read_roster(p)
    assert "第 2 行 · 工号: 工号为空" in str(exc.value)
    assert "第 3 行 · 入职日期“明天”" in str(exc.value)


def test_xlsx_roster(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["工号", "姓名", "班组", "入职日期"])
    ws.append([1001, "王思雨", "1组", dt.datetime(2025, 3, 3)])
    ws.append(["KF 2", "李浩然", "2组", dt.datetime(2025, 3, 3)])
    path = tmp_path / "r.xlsx"
    wb.save(path)
    with pytest.raises(RosterError) as exc:
        read_roster(path)
    assert "第 3 行" in str(exc.value)
    ws.delete_rows(3)
    wb.save(path)
    ts = read_roster(path)
    assert ts[0].id == "1001" and ts[0].start_date == dt.date(2025, 3, 3)


def test_cli_refuses_with_message_and_exit_1(tmp_path):
    p = write(tmp_path, "工号,姓名,班组,入职日期\nKF+1,甲,1组,2025-03-03\n")
    res = CliRunner().invoke(app, ["cohort", "init", str(tmp_path / "c"), "--roster", str(p)])
    assert res.exit_code == 1
    assert "第 2 行" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "c" / "nbgrader_config.py").exists()
