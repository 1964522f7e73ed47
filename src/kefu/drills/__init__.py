"""Interactive drills (ipywidgets 8) for the practice notebooks.

A notebook's first cell is ``from kefu.drills import *``: that sets up Chinese charts and brings
in every drill. Each drill is a class; display it (last line of a cell) to show it, set its
widgets' values and call ``check()`` to drive it from Python.

    Flashcards()            禁用语 → 推荐用语 闪卡
    LiveChecker()           话术实时检查(高亮违规词并给出建议)
    ScenarioChoice()        情景选择:无声电话、听不清、方言、节日早上……
    OrderingDrill(steps)    排序:LEAP、投诉处理流程、无声电话步骤(见 leap_order() 等)
    TicketTriage()          工单分类与优先级(练习集)
    QAScorecard()           质检评分表(练习录音见 seeds/qa_rubric.yml 的 samples)
    KPIExplorer()           绩效加权得分与等级
    ErlangCalculator()      排班人数与服务水平
    QuickPhraseBuilder()    网店快捷短语编写
    TypingSpeed()           打字速度
    ChoiceQuiz(questions)   通用选择题(group_quiz("agent-qualities") 等从 communication.yml 生成)
"""
from __future__ import annotations

from .base import Drill
from .catalog import (
    complaint_flow_order,
    funnel_order,
    group_order,
    group_quiz,
    leap_order,
    listening_order,
    phone_answer_flow_order,
    question_types_quiz,
    role_quiz,
    rule_quiz,
    silent_call_order,
    ticket_status_order,
    workplace_quiz,
)
from .checker import LiveChecker
from .choice import ChoiceQuiz, Question
from .flashcards import Flashcards
from .kpi import KPIExplorer
from .ordering import OrderingDrill, Step
from .qa import QAScorecard
from .quickphrase import QuickPhraseBuilder
from .scenario import ScenarioChoice
from .staffing import ErlangCalculator
from .triage import TicketTriage
from .typing import TypingSpeed

__all__ = [
    "ChoiceQuiz",
    "Drill",
    "ErlangCalculator",
    "Flashcards",
    "KPIExplorer",
    "LiveChecker",
    "OrderingDrill",
    "QAScorecard",
    "Question",
    "QuickPhraseBuilder",
    "ScenarioChoice",
    "Step",
    "TicketTriage",
    "TypingSpeed",
    "complaint_flow_order",
    "funnel_order",
    "group_order",
    "group_quiz",
    "leap_order",
    "listening_order",
    "phone_answer_flow_order",
    "question_types_quiz",
    "role_quiz",
    "rule_quiz",
    "silent_call_order",
    "ticket_status_order",
    "workplace_quiz",
]


def _setup() -> None:
    from kefu import charts

    charts.setup()


_setup()

# `from kefu.drills import *` is the set-up cell of every practice notebook: accept Chinese quotes and
# full-width punctuation in the cells that follow, and explain common mistakes in Chinese.
from ..inputfix import install as _install_inputfix  # noqa: E402

_install_inputfix()
