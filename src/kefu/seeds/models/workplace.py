"""seeds/workplace.yml — the workplace a new agent joins: the company and its teams, the product
lines and their frequent questions, operating the call-centre system, policies and benefits, and
the service-quality and service/sales ideas of the manuals that the exams ask about.

Each entry is one teachable topic: a short ``title`` and a few ``points`` written in the kit's own
words (facts from the cited manual). Chapter notebooks show them (kefu.authoring.practice).
"""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..base import Fact, SeedFile

FILE = "workplace.yml"

Area = Literal["公司与团队", "产品与常见问题", "系统操作", "制度与福利", "服务质量", "服务与销售模式"]


class Topic(Fact):
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    area: Area
    title: str = Field(min_length=2)
    points: list[str] = Field(min_length=1)


class Model(SeedFile):
    topics: list[Topic] = Field(min_length=1)

    def area(self, name: str) -> list[Topic]:
        return [t for t in self.topics if t.area == name]

    def topic(self, ident: str) -> Topic:
        for t in self.topics:
            if t.id == ident:
                return t
        raise KeyError(ident)
