"""Grading a trainee's rewrite of a forbidden line by meaning (settings in phrasebook ``grading``).

A rewrite is compared with the acceptable and unacceptable rewrites of its item
(seeds/phrase_rewrites.yml, training split only, plus the phrasebook's model rewrites and the
original line): the nearest examples vote, weighted by their character n-gram similarity. No word
is required. The score adds three parts: no forbidden phrase (rules + learned judge), the meaning
vote, a courtesy marker. A refusal without any alternative fails. ``needs_review`` (the score is
provisional until a grader looks at it) is set only where the machine's doubt could change pass/fail:
a passing reply the judge is unsure about, a reply unlike every example whose best and worst case
fall on both sides of the pass mark, and scores just below the pass mark. A reply that fails for a
sure reason (a rule hit, a refusal without alternative) is not sent for review.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .engine import Report, checker

_KIND = {
    "rude": "仍然失礼",
    "opposite": "意思相反或拒绝了客户",
    "empty": "空洞的客套,没有回应客户的需要",
    "passing": "客气地推诿",
    "refusal": "只有拒绝,没有替代办法",
}


@dataclass(frozen=True)
class RewriteResult:
    item: str
    reply: str
    score: float  # 0..1
    passed: bool
    reasons: list[str] = field(default_factory=list)  # Chinese, one per deduction (or praise)
    report: Report | None = None
    needs_review: bool = False  # borderline or novel: a grader confirms the score
    verdict: Any = None  # kefu.phrases.judge.Verdict of the reply

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "score": self.score,
            "passed": self.passed,
            "needs_review": self.needs_review,
            "reasons": list(self.reasons),
            "violations": [v.to_dict() for v in (self.report.violations if self.report else [])],
        }


@dataclass(frozen=True)
class _Example:
    text: str
    good: bool
    kind: str  # "" for good ones


def _resolve(item: str) -> tuple[list[str], Any, str, list[str], list[str]]:
    """(original lines, intent, label, model rewrites, related ids) of an entry or rewrite item."""
    ck = checker()
    rule = ck.by_id.get(item)
    if rule is not None:
        e = rule.entry
        related = [ri.id for ri in ck.book.rewrite_items if ri.entries and ri.entries[0] == item]
        return [e.forbidden], e.intent, f"“{e.forbidden}”", list(e.rewrites), related
    for ri in ck.book.rewrite_items:
        if ri.id == item:
            return [ri.line], ri.intent, f"“{ri.line}”", list(ri.rewrites), []
    raise KeyError(f"话术库中没有这个条目或改写题:{item}(可用 kefu phrases list 查看)")


@lru_cache(maxsize=4)
def _seed_items(folder: str) -> dict[str, Any]:
    from pathlib import Path

    from kefu.seeds import Problem, SeedError, load

    if not (Path(folder) / "phrase_rewrites.yml").exists():
        return {}
    items = {i.item: i for i in load("phrase_rewrites.yml", folder).items}
    ck = checker()
    known = set(ck.by_id) | {ri.id for ri in ck.book.rewrite_items}
    unknown = [i for i in items if i not in known]
    if unknown:
        raise SeedError([Problem("phrase_rewrites.yml", i, "item", "话术库中没有这个条目或改写题") for i in unknown])
    return items


def examples(item: str, split: str | None = "train") -> list[_Example]:
    """The seed examples of ``item`` (and of a rewrite item that starts with this entry), limited to
    one split of the held-out hash (``None``: all)."""
    from kefu.seeds import seeds_dir

    from .corpus import split_of

    _orig, _intent, _label, _models, related = _resolve(item)
    items = _seed_items(str(seeds_dir().resolve()))
    out: list[_Example] = []
    for key in [item, *related]:
        it = items.get(key)
        if it is None:
            continue
        out += [_Example(t, True, "") for t in it.good]
        out += [_Example(b.text, False, b.kind) for b in it.bad]
    return [e for e in out if split is None or split_of(e.text) == split]


class _Memory:
    """Examples of one item as unit vectors in the judge's TF-IDF space."""

    def __init__(self, item: str):
        from .judge import judge_model

        originals, _intent, _label, models, _rel = _resolve(item)
        self.judge = judge_model()
        exs = examples(item)
        self.seeded = sum(e.good for e in exs)
        exs += [_Example(m, True, "") for m in models] + [_Example(o, False, "rude") for o in originals]
        self.examples = exs
        self.vectors = [self._unit(e.text) for e in exs]

    def _unit(self, text: str) -> dict[int, float]:
        vec = self.judge.vector(checker().norm(text).text)
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {g: v / norm for g, v in vec.items()}

    def nearest(self, text: str, k: int) -> list[tuple[float, _Example]]:
        q = self._unit(text)
        sims = []
        for ex, vec in zip(self.examples, self.vectors):
            small, big = (q, vec) if len(q) < len(vec) else (vec, q)
            sims.append((sum(v * big.get(g, 0.0) for g, v in small.items()), ex))
        sims.sort(key=lambda s: -s[0])
        return sims[:k]


@lru_cache(maxsize=64)
def _memory(folder: str, item: str) -> _Memory:
    return _Memory(item)


def _matches(patterns: list[str], text: str) -> bool:
    return any(re.search(p, text) for p in patterns)


