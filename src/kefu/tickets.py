"""The labelled ticket set (seeds/tickets.csv): load a split and check every label.

``load("drill")`` is for practice (drills show the labels and reasons), ``load("exam")`` is the
held-back split for graded exercises and exams, ``load("all")`` both. Type and priority names must
be those of seeds/complaints.yml; the ``type_rule`` / ``priority_rule`` columns must name rules of
seeds/ticket_labelling_guide.yml that lead to the same labels.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kefu.seeds import load as load_seed

SEED = "tickets.csv"
SPLITS = ("drill", "exam", "all")


class TicketError(ValueError):
    """A ticket whose label does not agree with complaints.yml or the labelling guide."""


@dataclass(frozen=True)
class Ticket:
    id: str
    channel: str
    text: str
    type: str
    priority: str
    reason: str
    split: str
    product: str = ""
    type_rule: str = ""
    priority_rule: str = ""


def labels() -> tuple[list[str], list[str]]:
    """(ticket type names, priority names from the most urgent down), from complaints.yml."""
    c = load_seed("complaints.yml")
    return c.type_names(), c.priority_names()


def check(rows: list) -> list[str]:
    """Problems (Chinese, naming CSV line, ticket id and column) of a list of ticket rows."""
    types, priorities = labels()
    guide = load_seed("ticket_labelling_guide.yml")
    type_rules = {r.id: r.type for r in guide.type_rules}
    prio_rules = {r.id: r.priority for r in guide.priority_rules}
    problems: list[str] = []
    for i, r in enumerate(rows):
        where = f"{SEED} 第 {i + 2} 行(工单 {r.id})"
        if r.type not in types:
            problems.append(f"{where} · 字段 type:“{r.type}”不是 complaints.yml 中的工单类型({'/'.join(types)})")
        if r.priority not in priorities:
            problems.append(f"{where} · 字段 priority:“{r.priority}”不是 complaints.yml 中的优先级"
                            f"({'/'.join(priorities)})")
        if r.type_rule not in type_rules:
            problems.append(f"{where} · 字段 type_rule:标注指南里没有规则 {r.type_rule}")
        elif type_rules[r.type_rule] != r.type:
            problems.append(f"{where} · 字段 type_rule:规则 {r.type_rule} 对应“{type_rules[r.type_rule]}”,"
                            f"而标注为“{r.type}”")
        if r.priority_rule not in prio_rules:
            problems.append(f"{where} · 字段 priority_rule:标注指南里没有规则 {r.priority_rule}")
        elif prio_rules[r.priority_rule] != r.priority:
            problems.append(f"{where} · 字段 priority_rule:规则 {r.priority_rule} 对应"
                            f"“{prio_rules[r.priority_rule]}”,而标注为“{r.priority}”")
    return problems


def load(split: Literal["drill", "exam", "all"] = "all") -> list[Ticket]:
    """Tickets of one split, in file order; raises TicketError when a label is not valid."""
    if split not in SPLITS:
        raise ValueError(f"split 应为 {' / '.join(SPLITS)},收到 {split!r}")
    rows = load_seed(SEED).rows
    problems = check(rows)
    if problems:
        raise TicketError("工单标注有误:\n" + "\n".join(problems))
    return [Ticket(r.id, r.channel, r.text, r.type, r.priority, r.reason, r.split, r.product, r.type_rule,
                   r.priority_rule)
            for r in rows if split == "all" or r.split == split]


def by_id(ticket_id: str) -> Ticket:
    for t in load("all"):
        if t.id == ticket_id:
            return t
    raise KeyError(f"没有工单 {ticket_id}")


def guide_rule(rule_id: str) -> str:
    """The text of a labelling-guide rule (for feedback: why this type / priority)."""
    guide = load_seed("ticket_labelling_guide.yml")
    for r in [*guide.type_rules, *guide.priority_rules, *guide.tie_breakers]:
        if r.id == rule_id:
            return r.rule
    raise KeyError(f"标注指南里没有规则 {rule_id}")
