"""Chapter 5 · 投诉处理与情绪管理: order LEAP and the complaint flow (from seeds/complaints.yml);
rewrite lines that inflame a complaint; classify complaint tickets."""
from __future__ import annotations

from ..procedures import steps
from . import kinds
from .common import ChapterBuilder

REWRITE = ["ri-not-my-job", "ri-blame", "ri-calm-down", "ri-told-you"]


def build(b: ChapterBuilder) -> str:
    kinds.order_steps(b, [(s.id, s.text) for s in steps("leap")], heading="LEAP 安抚模型",
                      what="用 LEAP 模型安抚不满客户", procedure="leap")
    kinds.order_steps(b, [(s.id, s.text) for s in steps("complaint-flow")], heading="投诉处理四步",
                      what="处理一件投诉", procedure="complaint-flow")
    kinds.rewrites(b, kinds.rewrite_items(REWRITE), heading="别让投诉升级",
                   intro="下面这些话会让正在投诉的客户更生气。请把每一句改写成得体的说法,写在对应的引号里。")
    kinds.tickets(b, 4, heading="投诉工单分级", part=(0, 2))
    return "本练习共四题:LEAP 排序;投诉处理四步排序;改写会激化矛盾的话;给工单定类型和优先级。"
