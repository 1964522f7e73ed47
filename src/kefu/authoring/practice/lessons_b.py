"""Lessons of chapters 3–6 (phone etiquette, positive language, complaints, tickets).

Prose is the kit's own; lists, lines and figures are read from seeds/ (through kefu) at build
time. Drills whose seed data is not there yet are left out until it is (rebuild with kefu build).
"""
from __future__ import annotations

from kefu.seeds import load

from .common import drill, group_names, group_table, md, rules_table, src, workplace_section


def _phrase_table(entries, limit: int = 12) -> str:
    rows = ["| 不要说 | 可以这样说 | 为什么 | 来源 |", "|---|---|---|---|"]
    for e in entries[:limit]:
        origin = "本套件规定" if getattr(e, "assumed", False) else src(e.source)
        rows.append(f"| {e.forbidden} | {e.rewrites[0]} | {e.why} | {origin} |")
    return "\n".join(rows)


def _complaint_rules_md(ids: list[str]) -> str:
    comp = load("complaints.yml")
    out = []
    for r in comp.complaint_rules:
        if r.id in ids:
            origin = "本套件规定" if r.assumed else f"来源 {src(r.source)}"
            out.append(f"- **{r.title}**:{r.rule}({origin})")
    return "\n".join(out)


def _tie_rules_md() -> str:
    guide = load("ticket_labelling_guide.yml")
    out = []
    for t in guide.tie_breakers:
        origin = "本套件规定" if t.assumed else f"来源 {src(t.source)}"
        out.append(f"- {t.rule}({origin})")
    return "\n".join(out)


def _rewrite_items_md() -> str:
    pb = load("phrasebook.yml")
    rows = ["| 不当说法 | 改写为 | 来源 |", "|---|---|---|"]
    for it in pb.rewrite_items:
        origin = "本套件规定" if getattr(it, "assumed", False) else src(it.source)
        rows.append(f"| {it.line} | {it.rewrites[0]} | {origin} |")
    return "\n".join(rows)


def _procedures_md(ids: list[str]) -> str:
    """Each special-call procedure of seeds/scripts.yml with its steps (the lines to say)."""
    from kefu.scripts import procedure

    sc = load("scripts.yml")
    out = []
    for pid in ids:
        p = next(x for x in sc.procedures if x.id == pid)
        steps = "\n".join(
            f"   {st.order}. " + (f"说:“{st.text}”" if st.action == "say" else st.text)
            + (f"({st.condition})" if st.condition else "")
            for st in procedure(pid))
        out.append(f"- **{p.title}**({p.situation},来源 {src(p.source)})\n{steps}")
    return "\n".join(out)


def _lines_md() -> str:
    """Everyday lines of seeds/scripts.yml: answering a greeting, addressing, holding, transferring, confirming."""
    sc = load("scripts.yml")
    cg = sc.customer_greets_first
    rows = ["| 场合 | 标准说法 | 来源 |", "|---|---|---|",
            f"| {cg.rule} | {cg.replies[0].replace('{customer}', '王先生')} | {src(cg.source)} |"]
    for ln in sc.lines:
        if ln.id in ("use-customer-name", "hold", "hold-return", "transfer", "confirm-change", "system-down"):
            rows.append(f"| {ln.situation} | {ln.text.replace('{customer}', '王先生')} | {src(ln.source)} |")
    return "\n".join(rows)


