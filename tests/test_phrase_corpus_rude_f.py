"""seeds/phrase_corpus_rude_f.csv (issue 15): forbidden replies weighted towards the families the model
misses in cross-validation (flat refusals without a way forward, over-promising and chat slang).

Same contract as rude_d / rude_e (docs/phrase_corpus.md): every row forbidden in a phrasebook category, the
category mix the file was written for, no respelling of a reply in another corpus file and no near variant
of one (a variant of a held-out sentence in training would leak it), no opening sentence that is only a
greeting (the judge trains on whole rows but scores sentence by sentence), and the forms it was written in."""
from __future__ import annotations

import difflib
from collections import Counter

import opencc
import pytest

from kefu.phrases import checker
from kefu.phrases.corpus import load_corpus, split_key
from kefu.phrases.judge import sentences
from kefu.seeds import load

from corpus_file import keys_of_other_files, read_rows

NAME = "phrase_corpus_rude_f.csv"
# the mix the file was written for: (at least, at most) rows per category
MIX = {"否定": (230, 320), "不规范": (160, 240), "教训": (80, 130), "推诿": (75, 120),
       "斗气": (50, 90), "烦躁": (40, 75), "蔑视": (25, 50), "负面语言": (18, 45)}
CHAT = ("亲", "親", "哦", "喔", "哈", "~", "～", " ")
GREETINGS = {"您好", "你好", "亲", "親", "谢谢", "非常抱歉", "抱歉", "不好意思", "好的", "收到"}
COURTESY_EDGES = ("您放心", "请放心", "請放心", "请", "請", "谢谢", "謝謝")


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return read_rows(NAME)


@pytest.fixture(scope="module")
def keys(rows) -> list[str]:
    return [split_key(r["text"]) for r in rows]


def test_every_row_is_forbidden_and_the_mix_holds(rows):
    categories = set(load("phrasebook.yml").categories)
    per_category = Counter(r["category"] for r in rows)
    assert {r["label"] for r in rows} == {"forbidden"}
    assert set(per_category) == categories == set(MIX)
    assert {c: n for c, n in per_category.items() if not MIX[c][0] <= n <= MIX[c][1]} == {}, per_category
    assert 750 <= len(rows) <= 950
    assert sum(s.origin.startswith(NAME + ":") for s in load_corpus()) == len(rows)


def test_no_reply_repeats_another_after_normalisation(rows, keys):
    assert all(keys)
    assert not [k for k, n in Counter(keys).items() if n > 1]
    others = set(keys_of_other_files(NAME))
    assert not [r["text"] for r, k in zip(rows, keys) if k in others]


def test_no_reply_is_a_near_variant_of_another_file(rows, keys):
    others = sorted(set(keys_of_other_files(NAME)))
    near = []
    for r, k in zip(rows, keys):
        for o in others:
            sm = difflib.SequenceMatcher(None, k, o)
            if sm.real_quick_ratio() >= 0.8 and sm.quick_ratio() >= 0.8 and sm.ratio() >= 0.8:
                near.append((r["text"], o))
                break
    assert not near, near[:10]


def test_no_reply_shares_half_its_character_bigrams_with_another_file(rows, keys):
    # docs/phrase_corpus.md: rows at bigram Jaccard >= 0.5 to an existing row are read for variants;
    # this file dropped all of them instead
    def bigrams(k: str) -> set[str]:
        return {k[i:i + 2] for i in range(len(k) - 1)} or {k}

    others = [bigrams(o) for o in set(keys_of_other_files(NAME))]
    close = [r["text"] for r, k in zip(rows, keys)
             if any(len(b & o) >= 0.5 * len(b | o) for b in [bigrams(k)] for o in others)]
    assert not close, close[:10]


def test_forms_traditional_chat_punctuation_sentences_and_lengths(rows):
    ck = checker()
    texts = [r["text"] for r in rows]
    # a row is 繁體 when converting it to simplified changes it (the normaliser's own output is not
    # aligned with the raw text once it drops spaces or emoji, so it is not compared here)
    to_simplified = opencc.OpenCC("t2s").convert
    traditional = [t for t in texts if to_simplified(t) != t]
    chat = [t for t in texts if any(m in t for m in CHAT) or any(ord(ch) >= 0x1F300 for ch in t)]
    bare_end = [t for t in texts if t[-1] not in "。！？!?.…~～" and not (0x2600 <= ord(t[-1]) <= 0x27BF or ord(t[-1]) >= 0x1F300)]
    multi = [t for t in texts if len(sentences(ck.norm(t).text)) >= 2]
    n = len(texts)
    assert 0.17 * n <= len(traditional) <= 0.28 * n, len(traditional)
    assert 0.14 * n <= len(chat) <= 0.22 * n, len(chat)
    assert 0.18 * n <= len(bare_end) <= 0.32 * n, len(bare_end)
    assert 0.07 * n <= len(multi) <= 0.15 * n, len(multi)
    assert min(map(len, texts)) >= 3 and max(map(len, texts)) <= 70
    assert sum(len(t) >= 40 for t in texts) >= 15


def test_courtesy_clothing_is_rationed(rows):
    texts = [r["text"].rstrip("。！？!?.~～ ") for r in rows]
    clothed = [t for t in texts if t.startswith(COURTESY_EDGES) or t.endswith(("谢谢", "謝謝"))]
    assert len(clothed) <= len(texts) / 3


def test_no_row_opens_with_a_sentence_that_is_only_a_greeting(rows):
    ck = checker()
    bad = []
    for r in rows:
        n = ck.norm(r["text"]).text
        spans = sentences(n)
        if len(spans) >= 2 and n[spans[0][0]:spans[0][1]].strip(" .!?;,~") in GREETINGS:
            bad.append(r["text"])
    assert not bad, bad
