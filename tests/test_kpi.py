"""kefu.kpi on a small hand-made call log; expected values are worked out by hand below.

Weights, scoring bands and grade cut-offs are read from seeds/kpi.yml (never re-typed here).
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kefu.kpi import (COLUMNS, CallLogError, compute, read_calls, validate_frame,
                      weighted_score)
from kefu.seeds import load

# call_id, agent_id, started_at, queue, talk, hold, wrap, abandoned, fcr, csat, qa, converted, errors
ROWS = [
    ["c01", "A01", "2025-06-02T09:00:00", "5", "120", "0", "30", "0", "1", "5", "90", "1", "0"],
    ["c02", "A01", "2025-06-02T09:05:00", "25", "200", "20", "40", "0", "0", "3", "", "0", "1"],
    ["c03", "A01", "2025-06-02T09:12:00", "20", "100", "0", "20", "0", "1", "4", "80", "0", "0"],
    ["c04", "A01", "2025-06-02T09:20:00", "0", "160", "10", "30", "0", "1", "", "", "0", "2"],
    ["c05", "A02", "2025-06-02T09:02:00", "8", "240", "30", "50", "0", "0", "2", "60", "0", "0"],
    ["c06", "A02", "2025-06-02T09:30:00", "30", "180", "0", "40", "0", "1", "5", "", "1", "0"],
    ["c07", "A02", "2025-06-02T10:01:00", "12", "150", "0", "30", "0", "1", "4", "70", "0", "0"],
    ["c08", "A03", "2025-06-02 10:05", "3", "90", "0", "15", "0", "1", "", "", "1", "0"],
    ["c09", "", "2025-06-02T10:07:00", "45", "", "", "", "1", "", "", "", "", ""],
    ["c10", "", "2025-06-02T10:09:00", "15", "0", "0", "0", "1", "", "", "", "0", "0"],
    ["c11", "A03", "2025-06-02T10:15:00+08:00", "60", "300", "60", "60", "0", "0", "1", "50", "0", "1"],
]

# Worked out by hand from ROWS (answered calls only unless said otherwise):
# A01: handle 150, 260, 120, 200; resolved c01 c03 c04; rated 5 3 4; QA 90 80; sold c01; errors c02 c04
# A02: handle 320, 220, 180; resolved c06 c07; rated 2 5 4; QA 60 70; sold c06; no errors
# A03: handle 105, 420; resolved c08; rated 1; QA 50; sold c08; errors c11
EXPECTED = {
    "A01": {"calls": 4, "aht": 730 / 4, "fcr": 3 / 4, "csat": 2 / 3, "qa": 85.0,
            "conversion": 1 / 4, "accuracy": 1 - 2 / 4},
    "A02": {"calls": 3, "aht": 720 / 3, "fcr": 2 / 3, "csat": 2 / 3, "qa": 65.0,
            "conversion": 1 / 3, "accuracy": 1.0},
    "A03": {"calls": 2, "aht": 525 / 2, "fcr": 1 / 2, "csat": 0.0, "qa": 50.0,
            "conversion": 1 / 2, "accuracy": 1 - 1 / 2},
}
# Overall: 11 offered, 2 abandoned (c09, c10), 9 answered.
# rated 5 3 4 2 5 4 1 -> four of seven are 4 or 5.
# queue of answered: 5 25 20 0 8 30 12 3 60 = 163; answered within 20 s: c01 c03 c04 c05 c07 c08 = 6
# (the abandoned c10 waited only 15 s but was not answered, so it does not count).
EXPECTED_OVERALL = {"calls": 9, "aht": 1975 / 9, "fcr": 6 / 9, "csat": 4 / 7, "qa": 70.0,
                    "conversion": 3 / 9, "accuracy": 1 - 3 / 9, "asa": 163 / 9,
                    "abandonment_rate": 2 / 11, "service_level": 6 / 11}


def write_csv(path: Path, rows=ROWS, header=COLUMNS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def band(dimension_id: str, value: float) -> float:
    """The linear 0–100 band of a dimension, with the ends read from seeds/kpi.yml."""
    sc = load("kpi.yml").dimension(dimension_id).scoring
    return 100 * min(1.0, max(0.0, (value - sc.zero_at) / (sc.full_at - sc.zero_at)))


def expected_score(m: dict) -> tuple[float, str]:
    model = load("kpi.yml")
    total = sum(d.weight * band(d.id, m[d.scoring.metric]) for d in model.dimensions)
    score = round(total / sum(d.weight for d in model.dimensions), 1)
    label = next(g.label for g in model.grades if score >= g.min_score)
    return score, label


@pytest.fixture
def calls_csv(tmp_path) -> Path:
    return write_csv(tmp_path / "calls.csv")


def test_every_metric_per_agent_and_overall(calls_csv):
    result = compute(read_calls(calls_csv).frame)
    assert set(result) == {"overall", "agents"}
    assert list(result["agents"]) == ["A01", "A02", "A03"]
    for agent, exp in EXPECTED.items():
        got = result["agents"][agent]
        assert set(got) == set(exp) | {"score", "grade"}
        for key, value in exp.items():
            assert got[key] == pytest.approx(value), (agent, key)
        assert (got["score"], got["grade"]) == pytest.approx(expected_score(exp)), agent
    overall = result["overall"]
    for key, value in EXPECTED_OVERALL.items():
        assert overall[key] == pytest.approx(value), key
    assert (overall["score"], overall["grade"]) == pytest.approx(expected_score(EXPECTED_OVERALL))


def test_service_level_threshold(calls_csv):
    frame = read_calls(calls_csv).frame
    # with T = 25 s c02 (25 s) also counts: 7 of 11; with T = 0 only c04: 1 of 11
    assert compute(frame, sl_threshold=25)["overall"]["service_level"] == pytest.approx(7 / 11)
    assert compute(frame, sl_threshold=0)["overall"]["service_level"] == pytest.approx(1 / 11)
    seed_t = load("kpi.yml").service_level_threshold.seconds
    assert compute(frame)["overall"]["service_level"] == compute(frame, sl_threshold=seed_t)["overall"]["service_level"]


def test_missing_dimension_is_reweighted(tmp_path):
    # A02's only call, unrated and not spot-checked: satisfaction and call quality have no data,
    # so the score is the weighted mean of efficiency, accuracy and sales only.
    rows = [["x1", "A02", "2025-06-02T09:00:00", "3", "150", "0", "30", "0", "1", "", "", "0", "0"]]
    got = compute(read_calls(write_csv(tmp_path / "one.csv", rows)).frame)["agents"]["A02"]
    assert got["csat"] is None and got["qa"] is None
    model = load("kpi.yml")
    present = {"efficiency": band("efficiency", 180.0), "accuracy": band("accuracy", 1.0),
               "sales": band("sales", 0.0)}
    w = {d.id: d.weight for d in model.dimensions}
    score = round(sum(w[k] * v for k, v in present.items()) / sum(w[k] for k in present), 1)
    assert got["score"] == pytest.approx(score)


def test_weighted_score_and_grade_boundaries():
    model = load("kpi.yml")
    ids = [d.id for d in model.dimensions]
    assert weighted_score({i: 100.0 for i in ids}) == (100.0, model.grades[0].label)
    assert weighted_score({i: 0.0 for i in ids}) == (0.0, model.grades[-1].label)
    assert weighted_score({}) == (None, None)
    # one dimension at 100, the rest 0 -> that dimension's weight
    first = model.dimensions[0]
    assert weighted_score({i: (100.0 if i == first.id else 0.0) for i in ids})[0] == pytest.approx(first.weight)
    for upper, lower in zip(model.grades, model.grades[1:]):
        at = upper.min_score
        assert weighted_score({i: at for i in ids}) == (at, upper.label)
        assert weighted_score({i: at - 0.5 for i in ids})[1] == lower.label
    with pytest.raises(ValueError):
        weighted_score({"no-such-dimension": 50})
    with pytest.raises(ValueError):
        weighted_score({ids[0]: 120})


def test_seed_weights_and_links():
    model = load("kpi.yml")
    assert {d.name: d.weight for d in model.dimensions} == {
        "通话质量": 30, "客户满意度": 25, "工作效率": 20, "业务准确率": 15, "销售业绩": 10}
    assert [g.label for g in model.grades] == ["A", "B+", "B", "C", "D"]
    assert all(g.assumed for g in model.grades)


def test_efficiency_band_matches_service_rule():
    # the efficiency band's full mark is the 3-minute plain-enquiry rule of service_rules.yml
    from kefu.seeds import seeds_dir

    eff = load("kpi.yml").dimension("efficiency").scoring
    stem, ident = eff.based_on.split(":")
    if not (seeds_dir() / f"{stem}.yml").exists():
        pytest.skip(f"{stem}.yml not present yet")
    rule = next(r for r in load(f"{stem}.yml").rules if r.id == ident)
    assert eff.full_at == rule.value * {"minutes": 60, "seconds": 1}[rule.unit]


def _problem(tmp_path, row: int, col: str, value: str) -> str:
    rows = [list(r) for r in ROWS]
    rows[row][COLUMNS.index(col)] = value
    with pytest.raises(CallLogError) as exc:
        read_calls(write_csv(tmp_path / "bad.csv", rows))
    return str(exc.value)


@pytest.mark.parametrize("row,col,value", [
    (1, "csat", "7"),
    (1, "csat", "4.5"),
    (0, "talk_seconds", "-3"),
    (2, "queue_seconds", "abc"),
    (3, "started_at", "2025-13-45 99:00"),
    (3, "started_at", ""),
    (4, "abandoned", "2"),
    (4, "first_contact_resolved", "yes"),
    (5, "converted", ""),
    (5, "errors", "-1"),
    (6, "errors", "1.5"),
    (6, "qa_score", "120"),
    (7, "agent_id", ""),
    (7, "talk_seconds", ""),
    (8, "agent_id", "A01"),  # an agent on an abandoned call
    (8, "csat", "5"),
    (9, "talk_seconds", "30"),
    (10, "call_id", "c01"),  # duplicate
])
def test_bad_cell_names_row_and_column(tmp_path, row, col, value):
    msg = _problem(tmp_path, row, col, value)
    assert f"第 {row + 2} 行" in msg  # header is row 1
    assert f"列 {col}" in msg
    assert "bad.csv" in msg


def test_missing_column(tmp_path):
    header = [c for c in COLUMNS if c != "qa_score"]
    rows = [[v for c, v in zip(COLUMNS, r) if c != "qa_score"] for r in ROWS]
    with pytest.raises(CallLogError) as exc:
        read_calls(write_csv(tmp_path / "cols.csv", rows, header))
    assert "缺少列 qa_score" in str(exc.value)


def test_lenient_skips_and_counts(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[1][COLUMNS.index("csat")] = "7"
    rows[4][COLUMNS.index("talk_seconds")] = "-1"
    log = read_calls(write_csv(tmp_path / "bad.csv", rows), lenient=True)
    assert log.skipped == 2 and len(log.frame) == len(ROWS) - 2
    assert len(log.problems) == 2
    got = compute(log.frame)["agents"]
    assert got["A01"]["calls"] == 3 and got["A02"]["calls"] == 2


def test_other_file_problems(tmp_path):
    with pytest.raises(CallLogError, match="找不到"):
        read_calls(tmp_path / "nope.csv")
    (tmp_path / "x.txt").write_text("a", encoding="utf-8")
    with pytest.raises(CallLogError, match="csv"):
        read_calls(tmp_path / "x.txt")
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(CallLogError, match="空"):
        read_calls(tmp_path / "empty.csv")
    write_csv(tmp_path / "header.csv", rows=[])
    with pytest.raises(CallLogError, match="没有数据行"):
        read_calls(tmp_path / "header.csv")


def test_xlsx_and_gbk_csv_give_the_same_result(calls_csv, tmp_path):
    import pandas as pd

    expected = compute(read_calls(calls_csv).frame)
    raw = pd.read_csv(calls_csv, dtype=str, keep_default_na=False)
    raw.to_excel(tmp_path / "calls.xlsx", index=False)
    assert compute(read_calls(tmp_path / "calls.xlsx").frame) == expected
    (tmp_path / "gbk.csv").write_bytes(calls_csv.read_text(encoding="utf-8").encode("gb18030"))
    assert compute(read_calls(tmp_path / "gbk.csv").frame) == expected


def test_compute_checks_a_dataframe(calls_csv):
    import pandas as pd

    raw = pd.read_csv(calls_csv, dtype=str, keep_default_na=False)
    assert compute(raw) == compute(read_calls(calls_csv).frame)
    raw.loc[2, "csat"] = "9"
    with pytest.raises(CallLogError, match="第 4 行 · 列 csat"):
        compute(raw)
    assert validate_frame(raw, lenient=True).skipped == 1