def _opening_lines() -> str:
    """The actual opening, holiday and silent-call lines of seeds/scripts.yml (what the assignment tests)."""
    from kefu.scripts import silent_call_steps

    sc = load("scripts.yml")
    centre = sc.centre

    def fill(text: str) -> str:
        return text.replace("{centre}", centre)

    openings = "\n".join(f"- {fill(o.text)}" for o in sc.openings if o.kind in ("morning", "standard"))
    rows = ["| 节日 | 开头语 | 使用的日子 |", "|---|---|---|"]
    for h in sc.holidays:
        own = "(本套件规定,以节日通知为准)" if h.window.assumed else ""
        rows.append(f"| {h.name} | {fill(h.text)} | {h.window.note}{own} |")
    holidays = "\n".join(rows)
    silent = "\n".join(
        f"{st.order}. " + (f"说:“{st.text}”" if st.action == "say" else st.text)
        + (f"(说完等 {st.wait_seconds:g} 秒)" if st.wait_seconds else "")
        for st in silent_call_steps())
    return f"""
## 二、开头语的原话
**平时**:{sc.time_of_day.rule}(来源:{src(sc.time_of_day.source)})

{openings}

**节日**:{sc.holiday_rule.rule}节日开头语**优先于**“早上好”:节日那几天哪怕是上午,也只说节日问候,不再加“早上好”。
(来源:{src(sc.holiday_rule.source)})

{holidays}

表中“使用的日子”是节日前后连续的几天;手册只说以每次的节日通知为准,这里的天数是本套件规定的默认值。

**无声电话**:每句话说完稍等几秒,客户仍没有声音再说下一句(来源:{src(next(p for p in sc.procedures if p.id == "silent-call").source)}):

{silent}
"""


def ch03(ch):
    from kefu.drills import sources

    rules = load("service_rules.yml")
    pb = load("phrasebook.yml")
    sloppy = [e for e in pb.entries if e.category == "不规范"]
    lesson = [
        md("ch03:answer", f"""
## 一、接起电话的前三秒
电话铃一响,客户就在计时。铃声不超过三声就要接起,第一句话先问好、报出单位和自己,再问客户需要什么。
上午、节假日的开头语各有讲究(下一节列出原话)。
接起之后,按第 2 章学过的接听流程往下走:{group_names("phone-answer-flow", " → ")}。
(来源:{src(load("communication.yml").group("phone-answer-flow").source)})

{rules_table(rules.rules, ["answer-within-three-rings", "mandarin-and-courtesy", "no-eating-or-noise", "verify-identity-first"])}
"""),
        md("ch03:lines", _opening_lines()),
        md("ch03:special", f"""
## 三、特殊来电:别急着挂
接通后没有声音、声音太小、杂音太大、客户讲方言……这些情况都不能直接挂断,
而是按规范一步步提醒客户,说完稍等几秒;确实无法沟通,再礼貌地说明后结束通话。

{_procedures_md(["cant-hear", "speakerphone", "noisy-line", "dialect"])}

{rules_table(rules.rules, ["do-not-hang-up-early", "polite-close"])}
"""),
        md("ch03:everyday", f"""
## 四、通话中的常用语
开头语之后,通话里还有几句天天要用的话:

{_lines_md()}

{rules_table(rules.rules, ["greet-within-30-seconds"])}
"""),
        md("ch03:sloppy", f"""
## 五、不规范的说法
电话里最常见的失误是随口的一句“喂”或者不耐烦的催促。下面这些说法要换掉:

{_phrase_table(sloppy, 8)}
"""),
    ]
    drills = []
    drills += drill(ch, "scenario", "这个时间、这种情况,该怎么说?",
                    'ScenarioChoice(["holiday-morning", "ordinary-opening", "silent-call", "cant-hear", "dialect"])')
    drills += drill(ch, "silent", "无声电话的处理顺序", "silent_call_order()")
    drills += drill(ch, "flow", "接听电话的流程", "phone_answer_flow_order(seed=3)")
    drills += [
        *drill(ch, "rules", "电话礼仪里的数字", 'rule_quiz(["answer-within-three-rings", "do-not-hang-up-early", "repeat-key-info-twice"])'),
        *drill(ch, "checker", "写一句开头语,让系统检查", 'LiveChecker("喂,说话呀!")'),
        *drill(ch, "flashcards", "不规范用语闪卡", 'Flashcards(category="不规范")'),
    ]
    recap = [
        "三声铃响内接听;上午(12 点前)先说“早上好”,节日期间改用节日开头语,而且节日问候优先于“早上好”。",
        "无声、听不清、方言来电按规范提醒,说完稍等,不直接挂机。",
        "不说“喂”和催促的话;结束前确认客户没有其他问题,再礼貌道别。",
    ]
    return lesson, drills, recap


