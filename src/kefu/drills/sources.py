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


@dataclass(frozen=True)
class Role:
    id: str
    name: str
    purpose: str
    duties: tuple[str, ...]
    source: str


def shop_roles() -> list[Role]:
    return [Role(r.id, r.name, r.purpose, tuple(r.duties), _src(r.source)) for r in load("ecommerce.yml").roles]


@dataclass(frozen=True)
class Card:
    id: str
    forbidden: str
    recommended: tuple[str, ...]
    category: str
    why: str
    source: str


def flashcards(category: str | None = None) -> list[Card]:
    """禁用语 → 推荐用语 pairs from seeds/phrasebook.yml (errors first; optionally one category)."""
    entries = load("phrasebook.yml").entries
    return [Card(e.id, e.forbidden, tuple(e.rewrites), e.category, e.why,
                 f"本套件规定(参考 {_src(e.source)})" if e.assumed else _src(e.source))
            for e in entries if category is None or e.category == category]


def phrase_categories() -> dict[str, str]:
    return dict(load("phrasebook.yml").categories)




# --- script rules (kefu.scripts) ---------------------------------------------------------------
_PROCEDURE_IDS = {"cant-hear": ("cant-hear", "cannot-hear", "can-not-hear"), "dialect": ("dialect",)}
_SITUATION = {
    "silent-call": "电话接通了,可是听筒里一点声音都没有。你先说哪一句?",
    "cant-hear": "客户说话声音很小,你听不清楚他在说什么。你应该怎么说?",
    "dialect": "客户一直用方言讲,你听不太懂。你应该怎么说?",
}




def _procedure(kind: str):
    from kefu import scripts

    if kind == "silent-call":
        return scripts.silent_call_steps()
    last = None
    for pid in _PROCEDURE_IDS[kind]:
        try:
            return scripts.procedure(pid)
        except (KeyError, ValueError) as exc:
            last = exc
    raise KeyError(f"kefu.scripts 里没有“{kind}”的处理规范") from last


def _rude_openers() -> list[str]:
    """Forbidden phone openers (seeds/scripts.yml opening_forbidden), used as wrong options."""
    return list(load("scripts.yml").opening_forbidden.examples)[:2]


def _first_said(steps):
    """The first step the agent says out loud (skips 'do' steps such as keeping one's volume)."""
    return next((s for s in steps if getattr(s, "action", "say") == "say"), steps[0])


def _random_when(kind: str, r, when=None):
    """A date and time for an opening question: a holiday morning or an ordinary day."""
    from datetime import date, datetime, timedelta

    from kefu import scripts

    if when is not None:
        return when
    year = r.choice([2025, 2026, 2027])
    days = [date(year, 1, 1) + timedelta(days=i) for i in range(365)]
    holiday = [d for d in days if scripts.holiday_on(d)]
    ordinary = [d for d in days if not scripts.holiday_on(d) and d.weekday() < 5]
    day = r.choice(holiday if kind == "holiday-morning" else ordinary)
    hour = r.choice([8, 9, 10, 11]) if kind == "holiday-morning" else r.choice([9, 10, 14, 15, 16, 19])
    return datetime(day.year, day.month, day.day, hour, r.choice([0, 10, 20, 30, 40, 50]))


def scenario_question(kind: str, r, when=None):
    """One scenario question; the right line comes from kefu.scripts."""
    from datetime import datetime

    from kefu import scripts

    from .choice import Question

    rude = _rude_openers()
    if kind in ("holiday-morning", "ordinary-opening"):
        at = _random_when(kind, r, when)
        right = scripts.opening(at)
        others = []
        for other in (datetime(at.year, 3, 12, 15, 0), datetime(at.year, 10, 1, 9, 0), datetime(at.year, 1, 1, 20, 0),
                      datetime(at.year, at.month, at.day, 21, 0)):
            t = scripts.opening(other).text
            if t != right.text and t not in others:
                others.append(t)
        holiday = scripts.holiday_on(at.date())
        day = f"{at:%Y 年 %m 月 %d 日} {at:%H:%M}" + (f"({holiday})" if holiday else "")
        return Question(prompt=f"现在是 {day},电话响了。接起电话,你的开头语是?",
                        answer=right.text, distractors=(others[:2] + rude[:1])[:3], why=right.reason,
                        source=str(getattr(right, "source", "") or ""))
    steps = _procedure(kind)
    right = _first_said(steps)
    wrong = []
    for other in ("silent-call", "cant-hear", "dialect"):
        if other != kind:
            try:
                t = _first_said(_procedure(other)).text
            except KeyError:
                continue
            if t != right.text and t not in wrong:
                wrong.append(t)
    why = "规范步骤:" + " → ".join(s.text for s in steps)
    return Question(prompt=_SITUATION[kind], answer=right.text, distractors=(wrong + rude[:1])[:3], why=why,
                    source=str(getattr(right, "source", "") or ""))


