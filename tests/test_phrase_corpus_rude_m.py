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

from corpus_file import (CorpusFile, bigram_close, greeting_only_first_sentence, mislabelled, near_variants, not_new,
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


def test_no_reply_repeats_a_reply_of_this_or_another_file():
    assert not (bad := not_new(FILE.texts, FILE.other_keys)), bad


def test_no_reply_is_a_near_variant_of_another_files_reply():
    assert not (close := near_variants(FILE.texts, FILE.other_keys)), close[:20]


def test_no_reply_shares_half_its_bigrams_with_another_files_reply():
    assert not (close := bigram_close(FILE.texts, FILE.other_keys, 0.5)), close[:20]


def test_no_reply_nearly_repeats_another_of_this_file():
    # 繁體 twins of a simplified row sit at difflib 0.6-0.8 after split_key folds them, hence 0.6 for longer rows
    assert not (near := near_variants(FILE.texts, ratio=0.6, longer_than=10)), near[:10]
    assert not (near := near_variants(FILE.texts)), near[:10]


def test_forms_traditional_chat_several_sentences_punctuation_and_lengths():
    texts = FILE.texts
    assert not (off := shares_outside(texts, FORMS, finals=FINALS)), off
    lengths = [len(t) for t in texts]
    assert min(lengths) >= 3 and max(lengths) <= 70
    assert sum(k <= 6 for k in lengths) >= 3 and sum(k >= 40 for k in lengths) >= 5


def test_no_row_opens_with_a_sentence_that_is_only_a_greeting():
    assert not (bad := greeting_only_first_sentence(FILE.texts)), bad