def ch04(ch):
    pb = load("phrasebook.yml")
    cats = "\n".join(f"| {name} | {meaning} |" for name, meaning in pb.categories.items())
    errors = [e for e in pb.entries if e.severity == "error"]
    negative = [e for e in pb.entries if e.category == "负面语言"]
    lesson = [
        md("ch04:why", f"""
## 一、一句话,两种结果
同一件事,换一种说法,客户的感受就完全不同。“不知道”让客户觉得被打发,“我帮您查一下”让客户觉得被重视。
禁用语大致分为这几类:

| 类别 | 指什么 |
|---|---|
{cats}
"""),
        md("ch04:table", f"""
## 二、常见禁用语和推荐说法
{_phrase_table(errors, 12)}

改写时抓住三点:**没有禁用语**、**保留原来的意思**(要查就说查、要等就说请稍等)、**语气礼貌**(多用“您”“请”“抱歉”)。
"""),
        md("ch04:sentences", f"""
## 补充:整句改写示范
下面是整句的不当说法和改写后的说法(练习和作业里的改写题就是这样的句子):

{_rewrite_items_md()}

{_phrase_table([e for e in pb.entries if e.id in ("bie-luo-suo", "nin-ting-cuo-le")], 4)}
"""),
        md("ch04:positive", f"""
## 三、把“不能”换成“能做什么”
客户最怕听到的是没有下文的拒绝。遇到做不到的事,先用“因为……”说明原因,
再告诉客户“我能为您做的是……”,给出一个可以走的路。下面这些负面说法要特别留意:

{_phrase_table(negative, 6)}
"""),
    ]
    drills = [
        *drill(ch, "flashcards", "禁用语 → 推荐用语(闪卡)", "Flashcards()"),
        *drill(ch, "checker", "话术实时检查:试着写一句回复", 'LiveChecker("这个不归我们管,你自己去问快递吧。")'),
        *drill(ch, "negative", "负面语言改写", 'Flashcards(category="负面语言", seed=4)'),
        *drill(ch, "quick-phrase", "写一条不踩雷的快捷短语", 'QuickPhraseBuilder("after-sales")'),
    ]
    recap = [
        "禁用语会让客户觉得被怠慢、被推诿或被指责;按类别记住它们。",
        "改写三要点:去掉禁用语、保留原意、语气礼貌。",
        "说不能之前先说“因为”,再说“我能为您做的是……”。",
    ]
    return lesson, drills, recap


def ch05(ch):
    from kefu.drills import sources

    rules = load("service_rules.yml")
    pb = load("phrasebook.yml")
    blame = [e for e in pb.entries if e.category in ("推诿", "斗气", "教训")]
    comp = load("complaints.yml")
    leap = "\n".join(f"| {st.letter} | {st.name}({st.english}) | {st.description} | {st.example} |"
                     for st in sorted(comp.leap.steps, key=lambda x: x.order))
    flow = "\n".join(f"{st.order}. **{st.name}**:{st.description}"
                     for st in sorted(comp.complaint_flow.steps, key=lambda x: x.order))
    lesson = [
        md("ch05:leap", f"""
## 一、先处理心情,再处理事情
客户带着火气来,先别急着讲道理,也别急着给方案。按 LEAP 四步走,每一步都让客户的情绪降一点:

| 字母 | 步骤 | 做什么 | 可以这样说 |
|---|---|---|---|
{leap}

(来源:{src(comp.leap.source)})
"""),
        md("ch05:flow", f"""
## 二、投诉处理的四步流程
一张投诉从进来到结束,要走完这四步,每一步都要留下记录:

{flow}

(来源:{src(comp.complaint_flow.source)})承诺的回复时间必须兑现:

{rules_table(rules.rules, ["callback-within-10-minutes", "never-an-hour-without-news", "never-argue", "no-unkeepable-promises"])}

需要别的部门接手时,记住这几条:

{_complaint_rules_md(["complaint-handover-with-context", "complaint-never-an-hour-silent"])}
"""),
        md("ch05:words", f"""
## 三、投诉中最容易说错的话
情绪激动时,最容易脱口而出的是推卸和争辩:

{_phrase_table(blame, 8)}

## 四、照顾好自己
投诉多的日子更要学会减压,给情绪和嗓子留出恢复的时间。客户的火气是冲着事情来的,
接住它是工作,但不必把它带回家。管理情绪可以从这几件事做起:

{group_table("emotion-management")}

压力从哪里来,就从哪里化解:

{group_table("pressure-sources", examples=False)}

{rules_table(rules.rules, ["pomodoro-breaks", "posture-and-voice-care"])}
"""),
    ]
    drills = [
        *drill(ch, "leap", "LEAP 的顺序", "leap_order()"),
        *drill(ch, "flow", "投诉处理流程的顺序", "complaint_flow_order()"),
        *drill(ch, "checker", "安抚客户:写一句同理加道歉的话", 'LiveChecker("这又不是我们的错,你冲我发火也没用。")'),
        *drill(ch, "flashcards", "推诿和争辩的说法(闪卡)", 'Flashcards(category="推诿", seed=5)'),
        *drill(ch, "rules", "投诉跟进的时限", 'rule_quiz(["callback-within-10-minutes", "never-an-hour-without-news", "pomodoro-breaks"])'),
        *drill(ch, "emotion", "管理自己的情绪:这是哪一种方法?", 'group_quiz("emotion-management", seed=5)'),
    ]
    drills += drill(ch, "scenario", "情景选择", 'ScenarioChoice(["cant-hear", "dialect"], seed=5)')
    recap = [
        "LEAP:倾听、同理、道歉、解决,先处理情绪再处理问题。",
        "投诉四步:接收记录、分类分级、处理解决、回访跟进;承诺的时间要兑现。",
        f"不推诿、不争辩;照顾好自己的情绪和身体:{group_names('emotion-management')}。",
    ]
    return lesson, drills, recap


