"""seeds/sources.yml — the five training manuals every fact cites."""
from __future__ import annotations

from ..base import SeedFile, Strict

FILE = "sources.yml"


class Manual(Strict):
    file: str
    title: str
    script: str = "simplified"  # simplified | traditional
    notes: str = ""


class Model(SeedFile):
    manuals: list[Manual]
