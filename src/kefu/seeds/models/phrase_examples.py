"""seeds/phrase_examples.yml — evidence for the phrase engine.

Every forbidden (×, 禁用语, 不可以说) and recommended (√, 推荐用语) example of the manuals, with
its source, plus the kit's own polite and rude sentences and traditional / spaced variants.
Groups carry ids (for the curriculum); single examples do not.
"""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..base import Fact, SeedFile

FILE = "phrase_examples.yml"


class Example(Fact):
    text: str = Field(min_length=1)
    expect: Literal["flag", "pass", "quoted"]
    rules: list[str] = Field(default_factory=list)  # for "flag"/"quoted": one of these must be reported
    marker: str = ""  # how the manual marks it: ×, √, 不可以说, 禁用语, 推荐用语 ...
    variant: Literal["", "traditional", "spaced", "fullwidth", "punctuation", "mixed"] = ""
    note: str = ""


class Group(Fact):
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str
    origin: Literal["manual", "own"]
    examples: list[Example] = Field(min_length=1)


class Model(SeedFile):
    groups: list[Group] = Field(min_length=1)
