"""seeds/phrase_corpus_rude_g.csv (issue 15): after-the-fact blame, polite buck-passing, impatience, defiance
and contempt for the learned judge.

Same contract as rude_e (tests/test_phrase_corpus_rude_e.py, docs/phrase_corpus.md): every row forbidden in a
phrasebook category, no respelling or near variant of a reply in another corpus file (a variant of a held-out
sentence in training would leak it), no opening sentence that is only a greeting (the judge trains on whole rows
but scores sentence by sentence), the category mix and forms the file was written for, and courtesy clothing
(您放心 / 谢谢 / 请 openings and endings) rationed so the model learns the rudeness, not the clothing. The checks
are shared with the other corpus files' tests (tests/corpus_file.py)."""
from __future__ import annotations

from collections import Counter

from kefu.seeds import load

from corpus_file import CorpusFile, greeting_only_first_sentence, near_variants, not_new, rows_loaded, shares_outside

NAME = "phrase_corpus_rude_g.csv"
FILE = CorpusFile(NAME)
# share of the file each category was written for (the families the model missed in training-split CV)
MIX = {"教训": 0.25, "推诿": 0.21, "烦躁": 0.16, "斗气": 0.14, "蔑视": 0.11, "负面语言": 0.065, "否定": 0.065}
# (at least, at most) share of the rows in each form
FORMS = {"繁體": (0.17, 0.25), "chat": (0.14, 0.22), "several sentences": (0.08, 0.15), "bare ending": (0.20, 0.32)}
COURTESY_OPEN = ("您放心", "请放心", "請放心", "放心", "谢谢", "謝謝", "请", "請")
COURTESY_END = ("谢谢", "謝謝", "放心", "请", "請")


def test_every_row_is_forbidden_in_the_mix_it_was_written_for():
    rows = FILE.rows
    assert set(MIX) == set(load("phrasebook.yml").categories) - {"不规范"}
    per_category = Counter(r["category"] for r in rows)
    assert {r["label"] for r in rows} == {"forbidden"}
    assert set(per_category) == set(MIX), per_category
    assert 750 <= len(rows) <= 900, len(rows)
    for category, share in MIX.items():
        assert abs(per_category[category] / len(rows) - share) <= 0.03, (category, per_category[category])
    assert rows_loaded(NAME) == len(rows)


def test_no_reply_repeats_a_reply_of_this_or_another_file():
    assert not (bad := not_new(FILE.texts, FILE.other_keys)), bad


def test_no_reply_is_a_near_variant_of_another_files_reply():
    assert not (close := near_variants(FILE.texts, FILE.other_keys)), close


def test_no_reply_nearly_repeats_another_of_this_file():
    # added with the shared checks (every row passed): a 繁體 or one-word variant of a row of this file
    # would straddle the hash split
    assert not (near := near_variants(FILE.texts)), near[:10]


def test_forms_traditional_chat_several_sentences_punctuation_and_lengths():
    assert not (off := shares_outside(FILE.texts, FORMS, finals="。！？!?.…")), off
    lengths = [len(t) for t in FILE.texts]
    assert min(lengths) >= 3 and max(lengths) <= 70
    assert sum(k >= 40 for k in lengths) >= 10


def test_courtesy_clothing_is_rationed():
    texts = FILE.texts
    clothed = [t for t in texts if t.startswith(COURTESY_OPEN) or t.rstrip("。！!.~～ ").endswith(COURTESY_END)]
    assert len(clothed) <= len(texts) / 3, len(clothed)


def test_no_row_opens_with_a_sentence_that_is_only_a_greeting():
    assert not (bad := greeting_only_first_sentence(FILE.texts)), bad
