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


def _xlsx(tmp_path, rows, name="r.xlsx", merge=None, cells=None, blank_rows_above=0):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for _ in range(blank_rows_above):
        ws.append([None])
    for r in rows:
        ws.append(r)
    for rng in merge or []:
        ws.merge_cells(rng)
    for ref, value in (cells or {}).items():
        ws[ref] = value
    path = tmp_path / name
    wb.save(path)
    return path


HEAD = ["工号", "姓名", "班组", "入职日期"]
DAY = dt.datetime(2025, 3, 3)


def test_merged_team_cells_are_reported_not_blanked(tmp_path):
    rows = [HEAD, ["KF1", "甲", "1组", DAY], ["KF2", "乙", None, DAY], ["KF3", "丙", None, DAY], ["KF4", "丁", "2组", DAY]]
    path = _xlsx(tmp_path, rows, merge=["C2:C4"])
    with pytest.raises(RosterError) as exc:
        read_roster(path)
    msg = str(exc.value)
    assert "第 2–4 行" in msg and "班组" in msg and "合并单元格 C2:C4" in msg
    # the same roster without the merge is fine: the message is about the merge, nothing else
    assert len(read_roster(_xlsx(tmp_path, rows, name="ok.xlsx"))) == 4


def test_merged_name_across_columns_is_reported(tmp_path):
    rows = [HEAD, ["KF1", "甲", None, DAY]]
    with pytest.raises(RosterError) as exc:
        read_roster(_xlsx(tmp_path, rows, merge=["B2:C2"]))
    assert "第 2 行 · 姓名(name)、班组(team)(合并单元格 B2:C2)" in str(exc.value)


def test_formula_without_cached_value_is_reported_as_formula(tmp_path):
    # openpyxl writes formulas without cached results, like any program that never ran Excel
    rows = [HEAD, ["KF1", "甲", "1组", DAY], [None, None, "1组", DAY]]
    path = _xlsx(tmp_path, rows, cells={"A3": '="KF"&"2"', "B3": '=CONCAT("王","五")'})
    with pytest.raises(RosterError) as exc:
        read_roster(path)
    msg = str(exc.value)
    assert "第 3 行 · 工号(id)(A3): 是公式“=\"KF\"&\"2\"”" in msg
    assert "第 3 行 · 姓名(name)(B3): 是公式" in msg
    assert "工号为空" not in msg and "姓名为空" not in msg


def test_formula_error_values_are_reported(tmp_path):
    rows = [HEAD, ["KF1", "#REF!", "1组", DAY]]
    with pytest.raises(RosterError) as exc:
        read_roster(_xlsx(tmp_path, rows))
    assert "第 2 行 · 姓名(name): 单元格是公式出错的结果“#REF!”" in str(exc.value)


def test_row_numbers_count_blank_rows_above_the_header(tmp_path):
    rows = [HEAD, ["KF1", "甲", "1组", DAY], ["", "乙", "1组", DAY]]
    with pytest.raises(RosterError) as exc:
        read_roster(_xlsx(tmp_path, rows, blank_rows_above=2))
    assert "第 5 行 · 工号: 工号为空" in str(exc.value)


def test_control_characters_in_names_are_refused(tmp_path):
    p = tmp_path / "r.csv"
    p.write_bytes("工号,姓名,班组,入职日期\nKF1,王\0五,1组,2025-03-03\nKF2,李四,\"2\n组\",2025-03-03\n".encode())
    with pytest.raises(RosterError) as exc:
        read_roster(p)
    assert "第 2 行 · 姓名(name): 含有看不见的控制字符" in str(exc.value)
    assert "第 3 行 · 班组(team): 含有看不见的控制字符" in str(exc.value)
