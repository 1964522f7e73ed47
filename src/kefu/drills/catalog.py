"""Ready-made drills built from seeds/: the orderings (LEAP, complaint flow, silent call,
listening, the groups of communication.yml) and quizzes generated from the service rules and
the communication techniques. Notebooks call these by name."""
from __future__ import annotations

import re

from .base import rng
from .choice import ChoiceQuiz, Question
from .ordering import OrderingDrill
from . import sources

_UNITS = {
    "rings": "声", "seconds": "秒", "minutes": "分钟", "times": "次", "chars_per_minute": "字/分钟",
    "percent": "%",
}
_COMPARISON = {"at_most": "不超过", "at_least": "不少于", "exactly": "正好", "within": "以内"}


def leap_order(*, seed: int | None = 0) -> OrderingDrill:
    steps, source = sources.leap_steps()
    return OrderingDrill(steps, title="排序:LEAP 安抚不满客户", source=source, seed=seed)


def complaint_flow_order(*, seed: int | None = 0) -> OrderingDrill:
    steps, source = sources.complaint_flow_steps()
    return OrderingDrill(steps, title="排序:投诉处理流程", source=source, seed=seed)


def silent_call_order(*, seed: int | None = 0) -> OrderingDrill:
    steps, source = sources.silent_call_steps()
    return OrderingDrill(steps, title="排序:无声电话的处理步骤", source=source, seed=seed)


def ticket_status_order(*, seed: int | None = 0) -> OrderingDrill:
    steps, source = sources.ticket_status_steps()
    return OrderingDrill(steps, title="排序:工单状态的流转", source=source, seed=seed)


def listening_order(*, seed: int | None = 0) -> OrderingDrill:
    steps, source = sources.listening_steps()
    return OrderingDrill(steps, title="排序:有效倾听四步", source=source, seed=seed)


def group_order(group_id: str, *, seed: int | None = 0, title: str | None = None) -> OrderingDrill:
    """Ordering drill for any ordered group of seeds/communication.yml."""
    steps, source = sources.group_steps(group_id)
    name = sources.communication_group(group_id).title
    return OrderingDrill(steps, title=title or f"排序:{name}", source=source, seed=seed)


def funnel_order(*, seed: int | None = 0) -> OrderingDrill:
    return group_order("funnel-questioning", seed=seed, title="排序:漏斗式提问从宽到窄")


def phone_answer_flow_order(*, seed: int | None = 0) -> OrderingDrill:
    return group_order("phone-answer-flow", seed=seed, title="排序:接听电话的流程")


def group_quiz(group_id: str, *, seed: int | None = 0, limit: int | None = None, title: str | None = None,
               prompt: str = "“{detail}”——这说的是“{title}”中的哪一项?") -> ChoiceQuiz:
    """Match a description to its name, for any group of seeds/communication.yml (the agent's
    qualities, ways to manage emotions, ...). ``prompt`` may use {detail}, {title} and {purpose}."""
    g = sources.communication_group(group_id)
    names = [i.name for i in g.items]
    r = rng(seed)
    questions = []
    for item in g.items:
        others = [n for n in names if n != item.name]
        r.shuffle(others)
        why = f"{item.name}:{item.detail}" + (f" 例如:{item.example}" if item.example else "")
        wrong_why = {i.name: f"“{i.name}”指的是:{i.detail}" for i in g.items if i.name in others[:3]}
        questions.append(Question(prompt=prompt.format(detail=item.detail.rstrip("。"), title=g.title,
                                                       purpose=g.purpose),
                                  answer=item.name, distractors=others[:3], why=why, source=g.source,
                                  wrong_why=wrong_why))
    r.shuffle(questions)
    return ChoiceQuiz(questions[:limit] if limit else questions, title=title or f"辨析:{g.title}", seed=seed)


def workplace_quiz(area: str, *, seed: int | None = 0, limit: int | None = None,
                   title: str | None = None) -> ChoiceQuiz:
    """Which topic is this? One point of each topic of one area of seeds/workplace.yml, to be matched
    with the topic's title (the other titles of the area are the distractors)."""
    from kefu.seeds import load

    topics = load("workplace.yml").area(area)
    if len(topics) < 2:
        raise ValueError(f"workplace.yml 的“{area}”里主题太少,出不了题")
    titles = [t.title for t in topics]
    r = rng(seed)
    questions = []
    for t in topics:
        others = [x for x in titles if x != t.title]
        r.shuffle(others)
        # a point that does not name its own topic, else the topic's name blanked out
        clean = [p for p in t.points if t.title not in p]
        point = (clean or t.points)[r.randrange(len(clean or t.points))].replace(t.title, "____")
        src = f"本套件规定(参考 {sources._src(t.source)})" if t.assumed else sources._src(t.source)
        questions.append(Question(prompt=f"“{point.rstrip('。')}”——这说的是哪一项?", answer=t.title,
                                  distractors=others[:3], why="；".join(t.points), source=src))
    r.shuffle(questions)
    return ChoiceQuiz(questions[:limit] if limit else questions, title=title or f"认一认:{area}", seed=seed)


