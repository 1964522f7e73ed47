"""seeds/phrase_corpus_polite_d.csv (issue 15): polite near-misses of rudeness for the learned judge.

The rows are acceptable replies that share the surface of forbidden ones (不能/无法/改不了,
一定/马上, 建议您…, 这个需要厂家…), so the model learns the contrast instead of "polite words = fine"
or "不 = rude". They only help generalisation if they are new: a reply whose normalised split key
equals, or nearly equals, a row of another corpus file would put a held-out sentence's twin into
training (docs/phrase_corpus.md). The checks are shared with the other corpus files' tests
(tests/corpus_file.py)."""
from __future__ import annotations

import pytest

from corpus_file import (chat, in_others, keyless, keys_of_other_files, near_variants, read_rows, repeats,
                         rows_loaded, several_sentences, traditional)

NAME = "phrase_corpus_polite_d.csv"


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return read_rows(NAME)


@pytest.fixture(scope="module")
def texts(rows) -> list[str]:
    return [r["text"] for r in rows]


def test_every_row_is_polite_and_loads(rows):
    assert len(rows) >= 600
    assert {r["label"] for r in rows} == {"polite"}
    assert not any(r["category"] for r in rows)
    assert rows_loaded(NAME) == len(rows)


def test_no_reply_repeats_or_nearly_repeats_another(texts):
    other_keys = keys_of_other_files(NAME)
    assert not (bad := keyless(texts)), bad
    assert not (bad := repeats(texts)), bad
    assert not (bad := in_others(texts, other_keys)), bad
    assert not (near := near_variants(texts, other_keys)), near[:5]


def test_forms_traditional_chat_lengths_and_several_sentences(texts):
    n = len(texts)
    assert len(trad := traditional(texts)) >= 0.15 * n, len(trad)
    assert len(chatty := chat(texts)) >= 0.15 * n, len(chatty)
    assert len(multi := several_sentences(texts)) >= 20, len(multi)
    lengths = [len(t) for t in texts]
    assert min(lengths) >= 4 and max(lengths) <= 80
    assert sum(k <= 10 for k in lengths) >= 10 and sum(k >= 40 for k in lengths) >= 10
