"""seeds/phrase_rewrites.yml — acceptable and unacceptable rewrites per rewrite item.

``kefu.phrases.grade_rewrite`` grades by meaning: a reply close to the ``good`` rewrites and far
from the ``bad`` ones scores high. Each bad rewrite says why it fails (``kind``); rude ones name
the phrasebook category they break and also train the learned judge. ``item`` is a phrasebook
entry id or rewrite item id (checked by ``kefu.phrases.grade`` against seeds/phrasebook.yml: a
schema sees one file only). Items are examples of an existing exercise, so they carry no ``id``.
"""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field, model_validator

from ..base import Fact, SeedFile, Strict

FILE = "phrase_rewrites.yml"

Kind = Literal["rude", "opposite", "empty", "passing", "refusal"]


class Bad(Strict):
    text: str = Field(min_length=1)
    kind: Kind
    category: Optional[str] = None  # phrasebook category, for kind "rude"

    @model_validator(mode="after")
    def _rude_has_category(self) -> "Bad":
        if self.kind == "rude" and not self.category:
            raise ValueError("kind 为 rude 的改写要写明 category(话术库中的类别)")
        return self


class Item(Fact):
    item: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    good: list[str] = Field(min_length=3)
    bad: list[Bad] = Field(min_length=3)

    @model_validator(mode="after")
    def _distinct(self) -> "Item":
        texts = list(self.good) + [b.text for b in self.bad]
        dup = {t for t in texts if texts.count(t) > 1}
        if dup:
            raise ValueError(f"改写重复:{'、'.join(sorted(dup))}")
        return self


class Model(SeedFile):
    items: list[Item] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_items(self) -> "Model":
        seen: set[str] = set()
        dup = [i.item for i in self.items if i.item in seen or seen.add(i.item)]
        if dup:
            raise ValueError(f"改写题重复:{', '.join(dup)}")
        return self
