"""seeds/phrase_corpus_polite_e.csv (issue 15): polite hard negatives for the learned judge, set E.

Acceptable replies with the surface of forbidden ones: factual negations that deny the customer nothing
(这项检查不用空腹), yes/no answers (不会的 / 没有的), limitations followed by a concrete way forward, stated
timeframes instead of guarantees, short everyday replies, reassurance with 不/没/别, and e-commerce chat
style (亲/哦/~). They only help if they are new: a reply whose split key equals, or nearly equals, a row of
another corpus file would put a held-out sentence's twin into training (docs/phrase_corpus.md)."""
from __future__ import annotations

import difflib
import re
from collections import Counter

import pytest

from kefu.phrases import checker
from kefu.phrases.corpus import load_corpus, split_key
from kefu.phrases.judge import sentences

from corpus_file import keys_of_other_files, read_rows

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
    assert sum(s.origin.startswith(NAME + ":") for s in load_corpus()) == len(rows)


def test_no_reply_repeats_or_nearly_repeats_another(rows, other_keys):
    keys = [split_key(r["text"]) for r in rows]
    assert all(keys), [r["text"] for r, k in zip(rows, keys) if not k]
    repeated_here = [k for k, n in Counter(keys).items() if n > 1]
    assert not repeated_here, repeated_here
    others = set(other_keys)
    assert not [r["text"] for r, k in zip(rows, keys) if k in others]
    near = [(r["text"], m[0]) for r, k in zip(rows, keys)
            if (m := difflib.get_close_matches(k, other_keys, n=1, cutoff=0.8))]
    assert not near, near[:5]


def _bigrams(key: str) -> set[str]:
    return {key[i:i + 2] for i in range(len(key) - 1)} or {key}


def test_no_row_shares_half_its_bigrams_with_another_file(rows, other_keys):
    # the stricter reading of docs/phrase_corpus.md: short variants (您慢慢讲 next to 您慢慢说) pass difflib 0.8
    others = [_bigrams(k) for k in set(other_keys)]
    mine = [(r["text"], _bigrams(split_key(r["text"]))) for r in rows]
    close = [t for t, b in mine if any(len(b & o) >= 0.5 * len(b | o) for o in others)]
    assert not close, close[:5]


def test_no_near_twin_inside_the_file(rows):
    # a 繁體 or one-word variant of a row of this file would leak across the hash split just as well
    keys = [split_key(r["text"]) for r in rows]
    twins = [(a, b) for i, a in enumerate(keys) for b in keys[i + 1:]
             if abs(len(a) - len(b)) <= 0.25 * max(len(a), len(b))
             and difflib.SequenceMatcher(None, a, b).ratio() >= 0.8]
    assert not twins, twins[:5]
    grams = [_bigrams(k) for k in keys]
    halves = [(keys[i], keys[j]) for i in range(len(keys)) for j in range(i + 1, len(keys))
              if len(grams[i] & grams[j]) >= 0.5 * len(grams[i] | grams[j])]
    assert not halves, halves[:5]


def test_forms_traditional_chat_short_punctuation_and_several_sentences(texts):
    ck = checker()
    n = len(texts)
    # character by character: normalising a whole reply drops spaces and would shift a zip
    traditional = [t for t in texts if any(
        ck.norm(ch).text != ch for ch in t if "\u4e00" <= ch <= "\u9fff")]
    chat = [t for t in texts if any(m in t for m in ("亲", "親", "哦", "喔", "哈", "~", "～", " "))
            or any(ord(ch) >= 0x1F300 for ch in t)]
    multi = [t for t in texts if len(sentences(ck.norm(t).text)) >= 2]
    bare = [t for t in texts if t[-1] not in "。！？!?~～…" and ord(t[-1]) < 0x1F300]
    short = [t for t in texts if len(t) <= 8]
    assert 0.15 * n <= len(traditional) <= 0.30 * n, len(traditional)
    assert 0.15 * n <= len(chat) <= 0.25 * n, len(chat)
    assert 0.12 * n <= len(multi) <= 0.25 * n, len(multi)
    assert 0.18 * n <= len(bare) <= 0.35 * n, len(bare)
    assert 0.10 * n <= len(short) <= 0.20 * n, len(short)
    lengths = [len(t) for t in texts]
    assert min(lengths) >= 2 and max(lengths) <= 80
    assert sum(n >= 40 for n in lengths) >= 10


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
