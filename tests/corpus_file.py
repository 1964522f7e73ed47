"""Reading one phrase-corpus CSV as the contract tests of its writer see it (tests/test_phrase_corpus_*.py).

The files are read raw (csv rows, not kefu's loader) so a test can check exactly what was written; the keys of
the other corpus files are what a new row must not repeat (docs/phrase_corpus.md)."""
from __future__ import annotations

import csv

from kefu.phrases.corpus import corpus_files, split_key
from kefu.seeds import seeds_dir


def read_rows(name: str) -> list[dict[str, str]]:
    """The rows of seeds/<name> as dicts (label, category, text)."""
    with (seeds_dir() / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def keys_of_other_files(name: str) -> list[str]:
    """Split keys of every row of every other corpus file present, in file order (duplicates kept)."""
    keys: list[str] = []
    for other in corpus_files():
        if other != name and (seeds_dir() / other).exists():
            keys.extend(split_key(r["text"]) for r in read_rows(other))
    return keys
