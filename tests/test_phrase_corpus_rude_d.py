"""seeds/phrase_corpus_rude_d.csv (issue 15): new forbidden replies for the learned judge.

The file only helps generalisation if its replies are new: a reply whose normalised split key
(traditional → simplified, punctuation, spaces and emoji dropped) equals one in another corpus
file is a respelling, and would put a held-out sentence's twin into training. A forbidden row
whose opening sentence is a bare greeting would teach that greeting as rude, because the judge
scores sentence by sentence but trains on whole rows (docs/phrase_corpus.md). The checks are
shared with the other corpus files' tests (tests/corpus_file.py)."""
from __future__ import annotations

from collections import Counter

import pytest

from kefu.seeds import load

from corpus_file import (chat, greeting_only_first_sentence, in_others, keyless, keys_of_other_files,
                         near_variants, read_rows, repeats, rows_loaded, several_sentences, traditional)

NAME = "phrase_corpus_rude_d.csv"


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return read_rows(NAME)


@pytest.fixture(scope="module")
def texts(rows) -> list[str]:
    return [r["text"] for r in rows]


@pytest.fixture(scope="module")
def other_keys() -> list[str]:
    return keys_of_other_files(NAME)


def test_every_row_is_forbidden_in_a_phrasebook_category(rows):
    categories = set(load("phrasebook.yml").categories)
    per_category = Counter(r["category"] for r in rows)
    assert {r["label"] for r in rows} == {"forbidden"}
    assert set(per_category) == categories
    assert min(per_category.values()) >= 50, per_category
    # the loader accepts the file (schema module, categories checked against the phrasebook)
    assert rows_loaded(NAME) == len(rows)


def test_no_reply_repeats_another_after_normalisation(texts, other_keys):
    assert not (bad := keyless(texts)), bad
    assert not (bad := repeats(texts)), bad
    assert not (bad := in_others(texts, other_keys)), bad


def test_no_reply_is_a_near_variant_of_another_file(texts, other_keys):
    # added with the shared checks (every row passed): difflib ratio >= 0.8 on split keys
    assert not (near := near_variants(texts, other_keys)), near[:10]


def test_forms_traditional_chat_and_several_sentences(texts):
    n = len(texts)
    assert len(trad := traditional(texts)) >= 0.15 * n, len(trad)
    assert len(chatty := chat(texts)) >= 0.15 * n, len(chatty)
    assert len(multi := several_sentences(texts)) >= 20, len(multi)


def test_no_row_opens_with_a_sentence_that_is_only_a_greeting(texts):
    assert not (bad := greeting_only_first_sentence(texts)), bad
