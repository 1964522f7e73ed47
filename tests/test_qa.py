"""kefu.qa: the 话务质检 scorecard and the practical-exam rubric, with hand-computed totals."""
from __future__ import annotations

import pytest

from kefu import qa
from kefu.seeds import load

QA = load("qa_rubric.yml")
PR = load("practical_rubric.yml")


def test_rubric_matches_the_manual():
    items = {i.id: i for i in QA.items}
    assert QA.total_points == 100
    assert items["opening-closing"].points == 10
    assert sorted(d.points for d in items["opening-closing"].deductions) == [5, 5]
    assert items["service-attitude"].points == 15
    assert items["language"].points == 10
    assert all(3 <= d.points <= 5 for d in items["business-handling"].deductions)
    assert {d.id: d.points for d in items["language"].deductions}["lang-nonstandard-word"] == 1
    dims = {d.name: d.weight for d in PR.dimensions}
    assert dims == {"基础知识": 20, "系统操作": 20, "问题解决": 25, "沟通技巧": 25, "综合表现": 10}
    assert PR.pass_rule.score == 80


def test_clean_call_scores_full_marks():
    r = qa.score_call({})
    assert r.score == 100 and r.passed and r.failed_items == [] and len(r.lines) == len(QA.items)


def test_deductions_add_up():
    # 100 − 2 (两处不规范用语) − 5 (漏掉关键步骤) − 5 (开场语气) = 88
    r = qa.score_call({"language": 2, "business-handling": 5, "opening-closing": 5})
    assert r.score == 88
    assert r.failed_items == ["opening-closing", "business-handling", "language"]  # scorecard order
    assert r.failed_titles == ["开场与结束", "业务处理", "语言表达"]
    by = {l.item_id: l for l in r.lines}
    assert by["language"].score == 8 and by["business-handling"].score == 25
    assert "88" in r.report()


@pytest.mark.parametrize("lost, passed", [(20, True), (21, False)])
def test_pass_edge_at_80(lost, passed):
    # 20 points lost over two items: 100 − 20 = 80 → 合格; one more point → 79 → 不合格
    r = qa.score_call({"business-handling": 15, "listening": lost - 15})
    assert r.score == 100 - lost
    assert r.passed is passed


def test_critical_item_fails_the_call_whatever_the_total():
    r = qa.score_call({"identity-check": 10})
    assert r.score == 90
    assert not r.passed and r.critical_failed == ["identity-check"]


def test_item_never_below_zero():
    r = qa.score_call({"language": 15})  # 10-point item
    assert r.score == 90
    assert "0 分" in [l for l in r.lines if l.item_id == "language"][0].note


def test_bonus_is_capped_by_item_and_total():
    assert qa.score_call({"language": 2}, {"service-attitude": 3}).score == 100  # 98 + 3 → cap 100
    assert qa.score_call({"language": 5}, {"service-attitude": 3}).score == 98
    with pytest.raises(qa.ScoreError):
        qa.score_call({}, {"service-attitude": 4})
    with pytest.raises(qa.ScoreError):
        qa.score_call({}, {"language": 1})  # no bonus on this item


def test_bad_input_is_a_chinese_error():
    with pytest.raises(qa.ScoreError, match="没有的项目"):
        qa.score_call({"no-such-item": 1})
    with pytest.raises(qa.ScoreError, match="负数"):
        qa.score_call({"language": -1})
    with pytest.raises(qa.ScoreError, match="数字"):
        qa.score_call({"language": "两分"})
    assert qa.score_call({"language": "3"}).score == 97  # a number typed as text is fine


def test_findings_to_deductions():
    # 3 处不规范用语 × 1 = 3;语气生硬 counts once (5) even if noted twice; 2 处漏步骤 × 5 = 10
    d = qa.deductions_from_findings({"lang-nonstandard-word": 3, "oc-tone": 2, "bh-skipped-step": 2})
    assert d == {"language": 3, "opening-closing": 5, "business-handling": 10}
    assert qa.score_call(d).score == 82
    with pytest.raises(qa.ScoreError):
        qa.deductions_from_findings({"nope": 1})


# --------------------------------------------------------------------------- practical exam

def test_practical_weighted_score():
    # 90×20% + 70×20% + 85×25% + 80×25% + 60×10% = 18 + 14 + 21.25 + 20 + 6 = 79.25 → 不合格
    r = qa.practical_score({"basic-knowledge": 90, "system-operation": 70, "problem-solving": 85,
                            "communication": 80, "overall": 60})
    assert r.score == 79.25
    assert not r.passed
    assert r.by_dimension["problem-solving"] == 21.25
    assert len(r.lines) == len(PR.dimensions) + 1


@pytest.mark.parametrize("overall, total, passed", [(100, 80.0, True), (99, 79.9, False)])
def test_practical_pass_edge(overall, total, passed):
    # 100×20% + 100×20% + 60×25% + 60×25% + overall×10% = 70 + overall/10
    r = qa.practical_score({"basic-knowledge": 100, "system-operation": 100, "problem-solving": 60,
                            "communication": 60, "overall": overall})
    assert r.score == total
    assert r.passed is passed


def test_all_80_passes_exactly():
    r = qa.practical_score({d.id: 80 for d in PR.dimensions})
    assert r.score == 80 and r.passed


def test_practical_bad_input():
    full = {d.id: 80 for d in PR.dimensions}
    with pytest.raises(qa.ScoreError, match="缺少维度"):
        qa.practical_score({k: v for k, v in full.items() if k != "overall"})
    with pytest.raises(qa.ScoreError, match="0–100"):
        qa.practical_score({**full, "overall": 120})
    with pytest.raises(qa.ScoreError, match="未知维度"):
        qa.practical_score({**full, "typing": 50})
