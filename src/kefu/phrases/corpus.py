"""The labelled reply corpus (seeds/phrase_corpus_*.csv) and its reproducible held-out split.

A reply belongs to the held-out split when a hash of its *normalised* text (traditional →
simplified, full-width → half-width, spaces, invisible characters and punctuation dropped) falls
in the first ``holdout_percent`` of 100 buckets. Hashing the normalised text keeps the spaced,
traditional and emoji variants of one sentence on the same side, so a variant in training never
makes its twin in the test set look "generalised". Every text the judge trains on — from the
corpus or from any other seed — passes the same test, so training never sees a held-out sentence.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

PREFIX = "phrase_corpus_"
# sealed evaluation sets: written blind to the phrasebook and the corpus, never trained on (bench only)
EVAL_PREFIX = "phrase_eval_"
# training-only replies: trained on, never measured. Adding them leaves the held-out split as it was, so runs
# before and after stay comparable; a row whose split key hashes into the held-out buckets is not trained on
# (the rule every training text follows), so it is simply unused.
TRAIN_PREFIX = "phrase_train_"


@dataclass(frozen=True, slots=True)
class Sample:
    text: str
    forbidden: bool
    category: str  # phrasebook category for a forbidden reply, "" for a polite one
    origin: str  # "<file>:<row>" (row as in a spreadsheet: header is row 1)
    # "train" | "test" (held out) | "eval" (a sealed evaluation set) | "extra" (a training-only row that is
    # trained on) | "unused" (a training-only row whose key hashes into the held-out buckets)
    split: str


def corpus_files(prefix: str = PREFIX) -> list[str]:
    """Names of the corpus seed files (every schema module whose file starts with ``prefix``)."""
    from kefu.seeds.registry import schemas

    return sorted(n for n in schemas() if n.startswith(prefix))


def evaluation_files() -> list[str]:
    """Names of the sealed evaluation sets (``phrase_eval_*.csv``)."""
    return corpus_files(EVAL_PREFIX)


def training_files() -> list[str]:
    """Names of the training-only reply files (``phrase_train_*.csv``)."""
    return corpus_files(TRAIN_PREFIX)


def split_key(text: str) -> str:
    """The text the split hashes: normalised, without punctuation, symbols or emoji."""
    from .engine import checker

    return checker().norm.plain(text)


def bucket(text: str, salt: str) -> int:
    digest = hashlib.sha256((salt + "\x00" + split_key(text)).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % 100


def split_of(text: str, settings: Any | None = None) -> str:
    """"test" (held out) or "train" for any text, by the phrasebook's ``judge`` settings."""
    if settings is None:
        from .engine import checker

        settings = checker().book.judge
    return "test" if bucket(text, settings.split_salt) < settings.holdout_percent else "train"


def data_files(folder: Path) -> list[Path]:
    """Every seed file the judge's training depends on (its model is versioned by their hash)."""
    # the evaluation sets count too: training drops any text that is also an evaluation text
    names = ["phrasebook.yml", "phrase_examples.yml", "phrase_rewrites.yml",
             *corpus_files(), *training_files(), *evaluation_files()]
    return [folder / n for n in names if (folder / n).exists()]


@lru_cache(maxsize=8)
def _load(folder: str, prefix: str = PREFIX) -> tuple[Sample, ...]:
    from kefu.seeds import Problem, SeedError, load

    book = load("phrasebook.yml", folder)
    out: list[Sample] = []
    problems: list[Problem] = []
    for name in corpus_files(prefix):
        if not (Path(folder) / name).exists():
            continue
        for i, row in enumerate(load(name, folder).rows, start=2):
            if row.category and row.category not in book.categories:
                problems.append(Problem(name, f"第 {i} 行", "category", f"类别“{row.category}”不在话术库的 categories 中"))
                continue
            split = _split(row.text, book.judge, prefix)
            out.append(Sample(row.text, row.label == "forbidden", row.category or "", f"{name}:{i}", split))
    if problems:
        raise SeedError(problems)
    return tuple(out)


def _split(text: str, settings: Any, prefix: str) -> str:
    if prefix == EVAL_PREFIX:
        return "eval"
    split = split_of(text, settings)
    if prefix == TRAIN_PREFIX:
        return "extra" if split == "train" else "unused"
    return split


def load_corpus() -> list[Sample]:
    """Every labelled reply with its split (cached per seeds folder)."""
    from kefu.seeds import seeds_dir

    return list(_load(str(seeds_dir().resolve())))


def load_evaluation() -> list[Sample]:
    """The sealed evaluation sets' replies (split ``"eval"``): measured by bench/phrases.py only."""
    from kefu.seeds import seeds_dir

    return list(_load(str(seeds_dir().resolve()), EVAL_PREFIX))


def load_training_only() -> list[Sample]:
    """The training-only replies (split ``"extra"``, or ``"unused"`` when their key hashes into the held-out buckets)."""
    from kefu.seeds import seeds_dir

    return list(_load(str(seeds_dir().resolve()), TRAIN_PREFIX))


def sealed_keys() -> frozenset[str]:
    """Split keys of every evaluation text: the judge never trains on a text with one of these keys."""
    return frozenset(split_key(s.text) for s in load_evaluation())
