"""seeds/phrase_corpus_rude_h.csv (issue 15): bare refusals (否定) and over-promising / house-style
violations (不规范) for the learned judge.

Same contract as rude_d and rude_e (docs/phrase_corpus.md): every row forbidden in one of the two
categories the file is about, no respelling or near variant of a reply in another corpus file (a
variant of a held-out sentence in training would leak it), no opening sentence that is only a
greeting (the judge trains on whole rows but scores sentence by sentence), and the forms the brief
asks for."""
from __future__ import annotations

import difflib
from collections import Counter

import pytest

from kefu.phrases import checker
from kefu.phrases.corpus import load_corpus, split_key
from kefu.phrases.judge import sentences

from corpus_file import keys_of_other_files, read_rows

NAME = "phrase_corpus_rude_h.csv"
CHAT_MARKERS = ("亲", "親", "哦", "喔", "哈", "~", "～", " ")
END_PUNCT = "。！？!?.…"


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return read_rows(NAME)


def test_every_row_is_forbidden_refusal_or_nonstandard_in_the_asked_mix(rows):
    per_category = Counter(r["category"] for r in rows)
    assert {r["label"] for r in rows} == {"forbidden"}
    assert set(per_category) == {"否定", "不规范"}
    assert len(rows) >= 500
    # brief: about 330 否定 to 220 不规范 (60 / 40)
    assert 0.52 <= per_category["否定"] / len(rows) <= 0.68, per_category
    assert sum(s.origin.startswith(NAME + ":") for s in load_corpus()) == len(rows)


def test_no_reply_repeats_another_after_normalisation(rows):
    keys = [split_key(r["text"]) for r in rows]
    assert all(keys)
    assert not [k for k, n in Counter(keys).items() if n > 1]
    others = set(keys_of_other_files(NAME))
    assert not [r["text"] for r, k in zip(rows, keys) if k in others]


def test_no_reply_is_a_near_variant_of_another_files_reply(rows):
    others = sorted({k for k in keys_of_other_files(NAME) if k})
    near = []
    for r in rows:
        k = split_key(r["text"])
        for o in others:
            m = difflib.SequenceMatcher(None, k, o)
            if m.real_quick_ratio() >= 0.8 and m.quick_ratio() >= 0.8 and m.ratio() >= 0.8:
                near.append((r["text"], o))
                break
    assert not near, near[:20]


def test_forms_traditional_chat_punctuation_sentences_and_lengths(rows):
    ck = checker()
    texts = [r["text"] for r in rows]
    # a row is 繁體 when converting it to simplified changes it (character by character: normalising a
    # whole reply drops spaces and would shift a zip of the two)
    traditional = [t for t in texts if any(
        ck.norm(ch).text != ch for ch in t if "\u4e00" <= ch <= "\u9fff")]
    chat = [t for t in texts if any(m in t for m in CHAT_MARKERS) or any(ord(ch) >= 0x1F300 for ch in t)]
    bare = [t for t in texts if t[-1] not in END_PUNCT]
    multi = [t for t in texts if len(sentences(ck.norm(t).text)) >= 2]
    n = len(texts)
    assert 0.17 <= len(traditional) / n <= 0.25, len(traditional)
    assert 0.14 <= len(chat) / n <= 0.22, len(chat)
    assert 0.20 <= len(bare) / n <= 0.33, len(bare)
    assert 0.08 <= len(multi) / n <= 0.15, len(multi)
    assert min(map(len, texts)) >= 3 and max(map(len, texts)) <= 70
    assert min(map(len, texts)) <= 5 and max(map(len, texts)) >= 40


def test_courtesy_clothing_is_rationed(rows):
    openings = ("您放心", "放心", "谢谢", "謝謝", "请", "請")
    endings = ("谢谢", "謝謝", "谢谢理解", "请回", "請回")
    clothed = [r["text"] for r in rows if r["text"].startswith(openings)
               or r["text"].rstrip("。！!~～ ").endswith(endings)]
    assert len(clothed) <= len(rows) / 3


def test_no_row_opens_with_a_sentence_that_is_only_a_greeting(rows):
    ck = checker()
    bad = []
    for r in rows:
        n = ck.norm(r["text"]).text
        spans = sentences(n)
        if len(spans) >= 2 and n[spans[0][0]:spans[0][1]].strip(" .!?;,") in {
                "您好", "你好", "亲", "谢谢", "非常抱歉", "抱歉", "不好意思", "好的", "收到"}:
            bad.append(r["text"])
    assert not bad, bad
