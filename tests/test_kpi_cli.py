"""`kefu kpi CALLS`: JSON shape, table, exit codes, bad rows and --lenient."""
from __future__ import annotations

import json

import pytest
from test_kpi import COLUMNS, EXPECTED, EXPECTED_OVERALL, ROWS, write_csv
from typer.testing import CliRunner

from kefu.cli.main import app

runner = CliRunner()
AGENT_KEYS = {"calls", "aht", "fcr", "csat", "qa", "conversion", "accuracy", "score", "grade"}
OVERALL_KEYS = AGENT_KEYS | {"asa", "abandonment_rate", "service_level"}


@pytest.fixture
def calls_csv(tmp_path):
    return write_csv(tmp_path / "calls.csv")


def test_json_shape_and_values(calls_csv):
    res = runner.invoke(app, ["kpi", str(calls_csv), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert set(data) == {"overall", "agents"}
    assert set(data["overall"]) == OVERALL_KEYS
    assert set(data["agents"]) == set(EXPECTED)
    for agent, m in data["agents"].items():
        assert set(m) == AGENT_KEYS
        assert m["aht"] == pytest.approx(EXPECTED[agent]["aht"])
        assert m["grade"] in {"A", "B+", "B", "C", "D"}
    assert data["overall"]["service_level"] == pytest.approx(EXPECTED_OVERALL["service_level"])


def test_sl_threshold_option(calls_csv):
    res = runner.invoke(app, ["kpi", str(calls_csv), "--json", "--sl-threshold", "25"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["overall"]["service_level"] == pytest.approx(7 / 11)


def test_table_in_chinese(calls_csv):
    res = runner.invoke(app, ["kpi", str(calls_csv)])
    assert res.exit_code == 0, res.output
    for text in ("A01", "A02", "A03", "服务水平", "放弃率", "平均应答速度", "等级"):
        assert text in res.stdout
    assert "54.5%" in res.stdout  # service level 6 / 11


def test_bad_row_exits_1_with_row_and_column(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[3][COLUMNS.index("csat")] = "7"
    bad = write_csv(tmp_path / "bad.csv", rows)
    res = runner.invoke(app, ["kpi", str(bad), "--json"])
    assert res.exit_code == 1
    assert "第 5 行" in res.stderr and "csat" in res.stderr
    assert res.stdout == ""
    assert "Traceback" not in res.output


def test_lenient_skips_and_says_how_many(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[3][COLUMNS.index("csat")] = "7"
    rows[5][COLUMNS.index("started_at")] = "昨天下午"
    bad = write_csv(tmp_path / "bad.csv", rows)
    res = runner.invoke(app, ["kpi", str(bad), "--json", "--lenient"])
    assert res.exit_code == 0, res.output
    assert "跳过 2 行" in res.stderr
    data = json.loads(res.stdout)
    assert data["agents"]["A01"]["calls"] == 3 and data["agents"]["A02"]["calls"] == 2


def test_missing_column_exits_1(tmp_path):
    header = [c for c in COLUMNS if c != "errors"]
    rows = [r[:-1] for r in ROWS]
    res = runner.invoke(app, ["kpi", str(write_csv(tmp_path / "c.csv", rows, header))])
    assert res.exit_code == 1
    assert "缺少列 errors" in res.stderr


@pytest.mark.parametrize("args", [
    ["kpi"],
    ["kpi", "no-such-file.csv"],
    ["kpi", "CALLS", "--sl-threshold", "-5"],
    ["kpi", "CALLS", "--sl-threshold", "abc"],
])
def test_usage_errors_exit_2(calls_csv, args):
    args = [str(calls_csv) if a == "CALLS" else a for a in args]
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
