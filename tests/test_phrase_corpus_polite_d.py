"""seeds/phrase_corpus_polite_d.csv (issue 15): polite near-misses of rudeness for the learned judge.

The rows are acceptable replies that share the surface of forbidden ones (不能/无法/改不了,
一定/马上, 建议您…, 这个需要厂家…), so the model learns the contrast instead of "polite words = fine"
or "不 = rude". They only help generalisation if they are new: a reply whose normalised split key
equals, or nearly equals, a row of another corpus file would put a held-out sentence's twin into
training (docs/phrase_corpus.md). The checks are shared with the other corpus files' tests
(tests/corpus_file.py)."""
from __future__ import annotations

from corpus_file import (CorpusFile, mislabelled, near_variants, not_new, rows_loaded, several_sentences,
                         shares_outside)

NAME = "phrase_corpus_polite_d.csv"
FILE = CorpusFile(NAME)


def test_every_row_is_polite_and_loads():
    assert not (bad := mislabelled(FILE.rows, "polite")), bad
    # the loader accepts every row (schema module)
    assert 600 <= len(FILE.rows) == rows_loaded(NAME)


def test_no_reply_repeats_or_nearly_repeats_another():
    assert not (bad := not_new(FILE.texts, FILE.other_keys)), bad
    assert not (near := near_variants(FILE.texts, FILE.other_keys)), near[:5]


def test_forms_traditional_chat_lengths_and_several_sentences():
    assert not (off := shares_outside(FILE.texts, {"繁體": (0.15, 1), "chat": (0.15, 1)})), off
    assert len(multi := several_sentences(FILE.texts)) >= 20, len(multi)
    lengths = [len(t) for t in FILE.texts]
    assert min(lengths) >= 4 and max(lengths) <= 80
    assert sum(k <= 10 for k in lengths) >= 10 and sum(k >= 40 for k in lengths) >= 10
