"""seeds/phrase_corpus_rude_j.csv (issue 15): over-promising and house-style violations (不规范), lecturing after
the fact (教训) and buck-passing with no hand-off (推诿) for the learned judge.

Same contract as rude_d..rude_h (docs/phrase_corpus.md): every row forbidden in one of the three categories the
file is about, in the asked mix; no respelling or near variant of a reply in another corpus file (a variant of a
held-out sentence in training would leak it), nor of another row of this file (a 繁體 twin would straddle the
split); no opening sentence that is only a greeting (the judge trains on whole rows but scores sentence by
sentence); and the forms the brief asks for. The checks are shared with the other corpus files' tests
(tests/corpus_file.py)."""
from __future__ import annotations

from collections import Counter

from corpus_file import CorpusFile, greeting_only_first_sentence, newness_problems, rows_loaded, shares_outside

NAME = "phrase_corpus_rude_j.csv"
FILE = CorpusFile(NAME)
# a row ending in an emoji counts as ending bare here (as in rude_h), hence the emoji are not in the finals
FINALS = "。！？!?.…～~"
# (at least, at most) share of the rows in each form
FORMS = {"繁體": (0.17, 0.25), "chat": (0.13, 0.22), "several sentences": (0.08, 0.16)}
# brief: about 45 % 不规范, 30 % 教训, 25 % 推诿, each held within ten points
MIX = {"不规范": 0.45, "教训": 0.30, "推诿": 0.25}


def test_every_row_is_forbidden_in_the_three_categories_and_the_mix_is_held():
    rows = FILE.rows
    per_category = Counter(r["category"] for r in rows)
    assert {r["label"] for r in rows} == {"forbidden"}
    assert set(per_category) == set(MIX)
    assert len(rows) >= 550
    for category, share in MIX.items():
        assert abs(per_category[category] / len(rows) - share) <= 0.10, per_category
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
    assert sum(k <= 8 for k in lengths) >= 10 and sum(k >= 40 for k in lengths) >= 30


def test_no_row_opens_with_a_sentence_that_is_only_a_greeting():
    assert not (bad := greeting_only_first_sentence(FILE.texts)), bad