def silent_call_steps():
    """(steps for the ordering drill, source) from kefu.scripts.silent_call_steps()."""
    from .ordering import Step

    steps = sorted(_procedure("silent-call"), key=lambda s: s.order)
    out = []
    for s in steps:
        wait = getattr(s, "wait_seconds", None)
        out.append(Step(s.text, f"说完稍等 {wait:g} 秒,给客户回应的时间" if wait else ""))
    return out, _src(getattr(steps[0], "source", ""))


# --- complaints, tickets, QA (seeds of RULES) ----------------------------------------------------








def qa_rubric_markdown() -> str:
    rubric = load("qa_rubric.yml")
    rows = ["| 评分项 | 满分 | 标准 | 常见扣分 | 来源 |", "|---|---|---|---|---|"]
    for item in rubric.items:
        ded = ";".join(f"{d.text}(扣 {d.points:g} 分{',本套件规定' if getattr(d, 'assumed', False) else ''})"
                       for d in item.deductions[:3])
        origin = f"本套件规定(参考 {_src(item.source)})" if item.assumed else _src(item.source)
        rows.append(f"| {item.title} | {item.points:g} | {item.standard} | {ded} | {origin} |")
    rows.append("")
    pr = rubric.pass_rule
    origin = "本套件规定:手册没有给出质检合格线" if pr.assumed else f"来源:{_src(pr.source)}"
    rows.append(f"合格线:{pr.rule}({origin})")
    return "\n".join(rows)


def leap_steps():
    """(steps, source) of LEAP from seeds/complaints.yml."""
    from .ordering import Step

    leap = load("complaints.yml").leap
    steps = sorted(leap.steps, key=lambda s: s.order)
    return [Step(f"{s.name}({s.english})", s.description) for s in steps], _src(leap.source)


def complaint_flow_steps():
    """(steps, source) of the complaint flow from seeds/complaints.yml."""
    from .ordering import Step

    flow = load("complaints.yml").complaint_flow
    steps = sorted(flow.steps, key=lambda s: s.order)
    return [Step(s.name, s.description) for s in steps], _src(flow.source)


def ticket_status_steps():
    """(steps, source) of the ticket statuses in order, from seeds/complaints.yml."""
    from .ordering import Step

    statuses = sorted(load("complaints.yml").statuses, key=lambda s: s.order)
    return [Step(s.name, s.definition) for s in statuses], _src(statuses[0].source)


def ticket_labels() -> tuple[list[str], list[str]]:
    """(type names, priority names from the most urgent) from seeds/complaints.yml."""
    c = load("complaints.yml")
    return [t.name for t in c.ticket_types], [p.name for p in sorted(c.priorities, key=lambda p: p.rank)]


def ticket_label_hint(type_name: str, priority_name: str) -> str:
    """What the labelling guide says about the right type and priority."""
    c = load("complaints.yml")
    t = next((t for t in c.ticket_types if t.name == type_name), None)
    p = next((p for p in c.priorities if p.name == priority_name), None)
    parts = []
    if t:
        parts.append(f"“{t.name}”指{t.definition}")
    if p:
        parts.append(f"“{p.name}”优先级:{p.definition}")
    return ";".join(parts)


def ticket_guide_markdown() -> str:
    c = load("complaints.yml")
    rows = ["| 类型 | 指什么 | 常见信号 | 来源 |", "|---|---|---|---|"]
    rows += [f"| {t.name} | {t.definition} | {'、'.join(t.signals[:4])} | {_src(t.source)} |" for t in c.ticket_types]
    rows += ["", "| 优先级 | 指什么 | 响应要求 | 来源 |", "|---|---|---|---|"]
    rows += [f"| {p.name} | {p.definition} | {p.response} | {_src(p.source)} |"
             for p in sorted(c.priorities, key=lambda p: p.rank)]
    return "\n".join(rows)


def drill_tickets() -> list:
    """Tickets of the drill split only (never the exam split)."""
    from kefu.tickets import load as load_tickets

    tickets = list(load_tickets("drill"))
    if any(getattr(t, "split", "drill") != "drill" for t in tickets):
        raise RuntimeError("练习只能使用 drill 部分的工单")
    return tickets


