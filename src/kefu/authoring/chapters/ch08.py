"""Chapter 8 · 网络与电商客服: choose the correct option; rewrite online replies."""
from __future__ import annotations

from . import kinds
from .common import ChapterBuilder

REWRITE = ["ri-chat-oh", "ai-mai-bu-mai", "mai-bu-qi", "ni-mei-kan-shuo-ming", "zi-ji-cha"]


def build(b: ChapterBuilder) -> str:
    kinds.choices(b, b.content["choices"], heading="网店客服岗位与在线沟通")
    kinds.rewrites(b, kinds.rewrite_items(REWRITE), heading="改写在线回复",
                   intro="顾客在店铺里咨询,客服回了下面这些话。请把每一句改写成得体的在线回复,写在对应的引号里。")
    return "本练习共两题:网店客服岗位与在线沟通选择题;把不得体的在线回复改写成推荐说法。"
