"""kefu.tickets and seeds/tickets.csv: size, splits, valid labels, balance, label checking."""
from __future__ import annotations

import shutil
from collections import Counter

import pytest

from kefu import tickets
from kefu.seeds import load, seeds_dir

ALL = tickets.load("all")
DRILL = tickets.load("drill")
EXAM = tickets.load("exam")


def test_at_least_200_tickets_in_two_splits():
    assert len(ALL) >= 200
    assert len(DRILL) + len(EXAM) == len(ALL)
    assert {t.split for t in DRILL} == {"drill"} and {t.split for t in EXAM} == {"exam"}
    share = len(EXAM) / len(ALL)
    assert 0.20 <= share <= 0.30, share  # about a quarter held back for exams


def test_ids_unique_and_exam_disjoint_from_drill():
    ids = [t.id for t in ALL]
    assert len(set(ids)) == len(ids)
    assert not {t.id for t in DRILL} & {t.id for t in EXAM}
    assert not {t.text for t in DRILL} & {t.text for t in EXAM}


def test_labels_come_from_complaints_seed():
    c = load("complaints.yml")
    types = {t.name for t in c.ticket_types}
    prios = {p.name for p in c.priorities}
    assert {t.type for t in ALL} == types  # every type used, nothing else
    assert {t.priority for t in ALL} == prios
    assert tickets.labels() == (c.type_names(), c.priority_names())


def test_label_balance_in_both_splits():
    for split in (DRILL, EXAM):
        n = len(split)
        types = Counter(t.type for t in split)
        prios = Counter(t.priority for t in split)
        assert min(types.values()) >= 0.15 * n, types
        assert min(prios.values()) >= 0.05 * n, prios
        assert max(prios.values()) <= 0.5 * n, prios
    assert Counter(t.channel for t in ALL).keys() == {"电话", "在线"}
    assert len({t.product for t in ALL}) >= 10


def test_every_ticket_cites_guide_rules_that_match_its_labels():
    guide = load("ticket_labelling_guide.yml")
    for t in ALL:
        assert guide.type_of(t.type_rule) == t.type, t
        assert guide.priority_of(t.priority_rule) == t.priority, t
        assert t.reason and "\n" not in t.reason and len(t.reason) <= 60
    used = {t.type_rule for t in ALL} | {t.priority_rule for t in ALL}
    unused = [r.id for r in [*guide.type_rules, *guide.priority_rules] if r.id not in used]
    assert not unused, unused
    assert tickets.guide_rule(ALL[0].type_rule)


def test_safety_and_security_are_always_urgent():
    urgent = {r.id for r in load("ticket_labelling_guide.yml").priority_rules if r.priority == "紧急"}
    assert all(t.priority == "紧急" for t in ALL if t.priority_rule in urgent)
    gas = [t for t in ALL if "燃气" in t.text and ("响" in t.text or "味道" in t.text)]
    assert gas and all(t.priority == "紧急" for t in gas if "半夜低电量" not in t.text)


def test_bad_split_name():
    with pytest.raises(ValueError):
        tickets.load("train")


def _copy_seeds(tmp_path):
    dst = tmp_path / "seeds"
    shutil.copytree(seeds_dir(), dst)
    return dst


def test_unknown_type_is_reported_with_line_and_field(tmp_path, monkeypatch):
    dst = _copy_seeds(tmp_path)
    csv_path = dst / "tickets.csv"
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    first = ALL[0]
    lines[1] = lines[1].replace(f",{first.type},{first.priority},", f",抱怨,{first.priority},", 1)
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("KEFU_SEEDS", str(dst))
    with pytest.raises(tickets.TicketError) as err:
        tickets.load("all")
    msg = str(err.value)
    assert "第 2 行" in msg and first.id in msg and "type" in msg and "抱怨" in msg


def test_rule_and_label_disagreeing_is_reported(tmp_path, monkeypatch):
    dst = _copy_seeds(tmp_path)
    csv_path = dst / "tickets.csv"
    text = csv_path.read_text(encoding="utf-8")
    low = next(t for t in ALL if t.priority == "低")
    row = next(l for l in text.splitlines() if l.startswith(low.id + ","))
    csv_path.write_text(text.replace(row, row.replace(",低,", ",高,", 1)), encoding="utf-8")
    monkeypatch.setenv("KEFU_SEEDS", str(dst))
    with pytest.raises(tickets.TicketError, match="priority_rule"):
        tickets.load("drill")
