"""Erlang C: hand-computed small cases and the published pyworkforce README example."""
from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from kefu import erlang
from kefu.cli.main import app

KEYS = {"agents", "traffic", "wait_probability", "service_level", "asa", "occupancy", "scheduled_agents"}


def _erlang_c_by_factorials(a: float, n: int) -> float:
    """The textbook formula written out with factorials (independent of the module's recursion)."""
    top = a**n / math.factorial(n) * n / (n - a)
    return top / (sum(a**k / math.factorial(k) for k in range(n)) + top)


def test_small_case_by_hand():
    # 40 calls in an hour, AHT 180 s -> A = 40/3600*180 = 2 Erlangs; with 3 agents:
    # sum_{k<3} 2^k/k! = 1 + 2 + 2 = 5; A^N/N! * N/(N-A) = 8/6 * 3 = 4; P_wait = 4/9.
    r = erlang.staffing(40, 3600, 180, 20, agents=3)
    assert set(r) == KEYS
    assert r["traffic"] == pytest.approx(2.0)
    assert r["wait_probability"] == pytest.approx(4 / 9)
    assert r["service_level"] == pytest.approx(1 - 4 / 9 * math.exp(-(3 - 2) * 20 / 180))
    assert r["asa"] == pytest.approx(4 / 9 * 180 / (3 - 2))
    assert r["occupancy"] == pytest.approx(2 / 3)
    assert r["scheduled_agents"] == 3


@pytest.mark.parametrize("a,n", [(0.5, 1), (2.0, 3), (7.3, 9), (10.0, 14), (25.0, 31)])
def test_recursion_matches_factorial_formula(a, n):
    assert erlang.wait_probability(a, n) == pytest.approx(_erlang_c_by_factorials(a, n), rel=1e-12)


def test_large_traffic_is_stable():
    # 1000 Erlangs would overflow a naive A**N / N! computation.
    r = erlang.staffing(20000, 3600, 180, 20, service_level=0.8)
    assert r["agents"] > 1000
    assert 0 < r["wait_probability"] < 1
    assert r["service_level"] >= 0.8
    assert erlang.service_level(r["traffic"], r["agents"] - 1, 180, 20) < 0.8


def test_pyworkforce_readme_example():
    # pyworkforce README: 100 transactions per 30 min, AHT 3 min, ASA target 20 s, SL 80 %,
    # shrinkage 30 % -> raw_positions 14, positions 20, service_level 0.88835,
    # occupancy 0.714286, waiting_probability 0.174132.
    r = erlang.staffing(100, 1800, 180, 20, service_level=0.8, shrinkage=0.3)
    assert r["agents"] == 14
    assert r["scheduled_agents"] == 20  # 14 / 0.7 must not round up to 21
    assert r["traffic"] == pytest.approx(10.0)
    assert r["service_level"] == pytest.approx(0.88835, abs=1e-5)
    assert r["occupancy"] == pytest.approx(10 / 14)
    assert r["wait_probability"] == pytest.approx(0.174132, abs=1e-6)
    # 13 agents would not meet the goal, so 14 is the minimum
    assert erlang.service_level(10.0, 13, 180, 20) < 0.8


def test_max_occupancy_adds_agents():
    # A = 10; at most 60 % occupancy needs ceil(10 / 0.6) = 17 agents although 14 meet the SL goal.
    r = erlang.staffing(100, 1800, 180, 20, service_level=0.8, max_occupancy=0.6)
    assert r["agents"] == 17


def test_unstable_queue():
    r = erlang.staffing(100, 1800, 180, 20, agents=10)
    assert r["wait_probability"] == 1.0
    assert r["service_level"] == 0.0
    assert r["asa"] is None


@pytest.mark.parametrize("kwargs", [
    {},  # neither goal nor agents
    {"service_level": 0.8, "agents": 5},
    {"service_level": 1.5},
    {"service_level": 0.8, "shrinkage": 1.0},
])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        erlang.staffing(100, 1800, 180, 20, **kwargs)


runner = CliRunner()
BASE = ["erlang", "--calls", "100", "--period", "1800", "--aht", "180", "--target", "20"]


def test_cli_json_readme_example():
    res = runner.invoke(app, BASE + ["--service-level", "0.8", "--shrinkage", "0.3", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert set(data) == KEYS
    assert data["agents"] == 14 and data["scheduled_agents"] == 20


def test_cli_agents_and_text_output():
    res = runner.invoke(app, BASE + ["--agents", "14", "--shrinkage", "0"])
    assert res.exit_code == 0, res.output
    assert "88.8%" in res.stdout and "14 人" in res.stdout
    res = runner.invoke(app, BASE + ["--agents", "14", "--shrinkage", "0", "--json"])
    assert json.loads(res.stdout)["scheduled_agents"] == 14


def test_cli_default_shrinkage_comes_from_seeds():
    from kefu.seeds import load

    s = load("kpi.yml").staffing.shrinkage
    res = runner.invoke(app, BASE + ["--service-level", "0.8", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["scheduled_agents"] == erlang.scheduled_agents(14, s)


@pytest.mark.parametrize("extra", [
    [],
    ["--service-level", "0.8", "--agents", "14"],
    ["--service-level", "80"],
    ["--agents", "0"],
    ["--agents", "abc"],
    ["--service-level", "0.8", "--shrinkage", "1.2"],
])
def test_cli_usage_errors_exit_2(extra):
    res = runner.invoke(app, BASE + extra)
    assert res.exit_code == 2, res.output


def test_cli_negative_calls_is_usage_error():
    args = ["erlang", "--calls", "-5", "--period", "1800", "--aht", "180", "--target", "20",
            "--service-level", "0.8"]
    res = runner.invoke(app, args)
    assert res.exit_code == 2
    assert "--calls" in res.output
