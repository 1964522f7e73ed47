"""Text normalisation before matching, with a map back to the original offsets.

Steps (settings from seeds/phrasebook.yml ``normalise``): traditional → simplified (OpenCC t2s,
character by character so offsets stay aligned), full-width → half-width, upper → lower case,
punctuation unified, whitespace and ignorable characters dropped, runs of one punctuation mark
collapsed. Every step maps one character to at most one character, so each character of the
normalised text knows the index of the original character it came from.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: punctuation, symbols and spaces: what "plain" text, a sentence's character count and the rules' word
#: checks leave out (one pattern for the three, so they agree on what a character is)
NOT_WORD = re.compile(r"[\W_]+")


def _width_table() -> dict[int, str]:
    table: dict[int, str] = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
    table[0x3000] = " "
    for cp in range(ord("A"), ord("Z") + 1):
        table[cp] = chr(cp + 32)
    for cp in range(0xFF21, 0xFF3B):  # full-width capitals straight to lower case
        table[cp] = chr(cp - 0xFEE0 + 32)
    return table


def _is_han(ch: str) -> bool:
    cp = ord(ch)
    return 0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3134F


@dataclass(slots=True)
class Normalised:
    text: str  # the normalised text
    index: list[int] | None  # index[i] = position in the original of normalised char i; None = identity

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the normalised text back to the original text."""
        if self.index is None:
            return start, end
        if end <= start:
            pos = self.index[start] if start < len(self.index) else (self.index[-1] + 1 if self.index else 0)
            return pos, pos
        return self.index[start], self.index[end - 1] + 1


class Normaliser:
    """Built once from the phrasebook's ``normalise`` settings."""

    def __init__(self, settings: Any):
        self.table: dict[int, str] = _width_table()
        for src, dst in settings.punctuation.items():
            self.table[ord(src)] = dst
        self._seen: set[str] = set()
        self._cc = None
        self._complete = self._load_t2s_characters()
        ignore = re.escape(settings.ignore)
        collapse = re.escape(settings.collapse) if settings.collapse else ""
        self._drop = re.compile(rf"[\s{ignore}]+")
        # a run of one collapsible mark once the dropped characters are gone: all but its first go
        self._runs = re.compile(rf"([{collapse}])\1+") if collapse else None
        parts = [rf"[\s{ignore}]"]
        if collapse:
            parts.append(rf"([{collapse}])\1")
        self._slow = re.compile("|".join(parts))

    def _load_t2s_characters(self) -> bool:
        """Load OpenCC's traditional→simplified character table (TSCharacters) at once, so no
        text pays for a lookup; return False when the file is not found (then characters are
        converted lazily through ``OpenCC("t2s")``)."""
        import os

        try:
            import opencc
        except ImportError:  # pragma: no cover - a declared dependency
            return False
        path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", "TSCharacters.txt")
        try:
            with open(path, encoding="utf-8") as fh:
                for line in fh:
                    key, _, values = line.rstrip("\n").partition("\t")
                    first = values.split(" ")[0] if values else ""
                    if len(key) == 1 and len(first) == 1 and key != first and ord(key) not in self.table:
                        self.table[ord(key)] = first
        except OSError:
            return False
        return True

    def _learn(self, text: str) -> None:
        """Add the t2s conversion of Han characters not seen before to the translate table."""
        new = set(text) - self._seen
        if not new:
            return
        for ch in new:
            if _is_han(ch):
                if self._cc is None:
                    from opencc import OpenCC

                    self._cc = OpenCC("t2s")
                conv = self._cc.convert(ch)
                if len(conv) == 1 and conv != ch:
                    self.table[ord(ch)] = conv
        self._seen |= new

    def __call__(self, text: str) -> Normalised:
        if not self._complete:
            self._learn(text)
        t = text.translate(self.table)
        if not self._slow.search(t):
            return Normalised(t, None)
        # two passes, each over the stretches a regex leaves (a 1 MB reply has thousands, not a million
        # characters to visit in Python): drop spaces and ignorable characters, then collapse runs. A
        # mark is collapsed when it repeats the mark kept before it, with anything dropped between
        # (。 。 → 。): after the first pass that is the character just before it.
        t, index = self._cut(t, self._drop, range(len(t)))
        if self._runs is not None:
            t, index = self._cut(t, self._runs, index, keep_first=True)
        return Normalised(t, index)

    @staticmethod
    def _cut(text: str, rx: re.Pattern, index: Any, keep_first: bool = False) -> tuple[str, list[int]]:
        """``text`` without the matches of ``rx`` (but their first character with ``keep_first``), and
        ``index`` (original position of each character of ``text``) for the characters left."""
        chars: list[str] = []
        kept: list[int] = []
        last = 0
        for m in rx.finditer(text):
            a = m.start() + 1 if keep_first else m.start()
            chars.append(text[last:a])
            kept.extend(index[last:a])
            last = m.end()
        chars.append(text[last:])
        kept.extend(index[last:])
        return "".join(chars), kept

    def plain(self, text: str) -> str:
        """Normalised text without punctuation or symbols (for comparing meaning)."""
        return NOT_WORD.sub("", self(text).text)
