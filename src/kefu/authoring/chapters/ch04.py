"""Chapter 4 · 禁用语与正面表达: may an agent say this (judged by the phrase engine); rewrite
forbidden and negative lines (graded with ``kefu.phrases.grade_rewrite``)."""
from __future__ import annotations

from . import kinds
from .common import ChapterBuilder

# sentences written for this exercise; whether each passes is decided by kefu.phrases.check
SENTENCES = [
    "不好意思,让您久等了,我马上为您查询。",
    "这个我也不知道,您问问别人吧。",
    "请您不要挂机,我帮您转接专业的同事。",
    "您听错了,我没这么说过。",
    "升级以后不会影响您的正常使用,请您放心。",
    "我不能给您办,规定就是这样。",
]
REWRITE = ["ri-dont-know", "ri-impossible", "ri-heard-wrong", "ri-wait", "ri-cannot", "ri-but"]


def build(b: ChapterBuilder) -> str:
    kinds.judge_phrases(b, SENTENCES, heading="这样说可以吗")
    kinds.rewrites(b, kinds.rewrite_items(REWRITE), heading="把禁用语改写成推荐说法")
    return ("本练习共两题:判断客服的说法是否得体;把禁用语和负面语言改写成推荐说法。"
            "改写题按三点评分:不再出现禁用语、保留原来要表达的意思、带有礼貌用语(您、请、抱歉……)。")