def grade_rewrite(item: str, reply: str) -> RewriteResult:
    """Score ``reply`` as a rewrite of phrasebook entry / rewrite item ``item`` (0–1, with reasons)."""
    from kefu.seeds import seeds_dir

    from .judge import judge_model

    originals, intent, label, _models, _rel = _resolve(item)
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
    verdict = judge_model().judge(reply, report)
    reasons: list[str] = []
    span: tuple[float, float] | None = None  # meaning's (worst, best) case when the examples cannot place it
    # 1. no forbidden phrase: the rules, then the learned judge
    rude = bool(report.errors) or verdict.outcome == "forbidden"
    if report.errors:
        part = 0.0
        for v in report.errors:
            reasons.append(f"仍然使用了禁用说法“{v.match}”({v.category}),此项 {g.weight_no_violation:g} 分全扣;"
                           f"可以这样说:{v.suggestion}")
    elif rude:
        part = 0.0
        reasons.append(f"{verdict.reason}此项 {g.weight_no_violation:g} 分全扣。")
    elif report.warnings:
        part = g.weight_no_violation * g.warning_credit
        for v in report.warnings:
            reasons.append(f"用了不推荐的“{v.match}”({v.category}),扣 {g.weight_no_violation - part:g} 分;可以这样说:{v.suggestion}")
    else:
        part = g.weight_no_violation
    # 2. meaning: the nearest examples vote
    memory = _memory(str(seeds_dir().resolve()), item)
    near = memory.nearest(reply, g.neighbours)
    best_sim, best = near[0] if near else (0.0, None)
    norm_reply = ck.norm(reply).text
    # "无法为您办理" is a refusal, not an offer: drop negated offers before looking for alternatives
    offered = re.sub(r"(不|没|无)(能|法|办法|可以)(为|给|帮|替)您", "", norm_reply)
    refuses = _matches(g.refusal, norm_reply) and not _matches(g.alternative, offered)
    if best is not None and best.good and best_sim >= g.same_as:
        meaning = 1.0
    elif memory.seeded >= 3:
        # similarity vote of the nearest examples, shrunk towards 0.5 when even the nearest is far;
        # and whether the reply offers an action or alternative without passing the customer on
        total = sum(s * s for s, _ in near) or 1.0
        vote = sum(s * s for s, e in near if e.good) / total
        known = min(1.0, best_sim / max(g.min_similarity, 1e-9))
        vote = 0.5 + (vote - 0.5) * known
        # "您不需要再打别的电话" offers, not passes: drop negated phrases before looking for passing
        passes_on = _matches(g.passing, re.sub(r"(不用|不需要|无需|不必|省得)(再)?[^,.!?]{0,8}", "", norm_reply))
        acts = _matches(g.alternative, offered) and not passes_on and not refuses
        meaning = 0.5 * vote + 0.5 * (1.0 if acts else 0.0)
        # a third of min_similarity, chosen by leave-one-out on the training examples (bench/phrases.py):
        # with half, twice as many replies went to a grader and no more grading mistakes were caught
        novel = best_sim < g.min_similarity / 3
        if novel:  # unlike every example: neither the vote nor the pattern-based "acts" can be trusted
            span = (0.0, 1.0)
        if passes_on:
            reasons.append("把客户推给了别人或让客户自己去办:请由你来接手处理。")
        elif not acts and not refuses:
            reasons.append("没有说出你会为客户做什么(下一步行动或替代办法)。")

    else:  # an entry without examples: its intent's key points
        groups = list(intent.keep)
        kept = sum(1 for grp in groups if any(ck.norm.plain(a) in plain for a in grp))
        meaning = kept / len(groups) if groups else 1.0
    if meaning < 1.0:
        lost = g.weight_intent * (1 - meaning)
        why = ""
        bad = next((e for _s, e in near if not e.good), None)
        if bad is not None and not near[0][1].good:
            why = f"最接近的是不合格的改写“{bad.text}”({_KIND.get(bad.kind, bad.kind)});"
        if lost >= 0.005:
            reasons.append(f"{why}原意({intent.meaning or '替客户解决问题'})保留得不够,扣 {lost:.2f} 分。")
    if refuses:
        meaning *= 0.5
        reasons.append("只说了做不到,没有给出替代办法或下一步:请说明能为客户做什么。")
    score = part + g.weight_intent * meaning
    # 3. courtesy
    markers = [m for m in g.courtesy_markers if ck.norm.plain(m) in plain]
    if markers:
        score += g.weight_courtesy
    else:
        shown = "、".join(g.courtesy_markers[:6])
        reasons.append(f"缺少礼貌用语:请加入 {shown} 等敬语,扣 {g.weight_courtesy:g} 分。")
    score = round(min(max(score, 0.0), 1.0), 3)
    passed = score >= g.pass_score and not rude and not refuses
    # A grader is asked only where the machine's doubt could change pass/fail: a reply that fails for
    # a sure reason (a rule hit, a refusal, far too low even in the best case) is not sent for review.
    review = False
    if verdict.needs_review and passed:  # the judge cannot rule out that the passing reply is rude
        review = True
        reasons.append(verdict.reason)
    if span is not None and not rude and not refuses:
        courtesy = g.weight_courtesy if markers else 0.0
        lo, hi = (part + g.weight_intent * m + courtesy for m in span)
        if (lo >= g.pass_score) != (hi >= g.pass_score):
            review = True
            reasons.append("这句改写和已知的示例都不太像,由阅卷老师确认是否保留了原意。")
    if not rude and not refuses and g.pass_score - g.review_band <= score < g.pass_score:
        review = True  # just below the pass mark
    if review:
        reasons.append("这句改写需要阅卷老师复核,当前分数是暂定的。")
    if not reasons:
        reasons.append("很好:没有禁用语,保留了原意,语气礼貌。")
    elif passed and not review:
        reasons.insert(0, "改写基本合格,还可以更好:")
    return RewriteResult(item, reply, score, passed, reasons, report, review, verdict)
