"""kefu calibrate: grader agreement (ICC(A,1) with its interval), disagreements and drifting graders."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kefu.calibrate import SampleError, calibrate, read_sample
from kefu.calibrate.simulate import simulate, true_icc, write_csv
from kefu.calibrate.stats import icc_a1

KEFU = [sys.executable, "-m", "kefu.cli.main"]

# Shrout & Fleiss (1979), table 2: 6 targets rated by 4 judges; their ICC(2,1) is 0.29.
SHROUT_FLEISS = np.array([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]])


def test_icc_matches_the_published_example():
    icc = icc_a1(SHROUT_FLEISS)
    assert icc.value == pytest.approx(0.290, abs=0.001)
    # the F-based interval for ICC(2,1) on this table (McGraw & Wong 1996): about 0.02 to 0.76
    assert icc.low == pytest.approx(0.019, abs=0.01)
    assert icc.high == pytest.approx(0.761, abs=0.01)


def test_interval_covers_the_true_agreement_about_95_percent_of_the_time():
    biases = [0.0, 4.0, -4.0, 2.0]
    truth = true_icc(10, 6, biases)
    hits = 0
    runs = 300
    for seed in range(runs):
        rows = simulate(["x"], dict(zip("ABCD", biases)), 30, 10, 6, seed=seed, mean=50)
        m = np.array([[r["分数"] for r in rows[i * 4:(i + 1) * 4]] for i in range(30)], dtype=float)
        icc = icc_a1(m)
        hits += icc.low <= truth <= icc.high
    coverage = hits / runs
    assert 0.90 <= coverage <= 0.99, coverage


def _sample(tmp_path: Path, graders: dict[str, float], items: int = 40, seed: int = 3) -> Path:
    dims = ["基础知识", "系统操作", "问题解决", "沟通技巧", "综合表现"]
    return write_csv(simulate(dims, graders, items, 10, 4, seed=seed, dim_sd=3), tmp_path / "校准.csv")


def test_known_agreement_inside_each_interval_and_the_drifting_grader_named(tmp_path):
    graders = {"张三": 0.0, "李四": 1.0, "王五": -1.0, "赵六": 15.0}
    report = calibrate(str(_sample(tmp_path, graders)))
    truth = true_icc(10, 4, list(graders.values()), dim_sd=3)
    dims = {d["dimension"]: d for d in report["dimensions"]}
    assert set(dims) == {"基础知识", "系统操作", "问题解决", "沟通技巧", "综合表现", "总分"}
    for name in ("基础知识", "系统操作", "问题解决", "沟通技巧", "综合表现"):
        d = dims[name]
        assert d["items"] == 40
        assert d["low"] <= truth <= d["high"], (name, d["low"], truth, d["high"])
    drifting = report["drifting_graders"]
    assert [g["grader"] for g in drifting] == ["赵六"]
    assert drifting[0]["direction"] == "偏松"


def test_good_graders_agree_well_and_nobody_drifts(tmp_path):
    report = calibrate(str(_sample(tmp_path, {"A": 0.0, "B": 0.5, "C": -0.5}, seed=5)))
    assert report["drifting_graders"] == []
    for d in report["dimensions"]:
        assert d["icc"] > 0.75, d
        assert d["level"] in ("良好", "极好")


def test_disagreements_list_the_item_and_its_scores(tmp_path):
    f = tmp_path / "s.csv"
    f.write_text("作答,阅卷人,维度,分数\n" + "".join(
        f"c{i},甲,沟通技巧,{70 + i}\nc{i},乙,沟通技巧,{71 + i}\n" for i in range(6)) +
        "c9,甲,沟通技巧,90\nc9,乙,沟通技巧,60\n", encoding="utf-8")
    report = calibrate(str(f))
    d = report["dimensions"][0]
    assert [r["item"] for r in d["disagreements"]] == ["c9"]
    assert d["disagreements"][0]["scores"] == {"甲": 90.0, "乙": 60.0}


def test_wide_excel_layout_with_rubric_ids(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["通话", "质检员", "basic-knowledge", "communication"])
    for i in range(6):
        ws.append([f"c{i}", "甲", 60 + 5 * i, 70 + 3 * i])
        ws.append([f"c{i}", "乙", 62 + 5 * i, 69 + 3 * i])
    wb.save(tmp_path / "w.xlsx")
    report = calibrate(str(tmp_path / "w.xlsx"))
    names = [d["dimension"] for d in report["dimensions"]]
    assert names == ["基础知识", "沟通技巧"]  # rubric ids shown as the rubric's names
    assert all(d["icc"] is not None and d["icc"] > 0.9 for d in report["dimensions"])


@pytest.mark.parametrize("text, where", [
    ("作答,分数\nc1,80\n", "第 1 行"),
    ("作答,阅卷人,维度,分数\nc1,甲,沟通技巧,八十\nc1,乙,沟通技巧,80\n", "第 2 行"),
    ("作答,阅卷人,维度,分数\nc1,甲,沟通技巧,180\nc1,乙,沟通技巧,80\n", "0–100"),
    ("作答,阅卷人,维度,分数\nc1,甲,沟通技巧,80\nc1,甲,沟通技巧,70\n", "第 2 行打过分"),
    ("作答,阅卷人,维度,分数\nc1,甲,沟通技巧,80\nc2,甲,沟通技巧,70\n", "只有一名阅卷人"),
])
def test_bad_samples_are_refused_with_the_place(tmp_path, text, where):
    f = tmp_path / "bad.csv"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(SampleError, match=where):
        read_sample(f)


def test_cli_report_json_and_errors(tmp_path):
    example = tmp_path / "例子.csv"
    r = subprocess.run(KEFU + ["calibrate", "--example", str(example)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    r = subprocess.run(KEFU + ["calibrate", str(example)], capture_output=True, text=True,
                       env={**__import__("os").environ, "COLUMNS": "120"})
    assert r.returncode == 0, r.stderr
    assert "阅卷D" in r.stdout and "偏松" in r.stdout and "ICC" in r.stdout
    r = subprocess.run(KEFU + ["calibrate", str(example), "--json"], capture_output=True, text=True)
    report = json.loads(r.stdout)
    assert [g["grader"] for g in report["drifting_graders"]] == ["阅卷D"]
    bad = tmp_path / "bad.csv"
    bad.write_text("作答,阅卷人,维度,分数\nc1,甲,沟通技巧,abc\nc1,乙,沟通技巧,80\n", encoding="utf-8")
    for args, code in ([str(bad)], 1), ([str(tmp_path / "none.csv")], 1), ([], 2), (["--example", str(example)], 2):
        r = subprocess.run(KEFU + ["calibrate", *args], capture_output=True, text=True)
        assert r.returncode == code, (args, r.stdout, r.stderr)
        assert "Traceback" not in r.stdout + r.stderr
    assert "第 2 行" in subprocess.run(KEFU + ["calibrate", str(bad)], capture_output=True, text=True).stderr