# --- communication techniques (seeds/communication.yml) ------------------------------------------
@dataclass(frozen=True)
class GroupItem:
    id: str
    name: str
    detail: str
    example: str


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    purpose: str
    ordered: bool
    items: tuple[GroupItem, ...]
    source: str




def communication_group(group_id: str) -> Group:
    """One group of seeds/communication.yml (listening steps, question types, qualities ...)."""
    try:
        g = load("communication.yml").group(group_id)
    except KeyError:
        raise KeyError(f"seeds/communication.yml 里没有“{group_id}”这一组") from None
    items = tuple(GroupItem(i.id, i.name, i.detail, i.example) for i in g.items)
    return Group(g.id, g.title, g.purpose, g.ordered, items, _src(g.source))


def group_steps(group_id: str):
    """(steps, source) of an ordered group, for the ordering drill."""
    from .ordering import Step

    g = communication_group(group_id)
    if not g.ordered:
        raise ValueError(f"“{g.title}”不是有先后顺序的步骤,不能做排序练习")
    return [Step(i.name, i.detail) for i in g.items], g.source






def listening_steps():
    """(steps, source) of the four listening steps."""
    return group_steps("listening-steps")


@dataclass(frozen=True)
class QuestionType:
    name: str
    purpose: str
    examples: tuple[str, ...]
    source: str


def question_types() -> list[QuestionType]:
    """The kinds of questions (open, closed, progressive, guiding) with an example each."""
    g = communication_group("question-types")
    return [QuestionType(i.name, i.detail, tuple(e for e in [i.example.strip("“”")] if e), g.source)
            for i in g.items]


# --- QA scorecard ------------------------------------------------------------------------------
@dataclass(frozen=True)
class QAItem:
    id: str
    title: str
    points: float
    options: tuple[int, ...]  # deductions the trainee can pick


@dataclass(frozen=True)
class QAFinding:
    item: str  # scorecard item id
    deduction: str  # deduction rule id
    rule: str  # the rule's text
    points: int  # points taken off in total (rule points × times)
    line: int  # transcript line, 1 = first
    note: str


@dataclass(frozen=True)
class QASample:
    id: str
    title: str
    lines: tuple[tuple[str, str], ...]  # (speaker, text)
    deductions: dict  # item id → points deducted (reference marking, from kefu.qa)
    notes: dict  # item id → why (Chinese)
    source: str
    findings: tuple[QAFinding, ...] = ()


def _reachable(item) -> tuple[int, ...]:
    """Every deduction an item can get from its rules (``per: once`` at most once, ``per: each``
    any number of times), capped at the item's full points."""
    sums = {0}
    for d in item.deductions:
        times = 1 if d.per == "once" else max(1, int(item.points) // int(d.points))
        sums = {s + k * int(d.points) for s in sums for k in range(times + 1) if s + k * int(d.points) <= item.points}
    return tuple(sorted(sums | {int(item.points)}))


def qa_items() -> list[QAItem]:
    return [QAItem(item.id, item.title, float(item.points), _reachable(item)) for item in load("qa_rubric.yml").items]


def qa_sample_ids() -> list[str]:
    return [s.id for s in getattr(load("qa_rubric.yml"), "samples", None) or []]


def qa_sample(sample_id: str | None = None) -> QASample:
    """A practice transcript with its reference marking (``samples`` in seeds/qa_rubric.yml); the
    per-item deductions are computed from its findings by ``kefu.qa.deductions_from_findings``."""
    from collections import Counter

    from kefu.qa import deductions_from_findings

    rubric = load("qa_rubric.yml")
    samples = getattr(rubric, "samples", None) or []
    if not samples:
        raise LookupError("seeds/qa_rubric.yml 里还没有练习用的通话记录(samples)")
    s = next((x for x in samples if sample_id in (None, x.id)), None)
    if s is None:
        raise KeyError(f"没有这段通话记录:{sample_id}(可选:{'、'.join(x.id for x in samples)})")
    rules = {d.id: d for item in rubric.items for d in item.deductions}
    counts = Counter()
    findings = []
    for f in s.findings:
        counts[f.deduction] += f.times
        rule = rules[f.deduction]
        findings.append(QAFinding(f.item, f.deduction, rule.text, int(rule.points) * f.times, f.line, f.note))
    notes: dict[str, str] = {}
    for f in findings:
        why = f"第 {f.line} 句:{f.note}(扣分细则:{f.rule},扣 {f.points} 分)"
        notes[f.item] = f"{notes[f.item]} {why}" if f.item in notes else why
    lines = tuple((ln.speaker, ln.text) for ln in s.lines)
    return QASample(s.id, s.title, lines, deductions_from_findings(counts), notes, _src(s.source), tuple(findings))
