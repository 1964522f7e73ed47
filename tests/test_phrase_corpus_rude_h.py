"""seeds/phrase_corpus_rude_h.csv (issue 15): bare refusals (否定) and over-promising / house-style
violations (不规范) for the learned judge.

Same contract as rude_d and rude_e (docs/phrase_corpus.md): every row forbidden in one of the two
categories the file is about, no respelling or near variant of a reply in another corpus file (a
variant of a held-out sentence in training would leak it), no opening sentence that is only a
greeting (the judge trains on whole rows but scores sentence by sentence), and the forms the brief
asks for. The checks are shared with the other corpus files' tests (tests/corpus_file.py)."""
from __future__ import annotations

from collections import Counter

from corpus_file import CorpusFile, greeting_only_first_sentence, near_variants, not_new, rows_loaded, shares_outside

NAME = "phrase_corpus_rude_h.csv"
FILE = CorpusFile(NAME)
END_PUNCT = "。！？!?.…"
# (at least, at most) share of the rows in each form
# (the bare-ending share, 0.20 to 0.33, is counted in the test: this file's brief counts a row ending in an emoji as
# bare, where corpus_file.unended does not)
FORMS = {"繁體": (0.17, 0.25), "chat": (0.14, 0.22), "several sentences": (0.08, 0.15)}


def test_every_row_is_forbidden_refusal_or_nonstandard_in_the_asked_mix():
    rows = FILE.rows
    per_category = Counter(r["category"] for r in rows)
    assert {r["label"] for r in rows} == {"forbidden"}
    assert set(per_category) == {"否定", "不规范"}
    assert len(rows) >= 500
    # brief: about 330 否定 to 220 不规范 (60 / 40)
    assert 0.52 <= per_category["否定"] / len(rows) <= 0.68, per_category
    assert rows_loaded(NAME) == len(rows)


def test_no_reply_repeats_another_after_normalisation():
    assert not (bad := not_new(FILE.texts, FILE.other_keys)), bad


def test_no_reply_is_a_near_variant_of_another_files_reply():
    assert not (near := near_variants(FILE.texts, FILE.other_keys)), near[:20]


def test_forms_traditional_chat_punctuation_sentences_and_lengths():
    texts = FILE.texts
    assert not (off := shares_outside(texts, FORMS)), off
    bare = [t for t in texts if t[-1] not in END_PUNCT]
    assert 0.20 <= len(bare) / len(texts) <= 0.33, len(bare)
    assert min(map(len, texts)) >= 3 and max(map(len, texts)) <= 70
    assert min(map(len, texts)) <= 5 and max(map(len, texts)) >= 40


def test_courtesy_clothing_is_rationed():
    openings = ("您放心", "放心", "谢谢", "謝謝", "请", "請")
    endings = ("谢谢", "謝謝", "谢谢理解", "请回", "請回")
    clothed = [t for t in FILE.texts if t.startswith(openings) or t.rstrip("。！!~～ ").endswith(endings)]
    assert len(clothed) <= len(FILE.texts) / 3


def test_no_row_opens_with_a_sentence_that_is_only_a_greeting():
    assert not (bad := greeting_only_first_sentence(FILE.texts)), bad
