"""Lessons of chapters 1, 2, 7 and 8 (service mindset, listening, QA/KPI, e-commerce).

Prose is the kit's own; every list, line and figure is read from seeds/ when the notebook is built.
Each function returns (lesson cells, drill cells, recap points).
"""
from __future__ import annotations

from kefu.authoring import cells
from kefu.seeds import load

from .common import drill, group_names, group_table, md, rules_table, src, workplace_section


def ch01(ch):
    from kefu.drills import sources

    shop = load("ecommerce.yml")
    rules = load("service_rules.yml")
    kinds = "\n".join(f"| {c.by} | {'、'.join(c.kinds)} | {src(c.source)} |" for c in shop.categories)
    roles = "\n".join(f"- **{r.name}**:{r.purpose}(来源 {src(r.source)})" for r in shop.roles)
    lesson = [
        md("ch01:what", f"""
## 一、客服是做什么的
客户打来电话或发来消息,背后总有一件事想办成:问清楚一个问题、修好一样东西、退掉一件商品。
客服的工作,就是用自己的劳动帮客户把这件事办成;客户满意了,公司留住了客户,你也体现了自己的价值。
所以客服不是“接电话的人”,而是**客户接触公司的第一张脸**:你说话的方式,就是客户心里公司的样子。
(来源:`002_286a37c297bc903c.txt`、`000_74103ddef0f011ad.txt`)

一次好的接待,对公司的价值不止“把问题解决了”这么简单:

{group_table("service-value")}
"""),
        md("ch01:kinds", f"""
## 二、客服岗位有哪些
同样叫“客服”,工作方式可能差别很大。按不同的角度可以这样分:

| 分类角度 | 类别 | 来源 |
|---|---|---|
{kinds}

在网店里,客服通常分成这几个岗位:

{roles}
"""),
        md("ch01:qualities", f"""
## 三、优秀客服是什么样的人
没有人天生就是优秀客服。下面四类素质,可以拿来对照自己:哪一类已经不错,哪一类还要练。

{group_table("agent-qualities")}

素质要靠每天的习惯养成。这几个习惯,从第一通电话就可以开始做:

{group_table("good-habits")}
"""),
        md("ch01:conduct", f"""
## 四、优秀客服的底线
态度比技巧更先被客户感受到。下面几条是每位客服都要守住的底线(来自本套件的服务规范):

{rules_table(rules.rules, ["never-argue", "no-pretending-to-know", "admit-mistakes", "no-unkeepable-promises", "humble-thanks", "no-idle-chat", "answer-within-three-rings"])}

心态上记住一句话:客户发火,针对的是问题,不是你。先把情绪接住,再把问题解决。
"""),
        workplace_section("ch01:company", "五、你加入的公司", "公司与团队",
                          "先认识公司和客服中心:你在哪个团队、向谁汇报。"),
        workplace_section("ch01:policies", "六、制度、福利与考核", "制度与福利", _exam_figures()),
        md("ch01:programme", _programme()),
        md("ch01:health", f"""
## 八、守住信息安全,照顾好自己
{rules_table(rules.rules, ["privacy-and-security", "posture-and-voice-care"])}
"""),
    ]
    drills = [
        *drill(ch, "roles", "这是哪个岗位的职责?", "role_quiz()"),
        *drill(ch, "qualities", "这说的是哪一类素质?", 'group_quiz("agent-qualities")'),
        *drill(ch, "habits", "认出服务客户的好习惯", 'group_quiz("good-habits", seed=1)'),
        *drill(ch, "rules", "记住服务规范里的数字", 'rule_quiz(["answer-within-three-rings", "greet-within-30-seconds", "callback-within-10-minutes", "never-an-hour-without-news"])'),
        *drill(ch, "flashcards", "认识禁用语(闪卡)", "Flashcards(limit=8)"),
    ]
    drills += drill(ch, "scenario", "电话接起来,第一句说什么?", 'ScenarioChoice(["ordinary-opening", "silent-call"])')
    drills += drill(ch, "company", "认识公司和团队", 'workplace_quiz("公司与团队")')
    drills += drill(ch, "policies", "制度、福利与考核", 'workplace_quiz("制度与福利", seed=1)')
    recap = [
        "客服用自己的劳动帮客户把事情办成,也代表着公司的形象。",
        "客服按渠道、流程阶段等可以分成不同岗位;网店常见售前、售后和客服主管。",
        f"优秀客服的素质:{group_names('agent-qualities')};素质靠{group_names('good-habits')}这些日常习惯养成。",
        "守住底线:不争吵、不装懂、出错就道歉、不乱承诺、铃响三声内接听。",
        "认识公司、客服中心的四个团队、制度福利和考核规则;培训先集中 3 天,再跟踪辅导 2 周。",
    ]
    return lesson, drills, recap


