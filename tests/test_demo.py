"""A small end-to-end ``kefu demo`` run: every exam path is reached and the outputs are written."""
from __future__ import annotations

import json

import pytest

from kefu.cohort.demo import PROFILES, run_demo

pytestmark = pytest.mark.slow


def test_small_demo_walks_every_path(tmp_path):
    result = run_demo(tmp_path, trainees=len(PROFILES) - 1, seed=3, chapters=1)
    assert all(result["paths_reached"].values()), result["paths_reached"]
    assert result["autograde_failures"] == []
    assert any("迟交" in e for e in result["events"])
    assert any("拒绝" in e for e in result["events"])
    data = json.loads((tmp_path / "gradebook.json").read_text(encoding="utf-8"))
    statuses = {t["theory"]["status"] for t in data["trainees"]}
    assert {"passed", "retake_passed", "failed_retrain"} <= statuses
    assert {t["status"] for t in data["trainees"]} >= {"certified", "retrain", "practical_failed"}
    for name in ("成绩册.xlsx", "成绩册.csv", "plots/score_distribution.png", "plots/pass_rates.png",
                 "plots/chapter_heatmap.png"):
        assert (tmp_path / name).stat().st_size > 0, name
    # the released notebooks never carry the keys folder
    assert not list((tmp_path / "cohort").rglob("_keys"))