def ch06(ch):
    from kefu.drills import sources

    rules = load("service_rules.yml")
    lesson = [
        md("ch06:types", f"""
## 一、先分类,再排队
每个来电或留言都要变成一张工单。分类决定交给谁处理,优先级决定先处理谁。
{sources.ticket_guide_markdown()}
"""),
        md("ch06:ties", f"""
### 难分的情况怎么判
手册只给了类型和优先级,下面这些判定办法是本套件为了统一标注定下的:

{_tie_rules_md()}
"""),
        md("ch06:write", f"""
## 二、把工单写清楚
一张好工单让接手的同事不用再问客户一遍:写清客户的问题(摘要)、你已经做了什么、下一步谁来做、
承诺客户什么时候回复。

{rules_table(rules.rules, ["take-notes", "restate-to-confirm", "callback-within-10-minutes", "no-unauthorised-changes", "privacy-and-security"])}
"""),
        workplace_section("ch06:system", "三、话务系统操作", "系统操作",
                          "工单写在话务系统里。上岗第一天就要会的操作:"),
        workplace_section("ch06:products", "四、产品与常见问题", "产品与常见问题",
                          "客户问得最多的是产品。先认识四条产品线,再记住几个常见问题的标准答法:"),
    ]
    drills = []
    drills += drill(ch, "triage", "工单分类与优先级", "TicketTriage()")
    drills += drill(ch, "triage-2", "再来一组(换一批工单)", "TicketTriage(seed=6)")
    drills += [
        *drill(ch, "status", "工单状态的先后", "ticket_status_order()"),
        *drill(ch, "rules", "处理时限", 'rule_quiz(["callback-within-10-minutes", "never-an-hour-without-news", "first-response-five-seconds"])'),
        *drill(ch, "checker", "写一句告诉客户处理进度的话", 'LiveChecker("已经给您登记了,等着吧。")'),
        *drill(ch, "system", "话务系统怎么操作?", 'workplace_quiz("系统操作", seed=6)'),
        *drill(ch, "products", "产品与常见问题", 'workplace_quiz("产品与常见问题", seed=6)'),
    ]
    recap = [
        "先判断类型(咨询、投诉、故障、建议),再定优先级(紧急、高、中、低)。",
        "工单写清摘要、已做的处理、下一步和承诺的回复时间。",
        "当场解决不了的,10 分钟内回电,任何时候都不让客户一小时没消息。",
    ]
    return lesson, drills, recap


CHAPTERS = {"ch03": ch03, "ch04": ch04, "ch05": ch05, "ch06": ch06}
