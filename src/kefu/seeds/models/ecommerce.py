"""seeds/ecommerce.yml — online-shop customer service: roles, duties, pay and bonus rules, conduct."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..base import Fact, SeedFile, Strict

FILE = "ecommerce.yml"


class Shift(Strict):
    name: str
    start: str = Field(pattern=r"^\d{2}:\d{2}$")
    end: str = Field(pattern=r"^\d{2}:\d{2}$")


class Role(Fact):
    id: str
    name: str
    purpose: str
    requirements: list[str]
    duties: list[str]
    pay: str  # pay structure in the kit's words
    shifts: list[Shift] = Field(default_factory=list)


class Penalty(Strict):
    kind: Literal["warning", "deduct_points", "criticism", "fine_yuan", "dismissal"]
    amount: float | None = None


class ConductRule(Fact):
    id: str
    rule: str
    penalties: list[Penalty]  # first, second, third offence ...


class Bonus(Fact):
    id: str
    achievement: str
    amount_yuan: float = Field(ge=0)
    per: Literal["once", "each", "month"]
    capped: bool = False
    condition: str = ""


class ChatEtiquette(Fact):
    id: str
    title: str
    rule: str


class Category(Fact):
    id: str
    by: str  # the dimension the classification uses
    kinds: list[str]


class Model(SeedFile):
    roles: list[Role]
    days_off_per_month: int
    conduct: list[ConductRule]
    bonuses: list[Bonus]
    chat_etiquette: list[ChatEtiquette]
    categories: list[Category]
