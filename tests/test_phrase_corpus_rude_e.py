"""seeds/phrase_corpus_rude_e.csv (issue 15): rudeness in polite clothing for the learned judge.

Same contract as rude_d (tests/test_phrase_corpus_rude_d.py, docs/phrase_corpus.md): every row
forbidden in a phrasebook category, no respelling of a reply in another corpus file (a variant of a
held-out sentence in training would leak it), no opening sentence that is only a greeting (the judge
trains on whole rows but scores sentence by sentence), and the forms the brief asks for."""
from __future__ import annotations

from collections import Counter

import pytest

from kefu.phrases import checker
from kefu.phrases.corpus import load_corpus, split_key
from kefu.phrases.judge import sentences
from kefu.seeds import load

from corpus_file import keys_of_other_files, read_rows

NAME = "phrase_corpus_rude_e.csv"
# the courtesy words whose presence makes a row "rudeness in polite clothing"
COURTESY = ("您", "请", "請", "谢谢", "謝謝", "抱歉", "不好意思", "亲", "親", "麻烦", "麻煩")


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return read_rows(NAME)


def test_every_row_is_forbidden_and_every_category_has_fifty(rows):
    categories = set(load("phrasebook.yml").categories)
    per_category = Counter(r["category"] for r in rows)
    assert {r["label"] for r in rows} == {"forbidden"}
    assert set(per_category) == categories
    assert min(per_category.values()) >= 50, per_category
    assert len(rows) >= 600
    assert sum(s.origin.startswith(NAME + ":") for s in load_corpus()) == len(rows)


def test_most_rows_wear_polite_clothing(rows):
    polite_worded = [r for r in rows if any(w in r["text"] for w in COURTESY)]
    assert len(polite_worded) >= 0.8 * len(rows)


def test_no_reply_repeats_another_after_normalisation(rows):
    keys = [split_key(r["text"]) for r in rows]
    assert all(keys)
    assert not [k for k, n in Counter(keys).items() if n > 1]
    others = set(keys_of_other_files(NAME))
    assert not [r["text"] for r, k in zip(rows, keys) if k in others]


def test_forms_traditional_chat_several_sentences_and_lengths(rows):
    ck = checker()
    texts = [r["text"] for r in rows]
    # character by character: normalising a whole reply drops spaces and would shift a zip of the two
    traditional = [t for t in texts if any(
        ck.norm(ch).text != ch for ch in t if "\u4e00" <= ch <= "\u9fff")]
    chat = [t for t in texts if any(m in t for m in ("亲", "親", "哦", "喔", "哈", "~", "～", " "))
            or any(ord(ch) >= 0x1F300 for ch in t)]
    multi = [t for t in texts if len(sentences(ck.norm(t).text)) >= 2]
    assert len(traditional) >= 0.15 * len(texts), len(traditional)
    assert len(chat) >= 0.15 * len(texts)
    assert len(multi) >= 20
    assert min(map(len, texts)) <= 5 and max(map(len, texts)) >= 40


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
