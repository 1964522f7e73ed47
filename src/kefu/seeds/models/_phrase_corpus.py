"""Shared schema of the labelled reply corpus seeds/phrase_corpus_*.csv (one module per file
declares ``FILE`` and reuses this ``Model``).

Each row is one reply an agent might send: ``label`` forbidden (with the phrasebook category it
breaks) or polite (no category). The corpus trains and tests the learned judge
(:mod:`kefu.phrases.judge`); which rows are held out is decided by a hash of the normalised text
(:mod:`kefu.phrases.corpus`), never by the file. Category names are checked against
seeds/phrasebook.yml by ``kefu.phrases.corpus.load_corpus`` (a CSV schema sees one file only).
"""
from __future__ import annotations

from typing import Annotated, Literal, Optional

from pydantic import StringConstraints, model_validator

from ..base import Strict, repeated


class Row(Strict):
    label: Literal["forbidden", "polite"]
    category: Optional[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]] = None
    text: Annotated[str, StringConstraints(min_length=1)]

    @model_validator(mode="after")
    def _consistent(self) -> "Row":
        if "\n" in self.text or not self.text.strip():
            raise ValueError("text 应为非空的一行文字")
        if self.label == "forbidden" and not self.category:
            raise ValueError("禁用(forbidden)的回复要写明 category(话术库中的类别)")
        if self.label == "polite" and self.category:
            raise ValueError("可用(polite)的回复不写 category")
        return self


class Model(Strict):
    rows: list[Row]

    @model_validator(mode="after")
    def _unique(self) -> "Model":
        dup = repeated(r.text for r in self.rows)
        if dup:
            raise ValueError(f"回复重复:{'、'.join(dup[:5])}")
        return self
