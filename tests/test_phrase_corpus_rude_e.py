"""seeds/phrase_corpus_rude_e.csv (issue 15): rudeness in polite clothing for the learned judge.

Same contract as rude_d (tests/test_phrase_corpus_rude_d.py, docs/phrase_corpus.md): every row
forbidden in a phrasebook category, no respelling of a reply in another corpus file (a variant of a
held-out sentence in training would leak it), no opening sentence that is only a greeting (the judge
trains on whole rows but scores sentence by sentence), and the forms the brief asks for. The checks are
shared with the other corpus files' tests (tests/corpus_file.py)."""
from __future__ import annotations

from collections import Counter

from kefu.seeds import load

from corpus_file import (CorpusFile, greeting_only_first_sentence, near_variants, not_new, rows_loaded,
                         several_sentences, shares_outside)

NAME = "phrase_corpus_rude_e.csv"
FILE = CorpusFile(NAME)
# the courtesy words whose presence makes a row "rudeness in polite clothing"
COURTESY = ("您", "请", "請", "谢谢", "謝謝", "抱歉", "不好意思", "亲", "親", "麻烦", "麻煩")


def test_every_row_is_forbidden_and_every_category_has_fifty():
    rows = FILE.rows
    per_category = Counter(r["category"] for r in rows)
    assert {r["label"] for r in rows} == {"forbidden"}
    assert set(per_category) == set(load("phrasebook.yml").categories)
    assert min(per_category.values()) >= 50, per_category
    assert len(rows) >= 600
    assert rows_loaded(NAME) == len(rows)


def test_most_rows_wear_polite_clothing():
    polite_worded = [t for t in FILE.texts if any(w in t for w in COURTESY)]
    assert len(polite_worded) >= 0.8 * len(FILE.texts)


def test_no_reply_repeats_another_after_normalisation():
    assert not (bad := not_new(FILE.texts, FILE.other_keys)), bad


def test_no_reply_nearly_repeats_another_of_this_file():
    # added with the shared checks (every row passed): a 繁體 or one-word variant of a row of this file would
    # straddle the hash split. Not yet checked against other files: 請您別在電話裡嘆氣，有事說事 is a near variant
    # of rude_g's 您别在电话里叹气了，说正事。 (difflib's ratio is 0.8 from this side, 0.72 from rude_g's)
    assert not (near := near_variants(FILE.texts)), near[:10]


def test_forms_traditional_chat_several_sentences_and_lengths():
    texts = FILE.texts
    assert not (off := shares_outside(texts, {"繁體": (0.15, 1), "chat": (0.15, 1)})), off
    assert len(multi := several_sentences(texts)) >= 20, len(multi)
    assert min(map(len, texts)) <= 5 and max(map(len, texts)) >= 40


def test_no_row_opens_with_a_sentence_that_is_only_a_greeting():
    assert not (bad := greeting_only_first_sentence(FILE.texts)), bad