def _programme() -> str:
    """The training schedule, the three guided calls, the practice phases and the shifts (programme.yml)."""
    pg = load("programme.yml")
    sessions = "\n".join(f"| 第 {x.day} 天 | {x.start} 到 {x.end} | {x.topic} |" for x in pg.sessions)
    guided = "\n".join(f"{st.order}. {st.who}" for st in pg.guided_calls.steps)
    phases = "\n".join(f"| 第 {p.first_day}–{p.last_day} 天 | {p.title} | {p.mode} | {p.focus} |" for p in pg.phases)
    shifts = "、".join(f"{x.name} {x.start}–{x.end}" for x in pg.shifts)
    return f"""
## 七、培训怎么安排
先集中培训 {pg.classroom_days} 天,再跟踪辅导 {pg.practice_weeks} 周(来源:{src(pg.format.source)})。

| 日期 | 时间 | 内容 |
|---|---|---|
{sessions}

上线接听前的**三通指导**(三通电话,一步步放手):

{guided}

两周辅导分三个阶段:

| 时间 | 阶段 | 方式 | 重点 |
|---|---|---|---|
{phases}

正式上岗后三班轮换:{shifts}。
"""


def _exam_figures() -> str:
    """The exam figures, read from seeds/exam.yml (typed once there)."""
    exam = load("exam.yml")
    th = exam.theory
    parts = "、".join(f"{x.title} {x.count} 题" for x in th.sections)
    return (f"培训结束时有理论考核:{parts},满分 {th.total_points:g} 分,{th.pass_score:g} 分及格,"
            f"考试时间 {th.minutes} 分钟(来源:{src(th.source)})。下面是其他制度:")


def ch02(ch):
    from kefu.drills import sources

    rules = load("service_rules.yml")
    lesson = [
        md("ch02:listen", f"""
## 一、先听懂,再开口
很多投诉不是因为问题没解决,而是因为客户觉得“没人在听我说话”。
倾听不是安静地等对方说完,而是有顺序的四个动作:

{group_table("listening-steps")}

对应的服务规范:

{rules_table(rules.rules, ["take-notes", "restate-to-confirm", "repeat-key-info-twice", "first-response-five-seconds"])}
"""),
        md("ch02:ask", f"""
## 二、会提问,少绕路
问得准,通话就短。不同的问题有不同的用处:

{group_table("question-types")}

一般先开放、后封闭:先了解大致情况,再确认具体细节。提问时语气要友善,不要让客户觉得在被审问。
客户只说“用不了”“很卡”的时候,可以像漏斗一样从宽到窄地问:

{group_table("funnel-questioning")}

{rules_table(rules.rules, ["lead-the-conversation", "plain-enquiry-three-minutes"])}
"""),
        md("ch02:flow", f"""
## 三、一通电话的骨架
不管客户问什么,接听都按同样的顺序走,这样信息不会漏:

{group_table("phone-answer-flow")}

电话里客户看不见你,听得清、听得懂、听得舒服全靠表达:

{group_table("expression")}

要介绍一款产品或解释一个方案时,可以借助现成的结构,让话更有条理:

{group_table("conversation-models")}
"""),
    ]
    drills = [
        *drill(ch, "order", "倾听的先后顺序", "listening_order()"),
        *drill(ch, "questions", "这是哪种提问?", "question_types_quiz()"),
        *drill(ch, "funnel", "漏斗式提问:从宽到窄", "funnel_order()"),
        *drill(ch, "rules", "倾听与确认的关键数字", 'rule_quiz(["repeat-key-info-twice", "first-response-five-seconds", "lead-the-conversation", "plain-enquiry-three-minutes"])'),
        *drill(ch, "checker", "复述确认:写一句复述客户问题的话,看看有没有不当说法", 'LiveChecker("您是说上周五买的耳机左边没有声音,对吗?")'),
        *drill(ch, "flashcards", "不耐烦的说法会打断倾听(闪卡)", 'Flashcards(category="烦躁", seed=2)'),
    ]
    drills += drill(ch, "scenario", "听不清、听不懂时怎么说?", 'ScenarioChoice(["cant-hear", "dialect"])')
    recap = [
        f"倾听四步:{group_names('listening-steps', ' → ')};最后把需求复述给客户确认。",
        "金额、时间、单号等关键信息至少说两遍;复杂问题 5 秒内先给客户回应。",
        "提问先开放后封闭;问题说不清时用漏斗式提问从宽到窄;由客服把握通话方向。",
        f"接听的骨架:{group_names('phone-answer-flow', ' → ')}。",
    ]
    return lesson, drills, recap


def _qa_practice_note(sources) -> str:
    calls = "、".join(f"“{sources.qa_sample(i).title}”" for i in sources.qa_sample_ids())
    return (f"\n下面的练习准备了 {len(sources.qa_sample_ids())} 通录音:{calls}。它们是本套件为练习编写的通话,"
            "参考评分由质检员的逐条扣分算出;点“下一通”换一通录音。")


