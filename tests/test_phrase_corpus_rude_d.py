"""seeds/phrase_corpus_rude_d.csv (issue 15): new forbidden replies for the learned judge.

The file only helps generalisation if its replies are new: a reply whose normalised split key
(traditional → simplified, punctuation, spaces and emoji dropped) equals one in another corpus
file is a respelling, and would put a held-out sentence's twin into training. A forbidden row
whose opening sentence is a bare greeting would teach that greeting as rude, because the judge
scores sentence by sentence but trains on whole rows (docs/phrase_corpus.md)."""
from __future__ import annotations

from collections import Counter

import pytest

from kefu.phrases import checker
from kefu.phrases.corpus import load_corpus, split_key
from kefu.phrases.judge import sentences
from kefu.seeds import load

from corpus_file import keys_of_other_files, read_rows

NAME = "phrase_corpus_rude_d.csv"


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return read_rows(NAME)


def test_every_row_is_forbidden_in_a_phrasebook_category(rows):
    categories = set(load("phrasebook.yml").categories)
    per_category = Counter(r["category"] for r in rows)
    assert {r["label"] for r in rows} == {"forbidden"}
    assert set(per_category) == categories
    assert min(per_category.values()) >= 50, per_category
    # the loader accepts the file (schema module, categories checked against the phrasebook)
    assert sum(s.origin.startswith(NAME + ":") for s in load_corpus()) == len(rows)


def test_no_reply_repeats_another_after_normalisation(rows):
    keys = [split_key(r["text"]) for r in rows]
    assert all(keys), [r["text"] for r, k in zip(rows, keys) if not k]
    repeated_here = [k for k, n in Counter(keys).items() if n > 1]
    assert not repeated_here, repeated_here
    others = set(keys_of_other_files(NAME))
    clash = [r["text"] for r, k in zip(rows, keys) if k in others]
    assert not clash, clash


def test_forms_traditional_chat_and_several_sentences(rows):
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


def test_no_row_opens_with_a_sentence_that_is_only_a_greeting(rows):
    ck = checker()
    greeting_only = []
    for r in rows:
        n = ck.norm(r["text"]).text
        spans = sentences(n)
        if len(spans) >= 2:
            first = n[spans[0][0]:spans[0][1]].strip(" .!?;,")
            if first in {"您好", "你好", "谢谢", "非常抱歉", "抱歉", "不好意思", "好的", "收到"}:
                greeting_only.append(r["text"])
    assert not greeting_only, greeting_only
