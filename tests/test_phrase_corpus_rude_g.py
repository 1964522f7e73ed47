"""seeds/phrase_corpus_rude_g.csv (issue 15): after-the-fact blame, polite buck-passing, impatience, defiance
and contempt for the learned judge.

Same contract as rude_e (tests/test_phrase_corpus_rude_e.py, docs/phrase_corpus.md): every row forbidden in a
phrasebook category, no respelling or near variant of a reply in another corpus file (a variant of a held-out
sentence in training would leak it), no opening sentence that is only a greeting (the judge trains on whole rows
but scores sentence by sentence), the category mix and forms the file was written for, and courtesy clothing
(您放心 / 谢谢 / 请 openings and endings) rationed so the model learns the rudeness, not the clothing."""
from __future__ import annotations

import difflib
from collections import Counter

import pytest
from opencc import OpenCC

from kefu.phrases import checker
from kefu.phrases.corpus import load_corpus, split_key
from kefu.phrases.judge import sentences
from kefu.seeds import load

from corpus_file import keys_of_other_files, read_rows

NAME = "phrase_corpus_rude_g.csv"
# share of the file each category was written for (the families the model missed in training-split CV)
MIX = {"教训": 0.25, "推诿": 0.21, "烦躁": 0.16, "斗气": 0.14, "蔑视": 0.11, "负面语言": 0.065, "否定": 0.065}
CHAT_MARKS = ("亲", "親", "哦", "喔", "哈", "~", "～", " ")
COURTESY_OPEN = ("您放心", "请放心", "請放心", "放心", "谢谢", "謝謝", "请", "請")
COURTESY_END = ("谢谢", "謝謝", "放心", "请", "請")


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return read_rows(NAME)


@pytest.fixture(scope="module")
def keys(rows) -> list[str]:
    return [split_key(r["text"]) for r in rows]


def test_every_row_is_forbidden_in_the_mix_it_was_written_for(rows):
    assert set(MIX) == set(load("phrasebook.yml").categories) - {"不规范"}
    per_category = Counter(r["category"] for r in rows)
    assert {r["label"] for r in rows} == {"forbidden"}
    assert set(per_category) == set(MIX), per_category
    assert 750 <= len(rows) <= 900, len(rows)
    for category, share in MIX.items():
        assert abs(per_category[category] / len(rows) - share) <= 0.03, (category, per_category[category])
    assert sum(s.origin.startswith(NAME + ":") for s in load_corpus()) == len(rows)


def test_no_reply_repeats_a_reply_of_this_or_another_file(rows, keys):
    assert all(keys)
    assert not [k for k, n in Counter(keys).items() if n > 1]
    others = set(keys_of_other_files(NAME))
    assert not [r["text"] for r, k in zip(rows, keys) if k in others]


def test_no_reply_is_a_near_variant_of_another_files_reply(rows, keys):
    by_length: dict[int, list[str]] = {}
    for other in set(keys_of_other_files(NAME)):
        by_length.setdefault(len(other), []).append(other)
    close = []
    for text, key in zip((r["text"] for r in rows), keys):
        sm = difflib.SequenceMatcher(None, "", key, autojunk=False)  # b (cached) = this file's key
        # ratio >= 0.8 needs the shorter key to be at least 2/3 of the longer one
        lengths = range(max(1, -(-2 * len(key) // 3)), 3 * len(key) // 2 + 1)
        for other in (o for n in lengths for o in by_length.get(n, ())):
            sm.set_seq1(other)
            if sm.quick_ratio() >= 0.8 and sm.ratio() >= 0.8:
                close.append((text, other))
                break
    assert not close, close


def test_forms_traditional_chat_several_sentences_punctuation_and_lengths(rows):
    ck, t2s = checker(), OpenCC("t2s")
    texts = [r["text"] for r in rows]
    traditional = [t for t in texts if t2s.convert(t) != t]
    chat = [t for t in texts if any(m in t for m in CHAT_MARKS) or any(ord(ch) >= 0x1F300 for ch in t)]
    multi = [t for t in texts if len(sentences(ck.norm(t).text)) >= 2]
    bare = [t for t in texts if t[-1] not in "。！？!?.…" and ord(t[-1]) < 0x1F300]
    assert 0.17 <= len(traditional) / len(texts) <= 0.25, len(traditional)
    assert 0.14 <= len(chat) / len(texts) <= 0.22, len(chat)
    assert 0.08 <= len(multi) / len(texts) <= 0.15, len(multi)
    assert 0.20 <= len(bare) / len(texts) <= 0.32, len(bare)
    lengths = [len(t) for t in texts]
    assert min(lengths) >= 3 and max(lengths) <= 70
    assert sum(n >= 40 for n in lengths) >= 10


def test_courtesy_clothing_is_rationed(rows):
    texts = [r["text"] for r in rows]
    clothed = [t for t in texts if t.startswith(COURTESY_OPEN) or t.rstrip("。！!.~～ ").endswith(COURTESY_END)]
    assert len(clothed) <= len(texts) / 3, len(clothed)


def test_no_row_opens_with_a_sentence_that_is_only_a_greeting(rows):
    ck = checker()
    bad = []
    for r in rows:
        n = ck.norm(r["text"]).text
        spans = sentences(n)
        if len(spans) >= 2 and n[spans[0][0]:spans[0][1]].strip(" .!?;,~") in {
                "您好", "你好", "亲", "谢谢", "非常抱歉", "抱歉", "不好意思", "好的", "收到", "在的", "在呢"}:
            bad.append(r["text"])
    assert not bad, bad
