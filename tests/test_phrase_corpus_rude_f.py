"""seeds/phrase_corpus_rude_f.csv (issue 15): forbidden replies weighted towards the families the model
misses in cross-validation (flat refusals without a way forward, over-promising and chat slang).

Same contract as rude_d / rude_e (docs/phrase_corpus.md): every row forbidden in a phrasebook category, the
category mix the file was written for, no respelling of a reply in another corpus file and no near variant
of one (a variant of a held-out sentence in training would leak it), no opening sentence that is only a
greeting (the judge trains on whole rows but scores sentence by sentence), and the forms it was written in.
The checks are shared with the other corpus files' tests (tests/corpus_file.py)."""
from __future__ import annotations

from collections import Counter

from kefu.seeds import load

from corpus_file import (CorpusFile, bigram_close, greeting_only_first_sentence, near_variants, not_new, rows_loaded,
                         shares_outside)

NAME = "phrase_corpus_rude_f.csv"
FILE = CorpusFile(NAME)
# the mix the file was written for: (at least, at most) rows per category
MIX = {"否定": (230, 320), "不规范": (160, 240), "教训": (80, 130), "推诿": (75, 120),
       "斗气": (50, 90), "烦躁": (40, 75), "蔑视": (25, 50), "负面语言": (18, 45)}
# (at least, at most) share of the rows in each form
FORMS = {"繁體": (0.17, 0.28), "chat": (0.14, 0.22), "bare ending": (0.18, 0.32), "several sentences": (0.07, 0.15)}
COURTESY_EDGES = ("您放心", "请放心", "請放心", "请", "請", "谢谢", "謝謝")


def test_every_row_is_forbidden_and_the_mix_holds():
    rows = FILE.rows
    per_category = Counter(r["category"] for r in rows)
    assert {r["label"] for r in rows} == {"forbidden"}
    assert set(per_category) == set(load("phrasebook.yml").categories) == set(MIX)
    assert {c: n for c, n in per_category.items() if not MIX[c][0] <= n <= MIX[c][1]} == {}, per_category
    assert 750 <= len(rows) <= 950
    assert rows_loaded(NAME) == len(rows)


def test_no_reply_repeats_another_after_normalisation():
    assert not (bad := not_new(FILE.texts, FILE.other_keys)), bad


def test_no_reply_is_a_near_variant_of_another_file():
    assert not (near := near_variants(FILE.texts, FILE.other_keys)), near[:10]


def test_no_reply_nearly_repeats_another_of_this_file():
    # added with the shared checks (every row passed): a 繁體 or one-word variant of a row of this file
    # would straddle the hash split
    assert not (near := near_variants(FILE.texts)), near[:10]


def test_no_reply_shares_half_its_character_bigrams_with_another_file():
    # docs/phrase_corpus.md: rows at bigram Jaccard >= 0.5 to an existing row are read for variants;
    # this file dropped all of them instead
    assert not (close := bigram_close(FILE.texts, FILE.other_keys)), close[:10]


def test_forms_traditional_chat_punctuation_sentences_and_lengths():
    texts = FILE.texts
    assert not (off := shares_outside(texts, FORMS, finals="。！？!?.…~～")), off
    assert min(map(len, texts)) >= 3 and max(map(len, texts)) <= 70
    assert sum(len(t) >= 40 for t in texts) >= 15


def test_courtesy_clothing_is_rationed():
    edges = [t.rstrip("。！？!?.~～ ") for t in FILE.texts]
    clothed = [t for t in edges if t.startswith(COURTESY_EDGES) or t.endswith(("谢谢", "謝謝"))]
    assert len(clothed) <= len(edges) / 3


def test_no_row_opens_with_a_sentence_that_is_only_a_greeting():
    assert not (bad := greeting_only_first_sentence(FILE.texts)), bad
