"""seeds/phrase_corpus_rude_l.csv (issue 15): forbidden meaning that no rude word carries — 不规范 (favours and side
deals beyond the agent's authority, outcomes guaranteed as plain fact, other people's information shared, passwords
or codes asked for) and 否定 (refusals stated as a neutral fact or verdict, with no reason for the customer's sake
and no way forward).

Same contract as rude_d..rude_k (docs/phrase_corpus.md): every row forbidden in one of the two categories, in the
asked mix; no respelling or near variant of a reply in another corpus file (a variant of a held-out sentence in
training would leak it), nor of another row of this file (a 繁體 twin would straddle the split); no opening sentence
that is only a greeting; and the forms the brief asks for. The checks are shared with the other corpus files'
tests (tests/corpus_file.py)."""
from __future__ import annotations

from collections import Counter

from corpus_file import CorpusFile, greeting_only_first_sentence, newness_problems, rows_loaded, shares_outside

NAME = "phrase_corpus_rude_l.csv"
FILE = CorpusFile(NAME)
# a row ending in an emoji counts as ending bare here (as in rude_h / rude_j), hence the emoji are not in the finals
FINALS = "。！？!?.…～~"
# (at least, at most) share of the rows in each form
FORMS = {"繁體": (0.17, 0.25), "chat": (0.13, 0.22), "several sentences": (0.07, 0.15)}


def test_every_row_is_forbidden_nonstandard_or_refusal_in_the_asked_mix():
    rows = FILE.rows
    per_category = Counter(r["category"] for r in rows)
    assert {r["label"] for r in rows} == {"forbidden"}
    assert set(per_category) == {"不规范", "否定"}
    assert len(rows) >= 450
    # brief: about 60 % 不规范, 40 % 否定
    assert 0.5 <= per_category["不规范"] / len(rows) <= 0.7, per_category
    assert rows_loaded(NAME) == len(rows)


def test_every_reply_is_new():
    # a respelling or near variant of a held-out row in training would leak it (docs/phrase_corpus.md)
    assert not (bad := newness_problems(FILE.texts, FILE.other_keys)), bad


def test_forms_traditional_chat_punctuation_sentences_and_lengths():
    texts = FILE.texts
    assert not (off := shares_outside(texts, FORMS)), off
    bare = [t for t in texts if t[-1] not in FINALS]
    assert 0.20 <= len(bare) / len(texts) <= 0.33, len(bare)
    lengths = [len(t) for t in texts]
    assert min(lengths) >= 3 and max(lengths) <= 70
    assert sum(k <= 8 for k in lengths) >= 10 and sum(k >= 40 for k in lengths) >= 10


def test_no_row_opens_with_a_sentence_that_is_only_a_greeting():
    assert not (bad := greeting_only_first_sentence(FILE.texts)), bad
