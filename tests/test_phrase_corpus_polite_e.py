"""seeds/phrase_corpus_polite_e.csv (issue 15): polite hard negatives for the learned judge, set E.

Acceptable replies with the surface of forbidden ones: factual negations that deny the customer nothing
(这项检查不用空腹), yes/no answers (不会的 / 没有的), limitations followed by a concrete way forward, stated
timeframes instead of guarantees, short everyday replies, reassurance with 不/没/别, and e-commerce chat
style (亲/哦/~). They only help if they are new: a reply whose split key equals, or nearly equals, a row of
another corpus file would put a held-out sentence's twin into training (docs/phrase_corpus.md). The checks
are shared with the other corpus files' tests (tests/corpus_file.py)."""
from __future__ import annotations

import re

from corpus_file import CorpusFile, bigram_close, mislabelled, near_variants, not_new, rows_loaded, shares_outside

NAME = "phrase_corpus_polite_e.csv"
FILE = CorpusFile(NAME)

# a bare limitation: 不能 / 无法 / 没法 / 没办法 / 暂时不 / …不了 (办不了, 改不了, 开不了)
LIMIT = re.compile(r"不能|无法|無法|没法|沒法|没办法|沒辦法|暂时不|暫時不|不支持|不支援|[办辦改开開退修撤调調取]不了")
CLAUSE = re.compile(r"[，,。；;！？!? ]+")
COURTESY = ("您好", "谢谢", "謝謝", "感谢", "感謝")
# (at least, at most) share of the rows in each form
FORMS = {"繁體": (0.15, 0.30), "chat": (0.15, 0.25), "several sentences": (0.12, 0.25), "bare ending": (0.18, 0.35)}


def test_every_row_is_polite_and_loads():
    assert not (bad := mislabelled(FILE.rows, "polite")), bad
    # the loader accepts every row (schema module)
    assert 750 <= len(FILE.rows) == rows_loaded(NAME)


def test_no_reply_repeats_or_nearly_repeats_another():
    assert not (bad := not_new(FILE.texts, FILE.other_keys)), bad
    assert not (near := near_variants(FILE.texts, FILE.other_keys)), near[:5]


def test_no_row_shares_half_its_bigrams_with_another_file():
    # the stricter reading of docs/phrase_corpus.md: short variants (您慢慢讲 next to 您慢慢说) pass difflib 0.8
    assert not (close := bigram_close(FILE.texts, FILE.other_keys)), close[:5]


def test_no_near_twin_inside_the_file():
    # a 繁體 or one-word variant of a row of this file would leak across the hash split just as well
    assert not (twins := near_variants(FILE.texts)), twins[:5]
    assert not (halves := bigram_close(FILE.texts)), halves[:5]


def test_forms_traditional_chat_short_punctuation_and_several_sentences():
    texts, n = FILE.texts, len(FILE.texts)
    assert not (off := shares_outside(texts, FORMS, finals="。！？!?~～…")), off
    assert 0.10 * n <= len(short := [t for t in texts if len(t) <= 8]) <= 0.20 * n, len(short)
    lengths = [len(t) for t in texts]
    assert min(lengths) >= 2 and max(lengths) <= 80
    assert sum(k >= 40 for k in lengths) >= 10


def test_family_mix_and_courtesy_rationed():
    texts, n = FILE.texts, len(FILE.texts)
    # the point of the file: negations and limitations, not courtesy words
    negated = [t for t in texts if re.search(r"[不没沒别別无無]", t)]
    assert len(negated) >= 0.5 * n, len(negated)
    limits = [t for t in texts if LIMIT.search(t)]
    assert len(limits) >= 0.12 * n, len(limits)
    # a bare refusal is one clause: every stated limitation comes with a reason or a way forward
    assert not [t for t in limits if len([c for c in CLAUSE.split(t) if len(c) >= 2]) < 2]
    assert sum(any(w in t for w in COURTESY) for t in texts) <= 0.05 * n
    answers = [t for t in texts if re.match(r"(不会|不會|没有|沒有|不用|不需要|是的|对的|對的|会的|可以的)", t)]
    assert len(answers) >= 40, len(answers)
