"""seeds/phrase_corpus_rude_d.csv (issue 15): new forbidden replies for the learned judge.

The file only helps generalisation if its replies are new: a reply whose normalised split key
(traditional → simplified, punctuation, spaces and emoji dropped) equals one in another corpus
file is a respelling, and would put a held-out sentence's twin into training. A forbidden row
whose opening sentence is a bare greeting would teach that greeting as rude, because the judge
scores sentence by sentence but trains on whole rows (docs/phrase_corpus.md). The checks are
shared with the other corpus files' tests (tests/corpus_file.py)."""
from __future__ import annotations

from collections import Counter

from kefu.seeds import load

from corpus_file import (CorpusFile, greeting_only_first_sentence, near_variants, not_new, rows_loaded,
                         several_sentences, shares_outside)

NAME = "phrase_corpus_rude_d.csv"
FILE = CorpusFile(NAME)


def test_every_row_is_forbidden_in_a_phrasebook_category():
    categories = set(load("phrasebook.yml").categories)
    per_category = Counter(r["category"] for r in FILE.rows)
    assert {r["label"] for r in FILE.rows} == {"forbidden"}
    assert set(per_category) == categories
    assert min(per_category.values()) >= 50, per_category
    # the loader accepts the file (schema module, categories checked against the phrasebook)
    assert rows_loaded(NAME) == len(FILE.rows)


def test_no_reply_repeats_another_after_normalisation():
    assert not (bad := not_new(FILE.texts, FILE.other_keys)), bad


def test_no_reply_is_a_near_variant_of_another_file():
    # added with the shared checks (every row passed): difflib ratio >= 0.8 on split keys
    assert not (near := near_variants(FILE.texts, FILE.other_keys)), near[:10]


def test_forms_traditional_chat_and_several_sentences():
    assert not (off := shares_outside(FILE.texts, {"繁體": (0.15, 1), "chat": (0.15, 1)})), off
    assert len(multi := several_sentences(FILE.texts)) >= 20, len(multi)


def test_no_row_opens_with_a_sentence_that_is_only_a_greeting():
    assert not (bad := greeting_only_first_sentence(FILE.texts)), bad
