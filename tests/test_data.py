"""kefu.data.generate_calls: seeded, schema-valid, realistic shape."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from kefu.cli.main import app
from kefu.data import generate_calls, write_calls
from kefu.kpi import COLUMNS, compute, read_calls, validate_frame


@pytest.fixture(scope="module")
def calls():
    return generate_calls(agents=8, days=5, seed=11)


def test_seeded_determinism(calls):
    again = generate_calls(agents=8, days=5, seed=11)
    assert again.equals(calls)
    other = generate_calls(agents=8, days=5, seed=12)
    assert not other.equals(calls)


def test_schema_valid(calls):
    assert list(calls.columns) == COLUMNS
    assert validate_frame(calls).skipped == 0
    assert calls["call_id"].is_unique
    ab = calls[calls["abandoned"] == 1]
    assert ab["agent_id"].isna().all() and (ab["talk_seconds"] == 0).all()
    ans = calls[calls["abandoned"] == 0]
    assert ans["agent_id"].notna().all()
    assert set(ans["agent_id"]) == {f"A{i:02d}" for i in range(1, 9)}


def test_round_trip_through_csv_and_xlsx(calls, tmp_path):
    expected = compute(calls)
    for name in ("calls.csv", "calls.xlsx"):
        path = write_calls(calls, tmp_path / name)
        log = read_calls(path)
        assert log.skipped == 0 and len(log.frame) == len(calls)
        assert compute(log.frame) == expected


def test_busy_hours_and_queueing(calls):
    hours = calls["started_at"].dt.hour
    assert hours.min() >= 8 and hours.max() <= 23
    per_hour = hours.value_counts()
    # morning (9-11) and afternoon (14-15) peaks carry more calls than the late evening (21-23)
    assert per_hour.loc[[9, 10, 11]].mean() > 2 * per_hour.loc[[21, 22, 23]].mean()
    assert per_hour.loc[[14, 15]].mean() > 2 * per_hour.loc[[21, 22, 23]].mean()
    # callers who hung up had waited longer on average than the answered ones
    ab = calls[calls["abandoned"] == 1]
    ans = calls[calls["abandoned"] == 0]
    assert len(ab) > 0
    assert ab["queue_seconds"].mean() > ans["queue_seconds"].mean()
    o = compute(calls)["overall"]
    assert 0 < o["abandonment_rate"] < 0.2
    assert 0.5 < o["service_level"] < 1


def test_skill_differences_show(calls):
    agents = compute(calls)["agents"]
    aht = sorted(m["aht"] for m in agents.values())
    assert aht[-1] - aht[0] > 40  # seconds between the quickest and the slowest agent
    scores = [m["score"] for m in agents.values()]
    assert max(scores) - min(scores) > 20
    # faster agents also resolve more first time (skill drives both)
    by_aht = sorted(agents.values(), key=lambda m: m["aht"])
    fast, slow = by_aht[:3], by_aht[-3:]
    assert sum(m["fcr"] for m in fast) > sum(m["fcr"] for m in slow)


def test_small_team_and_bad_arguments():
    two = generate_calls(agents=2, days=1, seed=0)
    assert validate_frame(two).skipped == 0
    with pytest.raises(ValueError):
        generate_calls(agents=0)


def test_sample_calls_cli(tmp_path):
    runner = CliRunner()
    out = tmp_path / "demo.csv"
    res = runner.invoke(app, ["sample-calls", str(out), "--agents", "4", "--days", "2", "--seed", "5"])
    assert res.exit_code == 0, res.output
    assert read_calls(out).frame.equals(
        read_calls(write_calls(generate_calls(agents=4, days=2, seed=5), tmp_path / "same.csv")).frame)
    res = runner.invoke(app, ["sample-calls", str(tmp_path / "x.txt")])
    assert res.exit_code == 2
