"""Copied-prose detector: does a text share a run of N characters with one of the manuals?

The kit may take facts from the five manuals but never their sentences. Both sides are reduced to
the characters that carry wording — traditional characters converted to simplified with OpenCC
(``t2s``), then every character that is not a letter, digit or Han character (punctuation, spaces,
line breaks, markup) dropped — and every run of ``n`` (18) consecutive kept characters of the manuals
is put in a hash set. A shipped text is then one pass over its own runs with a set look-up each, so
the cost is linear in the size of the kit and of the manuals.

Standard service lines (``standard_lines`` in seeds/scripts.yml) are facts of the trade: they are cut
out of the manuals before the runs are taken, and a run lying wholly inside one of them (or across two
of them quoted one after the other) is not copying. The manuals' own prose stays fully indexed.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

RUN = 18
TEXT_SUFFIXES = {".py", ".yml", ".yaml", ".md", ".txt", ".csv", ".ipynb", ".json", ".toml", ".cfg", ".html"}


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


def reduce(text: str) -> tuple[str, list[int]]:
    """``text`` converted to simplified characters with only letters/digits/Han kept, and for every
    kept character its offset in ``text`` (to quote the original around a hit)."""
    conv = _t2s().convert(text)
    if len(conv) != len(text):  # t2s is character for character in practice; be safe otherwise
        text = conv
    kept: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(conv):
        if ch.isalnum():
            kept.append(ch.lower())
            where.append(i)
    return "".join(kept), where


# manual 003 was scraped with pinyin after some characters ("服務(wù)"): drop it, or the inserted
# letters would break every run of that manual's prose
_PINYIN = re.compile(r"[(（][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,8}[)）]")


def strip_pinyin(text: str) -> str:
    return _PINYIN.sub("", text)


def runs(reduced: str, n: int = RUN) -> Iterable[str]:
    for i in range(len(reduced) - n + 1):
        yield reduced[i:i + n]


@dataclass
class Hit:
    path: str
    offset: int
    text: str          # the reduced run that also occurs in a manual
    quote: str         # the original text around it

    def __str__(self) -> str:
        return f"{self.path}@{self.offset}: {self.quote!r}"


class ManualIndex:
    """The set of ``n``-character runs of the manuals, minus those inside a standard service line."""

    def __init__(self, manuals: Iterable[str], allowed: Iterable[str] = (), n: int = RUN):
        self.n = n
        grams: set[str] = set()
        lines = [reduce(line)[0] for line in allowed]
        lines = [x for x in lines if x]
        for text in manuals:
            reduced = reduce(strip_pinyin(text))[0]
            # the manual minus its standard lines: a run reaching into a quoted line is not prose
            for line in sorted(lines, key=len, reverse=True):
                reduced = reduced.replace(line, "\0")
            for part in reduced.split("\0"):
                grams.update(runs(part, n))
        for a in lines:
            grams.difference_update(runs(a, n))
            for b in lines:  # a list of standard lines, one after another, is still standard lines
                grams.difference_update(runs(a[-(n - 1):] + b[:n - 1], n))
        self.grams = grams

    def hits(self, text: str, path: str = "") -> list[Hit]:
        reduced, where = reduce(text)
        out: list[Hit] = []
        last_end = -1
        n = self.n
        grams = self.grams
        for i in range(len(reduced) - n + 1):
            if reduced[i:i + n] in grams:
                if i <= last_end:  # the same copied passage, already reported
                    last_end = i + n - 1
                    continue
                start, end = where[i], where[i + n - 1]
                out.append(Hit(path, start, reduced[i:i + n], text[max(0, start - 5):end + 6]))
                last_end = i + n - 1
        return out


def notebook_text(raw: str) -> str:
    """The cell sources and text outputs of a notebook (JSON escapes would hide the wording)."""
    try:
        nb = json.loads(raw)
    except ValueError:
        return raw
    parts: list[str] = []
    for cell in nb.get("cells", []):
        src = cell.get("source", "")
        parts.append("".join(src) if isinstance(src, list) else str(src))
        for out in cell.get("outputs", []) or []:
            t = out.get("text")
            if t:
                parts.append("".join(t) if isinstance(t, list) else str(t))
            for v in (out.get("data") or {}).values():
                if isinstance(v, (str, list)):
                    parts.append("".join(v) if isinstance(v, list) else v)
    return "\n".join(parts)


def shipped_files(root: Path, folders: Iterable[str]) -> Iterable[Path]:
    for folder in folders:
        base = root / folder
        if base.is_file():
            yield base
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = [d for d in dirnames if not d.startswith(".") and d != "__pycache__"]
            for name in sorted(filenames):
                p = Path(dirpath) / name
                if p.suffix in TEXT_SUFFIXES:
                    yield p


def read_text(path: Path) -> str:
    raw = path.read_text(encoding="utf-8", errors="ignore")
    return notebook_text(raw) if path.suffix == ".ipynb" else raw


def standard_lines(scripts: dict) -> list[str]:
    return [str(e.get("text", "")) for e in (scripts.get("standard_lines") or []) if isinstance(e, dict)]


__all__ = ["Hit", "ManualIndex", "RUN", "notebook_text", "read_text", "reduce", "shipped_files", "standard_lines",
           "strip_pinyin"]
