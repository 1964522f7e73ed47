"""seeds/communication.yml — listening, questioning, voice, service qualities, conversation models and
emotion management, as ordered or unordered groups of named items."""
from __future__ import annotations

from pydantic import Field

from ..base import Fact, SeedFile, Strict, by_id

FILE = "communication.yml"


class Item(Strict):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str
    detail: str
    example: str = ""


class Group(Fact):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    title: str
    purpose: str
    ordered: bool = False  # True when the items are steps to do in this order
    items: list[Item] = Field(min_length=2)


class Model(SeedFile):
    groups: list[Group]

    def group(self, group_id: str) -> Group:
        return by_id(self.groups, group_id)
