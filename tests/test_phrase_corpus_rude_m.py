"""seeds/phrase_corpus_rude_m.csv (issue 15): impatience said calmly or indirectly (烦躁: 这个我刚才讲过了吧 /
您先听我说完 / 您到底想办什么 / sighs and hurrying in chat) and blame and lecturing after the fact, often dressed as
advice (教训: 早跟您说过要备份 / 这种事您得自己上心 / 您这个习惯得改改), for the learned judge.

Same contract as the other forbidden files (docs/phrase_corpus.md): every row forbidden in one of the two
categories, no respelling or near variant of a reply in another corpus file (a variant of a held-out sentence in
training would leak it), no 繁體 or one-word twin within the file, no opening sentence that is only a greeting (the
judge trains on whole rows but scores sentence by sentence), and the forms the brief asks for. The checks are shared
with the other corpus files' tests (tests/corpus_file.py)."""
from __future__ import annotations

from collections import Counter

from corpus_file import (CorpusFile, greeting_only_first_sentence, mislabelled, near_variants, newness_problems,
                         rows_loaded, shares_outside)

NAME = "phrase_corpus_rude_m.csv"
FILE = CorpusFile(NAME)
# (at least, at most) share of the rows in each form
FORMS = {"繁體": (0.17, 0.25), "chat": (0.13, 0.22), "several sentences": (0.08, 0.15), "bare ending": (0.20, 0.33)}
FINALS = "。！？!?.…"


def test_every_row_is_forbidden_impatience_or_lecturing_in_the_asked_mix():
    rows = FILE.rows
    assert not (bad := mislabelled(rows, "forbidden")), bad
    per_category = Counter(r["category"] for r in rows)
    assert set(per_category) == {"烦躁", "教训"}, per_category
    assert len(rows) >= 400, len(rows)
    for category in ("烦躁", "教训"):
        assert 0.4 <= per_category[category] / len(rows) <= 0.6, per_category
    assert rows_loaded(NAME) == len(rows)


def test_every_reply_is_new():
    # a respelling or near variant of a held-out row in training would leak it (docs/phrase_corpus.md)
    assert not (bad := newness_problems(FILE.texts, FILE.other_keys)), bad
    # and, stricter than the shared contract, no short row nearly repeats an earlier row of this file either
    assert not (near := near_variants(FILE.texts)), near[:10]


def test_forms_traditional_chat_several_sentences_punctuation_and_lengths():
    texts = FILE.texts
    assert not (off := shares_outside(texts, FORMS, finals=FINALS)), off
    lengths = [len(t) for t in texts]
    assert min(lengths) >= 3 and max(lengths) <= 70
    assert sum(k <= 6 for k in lengths) >= 3 and sum(k >= 40 for k in lengths) >= 5


def test_no_row_opens_with_a_sentence_that_is_only_a_greeting():
    assert not (bad := greeting_only_first_sentence(FILE.texts)), bad
