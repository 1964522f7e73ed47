"""seeds/tickets.csv — labelled customer tickets (phone and online shop) for triage drills
(split ``drill``) and exams (held-back split ``exam``). Type and priority names are checked
against seeds/complaints.yml, and the rule columns against seeds/ticket_labelling_guide.yml, by
:func:`kefu.tickets.load` (a CSV schema sees one file only)."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StringConstraints, model_validator

from ..base import Strict, repeated

FILE = "tickets.csv"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Row(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^T\d{3,}$")]
    channel: Literal["电话", "在线"]
    product: Text
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=6)]
    type: Text
    priority: Text
    type_rule: Text
    priority_rule: Text
    reason: Text
    split: Literal["drill", "exam"]

    @model_validator(mode="after")
    def _one_line(self) -> "Row":
        for name in ("text", "reason"):
            if "\n" in getattr(self, name):
                raise ValueError(f"{name} 应为一行文字")
        return self


class Model(Strict):
    rows: list[Row]

    @model_validator(mode="after")
    def _unique(self) -> "Model":
        dup = repeated(r.id for r in self.rows)
        if dup:
            raise ValueError(f"工单编号重复:{', '.join(dup)}")
        same = [r.id for r in repeated(self.rows, key=lambda r: r.text)]
        if same:
            raise ValueError(f"工单内容重复:{', '.join(same)}")
        return self
