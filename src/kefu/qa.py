"""Scorecards: the 话务质检 scorecard (seeds/qa_rubric.yml) and the practical-exam rubric
(seeds/practical_rubric.yml). Points, weights and pass marks all come from seeds/.

    >>> score_call({"language": 2, "business-handling": 5}).score
    93.0
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from kefu.seeds import load

QA_SEED = "qa_rubric.yml"
PRACTICAL_SEED = "practical_rubric.yml"


class ScoreError(ValueError):
    """Bad scorecard input; the message (Chinese) names the item and the value."""


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            value = float(str(value).strip())
        except (TypeError, ValueError):
            raise ScoreError(f"{what} 应为数字,实际为 {value!r}") from None
    if value != value:  # NaN
        raise ScoreError(f"{what} 不是有效数字")
    return float(value)


# ----------------------------------------------------------------------------- QA scorecard

@dataclass(frozen=True)
class ScoreLine:
    item_id: str
    title: str
    points: float  # full marks of the item
    deducted: float
    bonus: float
    score: float
    note: str = ""

    def format(self) -> str:
        extra = f",加 {self.bonus:g} 分" if self.bonus else ""
        lost = f"扣 {self.deducted:g} 分" if self.deducted else "不扣分"
        return f"{self.title}:{lost}{extra},得 {self.score:g}/{self.points:g}" + (f"({self.note})" if self.note else "")


@dataclass(frozen=True)
class QAResult:
    score: float
    max_score: float
    passed: bool
    failed_items: list[str]  # ids of items that lost points, in scorecard order
    failed_titles: list[str]
    critical_failed: list[str]  # ids of critical items (e.g. identity-check) that lost points
    lines: list[ScoreLine] = field(default_factory=list)

    def report(self) -> str:
        head = f"质检得分 {self.score:g}/{self.max_score:g},{'合格' if self.passed else '不合格'}"
        if self.critical_failed:
            head += "(关键项失分:" + "、".join(l.title for l in self.lines if l.item_id in self.critical_failed) + ")"
        return "\n".join([head, *(l.format() for l in self.lines)])


def rubric() -> Any:
    return load(QA_SEED)


def items() -> list[Any]:
    """The scorecard items in order (``.id``, ``.title``, ``.points``, ``.deductions``)."""
    return list(rubric().items)


def score_call(deductions: Mapping[str, Any], bonuses: Mapping[str, Any] | None = None) -> QAResult:
    """Score one call: ``deductions`` = points taken off per item id; ``bonuses`` = extra points per
    item (only items with ``bonus_max``). Items not named lose nothing. An item never goes below 0;
    the total never goes above the scorecard total."""
    r = rubric()
    known = {i.id: i for i in r.items}
    bonuses = dict(bonuses or {})
    for what, given in (("扣分", deductions), ("加分", bonuses)):
        unknown = [k for k in given if k not in known]
        if unknown:
            raise ScoreError(f"{what}中有质检评分表里没有的项目:{'、'.join(map(str, unknown))}"
                             f"(可选:{'、'.join(known)})")
    lines: list[ScoreLine] = []
    for item in r.items:
        d = _number(deductions.get(item.id, 0) or 0, f"评分项 {item.id}({item.title})的扣分")
        b = _number(bonuses.get(item.id, 0) or 0, f"评分项 {item.id}({item.title})的加分")
        if d < 0:
            raise ScoreError(f"评分项 {item.id}({item.title})的扣分不能为负数:{d:g}")
        if b < 0:
            raise ScoreError(f"评分项 {item.id}({item.title})的加分不能为负数:{b:g}")
        if b > item.bonus_max:
            raise ScoreError(f"评分项 {item.id}({item.title})最多加 {item.bonus_max} 分,收到 {b:g}")
        note = ""
        if d > item.points:
            note = f"扣分 {d:g} 超过满分,本项按 0 分计"
            d = float(item.points)
        lines.append(ScoreLine(item.id, item.title, float(item.points), d, b, float(item.points) - d + b, note))
    total = min(float(r.total_points), sum(l.score for l in lines))
    total = round(total, 2)
    failed = [l.item_id for l in lines if l.deducted > 0]
    critical = [i.id for i in r.items if i.critical and i.id in failed]
    passed = total >= r.pass_rule.score and not critical
    return QAResult(total, float(r.total_points), passed, failed,
                    [l.title for l in lines if l.item_id in failed], critical, lines)


def deductions_from_findings(findings: Mapping[str, int]) -> dict[str, int]:
    """Turn observed problems into item deductions: ``findings`` maps a deduction id of the rubric
    (e.g. ``lang-nonstandard-word``) to how many times it happened. ``per: once`` rules count once."""
    by_id = {d.id: (item, d) for item in rubric().items for d in item.deductions}
    out: dict[str, int] = {}
    for key, count in findings.items():
        if key not in by_id:
            raise ScoreError(f"质检评分表里没有扣分细则 {key}")
        n = int(_number(count, f"扣分细则 {key} 的次数"))
        if n < 0:
            raise ScoreError(f"扣分细则 {key} 的次数不能为负数")
        item, d = by_id[key]
        times = min(n, 1) if d.per == "once" else n
        out[item.id] = out.get(item.id, 0) + d.points * times
    return out


# ----------------------------------------------------------------------------- practical exam

@dataclass(frozen=True)
class PracticalResult:
    score: float  # weighted total 0–100
    passed: bool
    by_dimension: dict[str, float]  # weighted points each dimension contributes
    pass_score: float
    lines: list[str] = field(default_factory=list)


def practical_rubric() -> Any:
    return load(PRACTICAL_SEED)


def practical_score(scores: Mapping[str, Any]) -> PracticalResult:
    """Weighted practical-exam score: ``scores`` gives each dimension id a 0–100 score; the total
    is Σ score × weight / 100 (weights from seeds/practical_rubric.yml); pass at the seed's mark."""
    r = practical_rubric()
    dims = {d.id: d for d in r.dimensions}
    unknown = [k for k in scores if k not in dims]
    if unknown:
        raise ScoreError(f"实操评分中有未知维度:{'、'.join(map(str, unknown))}(可选:{'、'.join(dims)})")
    missing = [f"{d.id}({d.name})" for d in r.dimensions if d.id not in scores]
    if missing:
        raise ScoreError(f"实操评分缺少维度:{'、'.join(missing)}")
    by_dim: dict[str, float] = {}
    lines = []
    for d in r.dimensions:
        s = _number(scores[d.id], f"维度 {d.id}({d.name})的得分")
        if not 0 <= s <= 100:
            raise ScoreError(f"维度 {d.id}({d.name})的得分应在 0–100 之间,实际为 {s:g}")
        by_dim[d.id] = s * d.weight / 100
        lines.append(f"{d.name}(权重 {d.weight:g}%):{s:g} 分 → {by_dim[d.id]:g} 分")
    total = round(sum(by_dim.values()), 2)
    passed = total >= r.pass_rule.score
    lines.append(f"加权总分 {total:g},合格线 {r.pass_rule.score:g}:{'合格' if passed else '不合格'}")
    return PracticalResult(total, passed, by_dim, float(r.pass_rule.score), lines)
