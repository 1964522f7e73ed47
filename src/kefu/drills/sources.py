"""Everything the drills read from seeds/, in one place (one small function per fact), so a
drill never re-types a seed value and a change in seeds/ shows up in every notebook."""
from __future__ import annotations

from dataclasses import dataclass

from kefu.seeds import load


@dataclass(frozen=True)
class Target:
    value: float
    title: str
    rule: str
    source: str


def _src(source) -> str:
    if isinstance(source, (list, tuple)):
        return "、".join(source)
    return str(source or "")


def service_rule(rule_id: str) -> Target:
    rule = load("service_rules.yml").get(rule_id)
    return Target(float(rule.value) if rule.value is not None else 0.0, rule.title, rule.rule,
                  _src(rule.source))


def typing_target() -> Target:
    """The online typing-speed target (characters per minute), entry ``typing-speed``."""
    return service_rule("typing-speed")


def typing_passages() -> list[str]:
    """Practice passages for the typing drill: the kit's own service rules for online work."""
    rules = load("service_rules.yml").rules
    return [r.rule for r in rules if r.channel in ("online", "all")]


def kpi_dimensions() -> list[tuple[str, str, float]]:
    """(id, name, weight) of the performance dimensions."""
    return [(d.id, d.name, float(d.weight)) for d in load("kpi.yml").dimensions]


def kpi_grades() -> list[tuple[str, str, float]]:
    """(label, name, min_score) from the highest grade down."""
    return [(g.label, g.name, float(g.min_score)) for g in load("kpi.yml").grades]


def kpi_source() -> str:
    return _src(load("kpi.yml").dimensions[0].source)


def staffing_defaults() -> tuple[float, float, float]:
    """(service-level goal, shrinkage, answer-time threshold seconds)."""
    kpi = load("kpi.yml")
    return (float(kpi.staffing.service_level), float(kpi.staffing.shrinkage),
            float(kpi.service_level_threshold.seconds))


def numeric_rules(rule_ids: list[str] | None = None, channel: str | None = None) -> list["Rule"]:
    """Service rules that carry a figure, optionally only ``rule_ids`` or one channel."""
    rules = load("service_rules.yml").rules
    out = []
    for r in rules:
        if r.value is None or (rule_ids and r.id not in rule_ids):
            continue
        if channel and r.channel not in (channel, "all"):
            continue
        out.append(r)
    if rule_ids:
        order = {rid: i for i, rid in enumerate(rule_ids)}
        out.sort(key=lambda r: order[r.id])
    return [_rule(r) for r in out]


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    rule: str
    value: float | None
    unit: str | None
    comparison: str | None
    source: str


def _rule(r) -> Rule:
    return Rule(r.id, r.title, r.rule, None if r.value is None else float(r.value), r.unit, r.comparison,
                _src(r.source))


def chat_etiquette() -> dict:
    """Online chat etiquette rules of seeds/ecommerce.yml by id (``.title``, ``.rule``, ``.source``)."""
    out = {}
    for e in load("ecommerce.yml").chat_etiquette:
        out[e.id] = Rule(e.id, e.title, e.rule, None, None, None, _src(e.source))
    return out
