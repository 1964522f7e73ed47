"""seeds/phrase_corpus_polite_d.csv (issue 15): polite near-misses of rudeness for the learned judge.

The rows are acceptable replies that share the surface of forbidden ones (不能/无法/改不了,
一定/马上, 建议您…, 这个需要厂家…), so the model learns the contrast instead of "polite words = fine"
or "不 = rude". They only help generalisation if they are new: a reply whose normalised split key
equals, or nearly equals, a row of another corpus file would put a held-out sentence's twin into
training (docs/phrase_corpus.md)."""
from __future__ import annotations

import difflib
from collections import Counter

import pytest

from kefu.phrases import checker
from kefu.phrases.corpus import load_corpus, split_key
from kefu.phrases.judge import sentences

from corpus_file import keys_of_other_files, read_rows

NAME = "phrase_corpus_polite_d.csv"


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return read_rows(NAME)


@pytest.fixture(scope="module")
def other_keys() -> list[str]:
    return keys_of_other_files(NAME)


def test_every_row_is_polite_and_loads(rows):
    assert len(rows) >= 600
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


def test_forms_traditional_chat_lengths_and_several_sentences(rows):
    ck = checker()
    texts = [r["text"] for r in rows]
    # character by character: normalising a whole reply drops spaces and would shift a zip
    traditional = [t for t in texts if any(
        ck.norm(ch).text != ch for ch in t if "\u4e00" <= ch <= "\u9fff")]
    chat = [t for t in texts if any(m in t for m in ("亲", "親", "哦", "喔", "哈", "~", "～", " "))
            or any(ord(ch) >= 0x1F300 for ch in t)]
    multi = [t for t in texts if len(sentences(ck.norm(t).text)) >= 2]
    assert len(traditional) >= 0.15 * len(texts), len(traditional)
    assert len(chat) >= 0.15 * len(texts), len(chat)
    assert len(multi) >= 20, len(multi)
    lengths = [len(t) for t in texts]
    assert min(lengths) >= 4 and max(lengths) <= 80
    assert sum(n <= 10 for n in lengths) >= 10 and sum(n >= 40 for n in lengths) >= 10