def _practical_md() -> str:
    """The practical exam's rubric (seeds/practical_rubric.yml)."""
    pr = load("practical_rubric.yml")
    rows = "\n".join(f"| {d.name} | {d.weight:g}% | {d.measures} | {src(d.source)} |" for d in pr.dimensions)
    return f"""
## 实操考核怎么评分
培训结束后的实操考核是模拟通话,按五个维度打分:

| 维度 | 权重 | 考查什么 | 来源 |
|---|---|---|---|
{rows}

{pr.scale} {pr.pass_rule.rule}(来源:{src(pr.pass_rule.source)})
"""


def ch07(ch):
    from kefu.drills import sources

    kpi = load("kpi.yml")
    dims = "\n".join(f"| {d.name} | {d.weight:g}% | {d.measure} | {d.cycle} | {src(d.source)} |" for d in kpi.dimensions)
    grades = "、".join(f"{g.label}({g.name})≥ {g.min_score:g}" for g in kpi.grades)
    goal, shrink, secs = sources.staffing_defaults()
    lesson = []
    lesson.append(md("ch07:qa", f"""
## 一、质检:一通电话怎么打分
质检员按评分表逐项听录音,哪一项没做到就扣相应的分,最后得到百分制的质检分。评分表的项目:

{sources.qa_rubric_markdown()}

打分时先通读整通录音,再逐项对照扣分细则:每发现一个问题,记下它在第几句、属于哪一项、按哪条细则扣几分。
同一条“每通只扣一次”的细则不重复扣;“每次都扣”的细则按出现次数累加,但一项最多扣到 0 分。
{_qa_practice_note(sources)}
"""))
    lesson += [
        md("ch07:kpi", f"""
## 二、绩效:五个维度,按权重加权
每个月的绩效不是只看一个数字,而是五个维度各自打 0–100 分,再按权重加起来:

| 维度 | 权重 | 怎么衡量 | 统计周期 | 来源 |
|---|---|---|---|---|
{dims}

**加权得分 = Σ(维度得分 × 权重)**。等级线:{grades}(等级线是本套件的约定,可在 `seeds/kpi.yml` 修改)。
权重最大的是通话质量和客户满意度——把每一通电话做好,比什么都重要。
{kpi.review.description}(来源:{src(kpi.review.source)})
"""),
        md("ch07:practical", _practical_md()),
        md("ch07:pandas", """
## 四、用 pandas 从通话记录算指标(班组长选学;本章作业第 2 题要用)
作业第 2 题给出一个通话记录表格文件,要算出整个班组的几个指标。这要用到一点 Python 的表格工具 **pandas**,
下面四种写法就是全部要用的(其余各题都不需要编程):

| 想做什么 | 写法 |
|---|---|
| 读入表格 | `calls = pd.read_csv("calls.csv")` |
| 数一共有几行(几通来电) | `len(calls)` |
| 只留下满足条件的行 | `answered = calls[calls["abandoned"] == 0]`(已接通的来电) |
| 求一列的平均值 / 总和 | `answered["queue_seconds"].mean()`、`calls["abandoned"].sum()` |
| 几列相加再求平均 | `(answered["talk_seconds"] + answered["hold_seconds"]).mean()` |

“比率”就是“满足条件的个数 ÷ 总个数”,例如一列只有 0 和 1 时,它的平均值就是 1 所占的比例。
运行下面这一格,看看这些写法在一份练习用的通话记录上算出什么(作业用的是另一份数据):
"""),
        cells.code(
            "# 示例代码:运行即可,不用修改\n"
            "import pandas as pd\n"
            "from kefu.data import generate_calls\n\n"
            "calls = generate_calls(agents=3, days=1, seed=11)  # 练习用的一份通话记录\n"
            "answered = calls[calls[\"abandoned\"] == 0]          # 已接通的来电\n"
            "print(\"来电总数:\", len(calls))\n"
            "print(\"已接通:\", len(answered))\n"
            "print(\"已接通来电的平均排队秒数:\", round(answered[\"queue_seconds\"].mean(), 1))\n"
            "print(\"一次解决率:\", round(answered[\"first_contact_resolved\"].mean(), 3))\n"
            "calls.head()",
            key="ch07:pandas-demo"),
        md("ch07:erlang", f"""
## 三、排班:要几个人在线?(班组长选学)
“服务水平”指在 {secs:g} 秒内被接起的来电所占的比例,默认目标是 {goal:.0%}。
来电量 × 平均处理时长 ÷ 时段长度 = **话务量**(单位:爱尔兰),表示平均同时有几通电话在进行。
在线人数必须多于话务量,再按 Erlang C 公式算出达到目标服务水平的最少人数;
排班时还要加上缺勤、培训、休息的占用(默认 {shrink:.0%})。(来源:`003_a3f4989949c1cde6.txt`,默认值为本套件约定)
"""),
    ]
    drills = []
    drills += drill(ch, "qa", "给一通录音打质检分", "QAScorecard()")
    drills += [
        *drill(ch, "kpi", "拖动滑块,看加权得分和等级怎么变", "KPIExplorer()"),
        *drill(ch, "kpi-quiz", "自己算一算加权得分", "KPIExplorer(quiz=True, seed=7)"),
        *drill(ch, "erlang", "估算排班人数", "ErlangCalculator()"),
    ]
    recap = [
        "质检按评分表逐项扣分;关键项(如身份核实)失分影响很大。",
        "绩效 = 五个维度得分按权重加权;通话质量和满意度占比最高。",
        "话务量 = 来电量 × 平均处理时长 ÷ 时段长度;在线人数要多于话务量,人数少一点,等待就会急剧变长。",
    ]
    return lesson, drills, recap


