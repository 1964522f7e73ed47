"""seeds/phrase_corpus_polite_e.csv (issue 15): polite hard negatives for the learned judge, set E.

Acceptable replies with the surface of forbidden ones: factual negations that deny the customer nothing
(这项检查不用空腹), yes/no answers (不会的 / 没有的), limitations followed by a concrete way forward, stated
timeframes instead of guarantees, short everyday replies, reassurance with 不/没/别, and e-commerce chat
style (亲/哦/~). They only help if they are new: a reply whose split key equals, or nearly equals, a row of
another corpus file would put a held-out sentence's twin into training (docs/phrase_corpus.md). The checks
are shared with the other corpus files' tests (tests/corpus_file.py)."""
from __future__ import annotations

import re

import pytest

from corpus_file import (bigram_close, chat, in_others, keyless, keys_of_other_files, near_variants, read_rows,
                         repeats, rows_loaded, several_sentences, traditional, unended)

NAME = "phrase_corpus_polite_e.csv"

# a bare limitation: 不能 / 无法 / 没法 / 没办法 / 暂时不 / …不了 (办不了, 改不了, 开不了)
LIMIT = re.compile(r"不能|无法|無法|没法|沒法|没办法|沒辦法|暂时不|暫時不|不支持|不支援|[办辦改开開退修撤调調取]不了")
CLAUSE = re.compile(r"[，,。；;！？!? ]+")
COURTESY = ("您好", "谢谢", "謝謝", "感谢", "感謝")


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return read_rows(NAME)


@pytest.fixture(scope="module")
def texts(rows) -> list[str]:
    return [r["text"] for r in rows]


@pytest.fixture(scope="module")
def other_keys() -> list[str]:
    return keys_of_other_files(NAME)


def test_every_row_is_polite_and_loads(rows):
    assert len(rows) >= 750
    assert {r["label"] for r in rows} == {"polite"}
    assert not any(r["category"] for r in rows)
    assert rows_loaded(NAME) == len(rows)


def test_no_reply_repeats_or_nearly_repeats_another(texts, other_keys):
    assert not (bad := keyless(texts)), bad
    assert not (bad := repeats(texts)), bad
    assert not (bad := in_others(texts, other_keys)), bad
    assert not (near := near_variants(texts, other_keys)), near[:5]


def test_no_row_shares_half_its_bigrams_with_another_file(texts, other_keys):
    # the stricter reading of docs/phrase_corpus.md: short variants (您慢慢讲 next to 您慢慢说) pass difflib 0.8
    assert not (close := bigram_close(texts, other_keys)), close[:5]


def test_no_near_twin_inside_the_file(texts):
    # a 繁體 or one-word variant of a row of this file would leak across the hash split just as well
    assert not (twins := near_variants(texts)), twins[:5]
    assert not (halves := bigram_close(texts)), halves[:5]


def test_forms_traditional_chat_short_punctuation_and_several_sentences(texts):
    n = len(texts)
    assert 0.15 * n <= len(trad := traditional(texts)) <= 0.30 * n, len(trad)
    assert 0.15 * n <= len(chatty := chat(texts)) <= 0.25 * n, len(chatty)
    assert 0.12 * n <= len(multi := several_sentences(texts)) <= 0.25 * n, len(multi)
    assert 0.18 * n <= len(bare := unended(texts, "。！？!?~～…")) <= 0.35 * n, len(bare)
    assert 0.10 * n <= len(short := [t for t in texts if len(t) <= 8]) <= 0.20 * n, len(short)
    lengths = [len(t) for t in texts]
    assert min(lengths) >= 2 and max(lengths) <= 80
    assert sum(k >= 40 for k in lengths) >= 10


def test_family_mix_and_courtesy_rationed(texts):
    n = len(texts)
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
