"""Fast checks of the question bank, the scenario bank, paper selection, determinism and the
marking helpers used by the exams' hidden tests (no kernels, no nbgrader)."""
from __future__ import annotations

import collections
import filecmp
import shutil
from pathlib import Path

import pytest
import yaml

from kefu.exams import marking as M
from kefu.exams import theory as T
from kefu.seeds import load

REPO = Path(__file__).resolve().parents[1]
MANUALS = {m.file for m in load("sources.yml").manuals}


def _keys(root: Path, aid: str) -> dict:
    return yaml.safe_load((root / "assignments/_keys" / f"{aid}.yml").read_text(encoding="utf-8"))


def test_bank_holds_twice_the_blueprint_and_uses_exam_topics():
    bank, theory = load("question_bank.yml"), load("exam.yml").theory
    counts = collections.Counter(q.kind for q in bank.questions)
    for section in theory.sections:
        assert counts[section.kind] >= 2 * section.count, section.kind
    assert {q.topic for q in bank.questions} <= set(theory.topics)
    assert {q.topic for q in bank.questions} == set(theory.topics)  # every topic is examined


def test_bank_cites_every_manual():
    cited = set()
    for q in load("question_bank.yml").questions:
        cited.update(q.sources)
    assert cited == MANUALS


def test_short_answers_have_model_answer_and_key_points():
    for q in load("question_bank.yml").of_kind("short"):
        assert q.model_answer.strip() and 4 <= len(q.key_points) <= 6, q.id


def test_scenario_bank():
    bank = load("practical_scenarios.yml")
    assert len(bank.scenarios) >= 8
    assert {s.ticket.type for s in bank.scenarios} == set(bank.ticket_record.types)


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_forms_are_disjoint_and_follow_blueprint(seed):
    bank, theory = load("question_bank.yml"), load("exam.yml").theory
    forms = T.select(bank, theory, seed)
    ids = {f: [q.id for _, qs in forms[f] for q in qs] for f in T.FORMS}
    assert not set(ids["exam"]) & set(ids["retake"])
    for f in T.FORMS:
        assert len(ids[f]) == len(set(ids[f])) == sum(s.count for s in theory.sections)
        for section, qs in forms[f]:
            assert len(qs) == section.count and {q.kind for q in qs} == {section.kind}


def test_option_shuffle_keeps_the_right_answer():
    bank = load("question_bank.yml")
    for q in bank.of_kind("multiple")[:10] + bank.of_kind("single")[:10]:
        options, key = T.shuffle_options(q, seed=3, form="exam")
        assert sorted(options) == sorted(q.options)
        assert sorted(options[T.LETTERS.index(c)] for c in key) == sorted(
            q.options[T.LETTERS.index(c)] for c in q.correct_letters)


def test_committed_keys_are_disjoint():
    exam, retake = _keys(REPO, "theory-exam"), _keys(REPO, "theory-retake")
    assert not set(exam["questions"].values()) & set(retake["questions"].values())


def _rubric_env(tmp_path, monkeypatch):
    from kefu.seeds import clear_cache

    if not (REPO / "seeds/practical_rubric.yml").exists():
        import test_exams  # the draft rubric used until RULES' seed exists

        seeds = tmp_path / "seeds"
        shutil.copytree(REPO / "seeds", seeds)
        (seeds / "practical_rubric.yml").write_text(test_exams.DRAFT_RUBRIC, encoding="utf-8")
        monkeypatch.setenv("KEFU_SEEDS", str(seeds))
    clear_cache()


def test_same_seed_gives_identical_files_and_committed_files_are_current(tmp_path, monkeypatch):
    from kefu.exams import build_exams

    _rubric_env(tmp_path, monkeypatch)
    seed = _keys(REPO, "theory-exam")["seed"]
    a, b = tmp_path / "a", tmp_path / "b"
    paths = build_exams(seed, a)
    build_exams(seed, b)
    rel = [p.relative_to(a) for p in paths]
    assert len(rel) == 6
    for r in rel:
        assert (a / r).read_bytes() == (b / r).read_bytes(), r
        assert filecmp.cmp(a / r, REPO / r, shallow=False), f"{r} 已过期:请运行 kefu build exams --seed {seed}"
    other = tmp_path / "c"
    build_exams(seed + 1, other)
    assert _keys(other, "theory-exam")["questions"] != _keys(a, "theory-exam")["questions"]
    from kefu.seeds import clear_cache
    clear_cache()


@pytest.mark.parametrize("value", ["B", "b", " B ", "Ｂ", ["B"]])
def test_single_answer_forms(value):
    assert M.score_single(value, "B") == 1.0


def test_single_wrong_and_unreadable():
    assert M.score_single("C", "B") == 0.0
    assert M.mark_single(3, "B") == 0.0
    assert M.mark_single("B?", "B") == 0.0


@pytest.mark.parametrize("value, expected", [
    (["A", "C"], 1.0), ("AC", 1.0), ("c,a", 1.0), ("A、C", 1.0), (["A"], 0.5), ("C", 0.5),
    (["A", "B"], 0.0), (["A", "B", "C"], 0.0), ([], 0.0), ("", 0.0),
])
def test_multiple_all_or_half(value, expected):
    assert M.score_multiple(value, "AC", "all_or_half") == expected


def test_multiple_rule_comes_from_exam_seed():
    rule = load("exam.yml").theory.multiple_choice_partial_credit.rule
    assert M.score_multiple(["A"], "AB", rule) == 0.5
    with pytest.raises(ValueError):
        M.score_multiple(["A"], "AB", "no-such-rule")


@pytest.mark.parametrize("value", ["对", "對", "√", "T", "true", "True", True, "正確"])
def test_true_forms(value):
    assert M.score_truefalse(value, True) == 1.0 and M.score_truefalse(value, False) == 0.0


@pytest.mark.parametrize("value", ["错", "錯", "×", "F", "false", False, "x"])
def test_false_forms(value):
    assert M.score_truefalse(value, False) == 1.0


def test_ticket_marking_accepts_traditional_and_gives_partial_credit():
    exp = {"type": "投诉", "priority": "高", "summary_keywords": [["扣费"], ["退款"]],
           "follow_up_keywords": [["回电"], ["小时"]]}
    fields = ["类型", "优先级", "摘要", "跟进承诺"]
    full = {"类型": "投訴類", "优先级": "高", "摘要": "客戶被重複扣費,要求退款", "跟进承诺": "24小時內回電"}
    assert M.mark_ticket(full, exp, fields) == 4.0
    half = {"类型": "投诉", "优先级": "中", "摘要": "重复扣费", "跟进承诺": ""}
    assert M.mark_ticket(half, exp, fields) == 1.5
    assert M.mark_ticket("投诉", exp, fields) == 0.0