def _figure(value: float, unit: str | None) -> str:
    return f"{value:g} {_UNITS.get(unit or '', unit or '')}".strip()


def rule_quiz(rule_ids: list[str] | None = None, *, channel: str | None = None, seed: int | None = 0,
              title: str = "规范小测:记住这些数字") -> ChoiceQuiz:
    """Questions on the figures of the service rules (seeds/service_rules.yml): the right figure
    and three near misses; the explanation is the rule itself."""
    r = rng(seed)
    questions = []
    for rule in sources.numeric_rules(rule_ids, channel):
        right = _figure(rule.value, rule.unit)
        v0 = rule.value
        if v0 <= 5:
            candidates = {v0 - 1, v0 + 1, v0 + 2, v0 * 2}
        else:
            candidates = {round(v0 * f) for f in (0.5, 1.5, 2, 3)}
        if rule.unit == "percent":
            candidates = {c for c in candidates if c <= 100} | {v0 - 20, v0 - 30}
        wrong = sorted({_figure(v, rule.unit) for v in candidates if v > 0 and v != v0} - {right})
        r.shuffle(wrong)
        cmp = _COMPARISON.get(rule.comparison or "", "")
        questions.append(Question(
            prompt=_rule_prompt(rule, cmp),
            answer=right, distractors=wrong[:3], why=rule.rule,
            source=(f"本套件规定(参考 {sources._src(rule.source)})" if getattr(rule, "assumed", False)
                    else sources._src(rule.source))))
    if not questions:
        raise ValueError("所选的服务规范里没有带数字的条目")
    return ChoiceQuiz(questions, title=title, seed=seed)


def _rule_prompt(rule, cmp: str) -> str:
    """A prompt with a blank where the figure goes and the figure nowhere else: the rule's title
    with the figure blanked, else its rule text with the figure blanked, else the title alone."""
    for text in (rule.title, rule.rule):
        blanked = _blank(text, rule.value, rule.unit)
        if "__" in blanked:
            return f"“{blanked}”——横线处应填多少?"
    return f"“{rule.title}”——规范要求{cmp}多少?"


def _blank(title: str, value: float, unit: str | None = None) -> str:
    """Hide the figure in a rule title: '三声铃响内接听' → '__声铃响内接听', '10 分钟内回复' → '__ 分钟内回复',
    '一个小时' (60 minutes) → '__ 分钟'."""
    text = title
    if unit == "minutes" and value == 60:
        for hour in ("一个小时", "一小时", "1 小时", "1小时"):
            text = text.replace(hour, "__ 分钟")
    text = re.sub(rf"(?<![\d.]){re.escape(f'{value:g}')}(?![\d.])", "__", text)
    numerals = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
    for zh, n in numerals.items():
        if zh in text and value == n:
            text = text.replace(zh, "__", 1)
    return text


def question_types_quiz(*, seed: int | None = 0) -> ChoiceQuiz:
    """Which kind of question is this? (open, closed, progressive, leading)."""
    kinds = sources.question_types()
    names = [k.name for k in kinds]
    questions = []
    for k in kinds:
        for example in k.examples:
            questions.append(Question(
                prompt=f"客服问:“{example}” 这属于哪一种提问?",
                answer=k.name, distractors=[n for n in names if n != k.name],
                why=f"{k.name}:{k.purpose}", source=k.source,
                wrong_why={o.name: f"“{o.name}”的特点是:{o.purpose}" for o in kinds if o.name != k.name}))
    rng(seed).shuffle(questions)
    return ChoiceQuiz(questions, title="提问方式辨析", seed=seed)


def role_quiz(*, seed: int | None = 0, limit: int = 8) -> ChoiceQuiz:
    """Which online-shop role does this duty belong to? (seeds/ecommerce.yml roles)."""
    roles = sources.shop_roles()
    names = [r.name for r in roles]
    questions = [
        Question(prompt=f"“{duty}”——这是哪个岗位的职责?", answer=role.name,
                 distractors=[n for n in names if n != role.name],
                 why=f"{role.name}的定位:{role.purpose}", source=role.source)
        for role in roles for duty in role.duties
    ]
    r = rng(seed)
    r.shuffle(questions)
    return ChoiceQuiz(questions[:limit], title="岗位职责辨析", seed=seed)