_PENALTY = {"warning": "警告", "deduct_points": "扣绩效分", "criticism": "通报批评", "fine_yuan": "罚款",
            "dismissal": "解除劳动合同"}


def _conduct_md() -> str:
    """The e-shop service department's conduct rules and bonuses (seeds/ecommerce.yml)."""
    shop = load("ecommerce.yml")

    def pen(p) -> str:
        return _PENALTY[p.kind] + (f" {p.amount:g} {'元' if p.kind == 'fine_yuan' else '分'}" if p.amount else "")

    rules = "\n".join(f"| {r.rule} | {' → '.join(pen(p) for p in r.penalties)} | {src(r.source)} |" for r in shop.conduct)
    per = {"once": "每次", "each": "每位/每条", "month": "每月"}
    bonus = "\n".join(f"| {b.achievement} | {b.amount_yuan:g} 元({per[b.per]}) | {src(b.source)} |" for b in shop.bonuses)
    return f"""
## 网店客服部的规章与奖励
违反规章的处理(多次违反时按箭头逐次加重):

| 规章 | 处理 | 来源 |
|---|---|---|
{rules}

做得好有奖励:

| 表现 | 奖励 | 来源 |
|---|---|---|
{bonus}
"""


def ch08(ch):
    shop = load("ecommerce.yml")
    rules = load("service_rules.yml")
    etiquette = "\n".join(f"| {e.title} | {e.rule} | {src(e.source)} |" for e in shop.chat_etiquette)
    roles = "\n".join(
        f"- **{r.name}**:{r.purpose} 岗位要求包括:{'；'.join(r.requirements)}。(来源 {src(r.source)})"
        for r in shop.roles)
    lesson = [
        md("ch08:roles", f"""
## 一、网店客服的分工
{roles}
"""),
        md("ch08:chat", f"""
## 二、在线沟通的礼仪
文字看不到表情,所以语气全靠措辞。在线回复要注意:

| 要点 | 做法 | 来源 |
|---|---|---|
{etiquette}
"""),
        md("ch08:speed", f"""
## 三、快,而且准
顾客在屏幕那头等着,回复慢就会流失。相关规范:

{rules_table(rules.rules, ["typing-speed", "online-reply-promptly", "platform-red-lines"])}

把常见问题写成合规的**快捷短语**,既快又不会说错话。
"""),
        md("ch08:conduct", _conduct_md()),
        workplace_section("ch08:quality", "四、什么是优质服务", "服务质量",
                          "不论电话还是在线,顾客评价服务好坏的标准是相通的:"),
        workplace_section("ch08:modes", "五、服务与销售的模式", "服务与销售模式"),
    ]
    drills = [
        *drill(ch, "quick-phrase", "编写快捷短语", "QuickPhraseBuilder()"),
        *drill(ch, "typing", "打字速度测试", "TypingSpeed()"),
        *drill(ch, "roles", "售前还是售后?", "role_quiz(seed=8)"),
        *drill(ch, "flashcards", "在线回复里的禁用语(闪卡)", "Flashcards(limit=8, seed=8)"),
        *drill(ch, "quality", "优质服务的要点", 'workplace_quiz("服务质量", seed=8)'),
        *drill(ch, "modes", "服务与销售的模式", 'workplace_quiz("服务与销售模式", seed=8)'),
    ]
    recap = [
        "售前促成下单、售后化解问题、主管带团队完成目标。",
        "在线回复要及时、先自我介绍、语气亲切、信息简明,不用网络用语。",
        f"打字速度每分钟不低于 {rules.get('typing-speed').value:g} 字;常见问题用合规的快捷短语回复。",
    ]
    return lesson, drills, recap


CHAPTERS = {"ch01": ch01, "ch02": ch02, "ch07": ch07, "ch08": ch08}
