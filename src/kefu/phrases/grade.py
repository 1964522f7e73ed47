"""Scoring a trainee's rewrite of a forbidden phrase (weights and markers from the phrasebook)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .engine import Report, checker


@dataclass(frozen=True)
class RewriteResult:
    item: str
    reply: str
    score: float  # 0..1
    passed: bool
    reasons: list[str] = field(default_factory=list)  # Chinese, one per deduction (or praise)
    report: Report | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "score": self.score,
            "passed": self.passed,
            "reasons": list(self.reasons),
            "violations": [v.to_dict() for v in (self.report.violations if self.report else [])],
        }


def _resolve(item: str) -> tuple[list[str], Any, str]:
    """(original lines, intent, label) of a phrasebook entry or a rewrite item."""
    ck = checker()
    rule = ck.by_id.get(item)
    if rule is not None:
        e = rule.entry
        return [e.forbidden], e.intent, f"“{e.forbidden}”"
    for ri in ck.book.rewrite_items:
        if ri.id == item:
            return [ri.line], ri.intent, f"“{ri.line}”"
    raise KeyError(f"话术库中没有这个条目或改写题:{item}(可用 kefu phrases list 查看)")


def grade_rewrite(item: str, reply: str) -> RewriteResult:
    """Score ``reply`` as a rewrite of phrasebook entry / rewrite item ``item``.

    Four checks, each explained in ``reasons``: not empty and not the original line again; no
    forbidden phrase (warnings keep part of the credit); keeps the intent (each ``intent.keep``
    group needs one of its alternatives); carries a courtesy marker.
    """
    originals, intent, label = _resolve(item)
    ck = checker()
    g = ck.book.grading
    if reply is None:
        reply = ""
    if not isinstance(reply, str):
        raise TypeError(f"改写内容应为文字(str),实际为 {type(reply).__name__}")
    report = ck.check(reply)
    plain = ck.norm.plain(reply)
    if not plain:
        return RewriteResult(item, reply, 0.0, False, ["回答为空:请写出你会对客户说的完整一句话。"], report)
    if any(plain == ck.norm.plain(o) for o in originals):
        return RewriteResult(item, reply, 0.0, False, [f"与原句 {label} 相同:请改写成推荐说法,而不是照抄原句。"], report)
    if len(plain) < g.min_chars:
        return RewriteResult(
            item, reply, 0.0, False, [f"回答太短(少于 {g.min_chars} 个字):请写出完整、礼貌的一句话。"], report
        )
    reasons: list[str] = []
    # 1. no forbidden phrase
    if report.errors:
        part = 0.0
        for v in report.errors:
            reasons.append(
                f"仍然使用了禁用说法“{v.match}”({v.category}),扣 {g.weight_no_violation:g} 分中的全部;"
                f"可以这样说:{v.suggestion}"
            )
    elif report.warnings:
        part = g.weight_no_violation * g.warning_credit
        for v in report.warnings:
            reasons.append(
                f"用了不推荐的“{v.match}”({v.category}),扣 {g.weight_no_violation - part:g} 分;可以这样说:{v.suggestion}"
            )
    else:
        part = g.weight_no_violation
    score = part
    # 2. intent
    groups = list(intent.keep)
    if groups:
        kept = 0
        for group in groups:
            if any(ck.norm.plain(alt) in plain for alt in group):
                kept += 1
            else:
                shown = "、".join(f"“{a}”" for a in group[:5])
                lost = g.weight_intent / len(groups)
                reasons.append(f"没有保留原意({intent.meaning}):应包含 {shown} 等说法之一,扣 {lost:.2g} 分。")
        score += g.weight_intent * kept / len(groups)
    else:
        score += g.weight_intent
    # 3. courtesy
    markers = [m for m in g.courtesy_markers if ck.norm.plain(m) in plain]
    if markers:
        score += g.weight_courtesy
    else:
        shown = "、".join(g.courtesy_markers[:6])
        reasons.append(f"缺少礼貌用语:请加入 {shown} 等敬语,扣 {g.weight_courtesy:g} 分。")
    score = round(min(max(score, 0.0), 1.0), 3)
    passed = score >= g.pass_score and not report.errors
    if not reasons:
        reasons.append("很好:没有禁用语,保留了原意,语气礼貌。")
    elif passed:
        reasons.insert(0, "改写基本合格,还可以更好:")
    return RewriteResult(item, reply, score, passed, reasons, report)
