"""Entry ids of seed files, for the curriculum map (``<stem>:<id>``)."""
from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from .loader import load, seeds_dir
from .registry import schemas


def _walk(node: object, out: list[str]) -> None:
    if isinstance(node, BaseModel):
        ident = getattr(node, "id", None)
        if isinstance(ident, str):
            out.append(ident)
        for name in type(node).model_fields:
            _walk(getattr(node, name), out)
    elif isinstance(node, (list, tuple)):
        for item in node:
            _walk(item, out)
    elif isinstance(node, dict):
        for item in node.values():
            _walk(item, out)


def entry_ids(name: str, path: str | None = None) -> list[str]:
    """Referable entries of one seed file: ``<stem>:<id>`` for YAML items with an ``id``;
    a CSV table is a single entry ``<stem>``."""
    stem = Path(name).stem
    if name.endswith(".csv"):
        return [stem]
    ids: list[str] = []
    _walk(load(name, path), ids)
    return [f"{stem}:{i}" for i in ids]


def all_entry_ids(path: str | None = None) -> list[str]:
    """Every entry the curriculum must teach (assessment banks, marked ``TEACHABLE = False``, are left out)."""
    folder = seeds_dir(path)
    out: list[str] = []
    for name, module in sorted(schemas().items()):
        if name == "sources.yml" or not getattr(module, "TEACHABLE", True) or not (folder / name).exists():
            continue
        out.extend(entry_ids(name, path))
    return out
