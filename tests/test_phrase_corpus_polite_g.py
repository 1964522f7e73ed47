"""seeds/phrase_corpus_polite_g.csv (issue 15): polite replies that share the surface of forbidden ones.

Three families of hard negatives: factual statements with 不/没/无/非 that deny the customer nothing
(这趟车不经停南站), limitations with a reason or a concrete way forward (…办不了，不过楼下…可以办), and
grounded commitments (一般两个工作日内审核完，有结果短信通知您) — the polite counterpart of over-promising.
They only help generalisation if they are new: a reply whose normalised split key equals, or nearly
equals, a row of another corpus file (or another row of this file, e.g. its 繁體 twin) would put a
held-out sentence's twin into training (docs/phrase_corpus.md)."""
from __future__ import annotations

import difflib
import re
from collections import Counter

import pytest

from kefu.phrases import checker
from kefu.phrases.corpus import load_corpus, split_key
from kefu.phrases.judge import sentences

from corpus_file import keys_of_other_files, read_rows

NAME = "phrase_corpus_polite_g.csv"

NEGATION = re.compile(r"[不没沒无無非唔冇]")
TIMING = re.compile(r"一般|通常|预计|預計|大约|大約|大概|工作日|工作天|左右|小时内|小時內|天内|天內|之内")
WAY_FORWARD = re.compile(r"我(帮|幫|给|給|把|先|现在|現在|马上|馬上|去|问|問|请|請)|您可以|不过|不過|但可以|还有|還有")
CHAT_MARKS = ("亲", "親", "哦", "喔", "哈", "~", "～", " ")


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return read_rows(NAME)


@pytest.fixture(scope="module")
def other_keys() -> list[str]:
    return keys_of_other_files(NAME)


def test_every_row_is_polite_and_loads(rows):
    assert len(rows) >= 450
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


def test_no_row_is_a_respelling_of_another_row_of_this_file(rows):
    # a 繁體 twin of a simplified row normalises to (nearly) the same key and would leak across the split
    keys = [split_key(r["text"]) for r in rows]
    twins = [(rows[i]["text"], rows[j]["text"]) for i in range(len(keys)) for j in range(i)
             if len(keys[i]) > 10 and difflib.SequenceMatcher(None, keys[i], keys[j]).ratio() >= 0.6]
    assert not twins, twins[:5]


def test_forms_traditional_chat_punctuation_lengths_and_several_sentences(rows):
    ck = checker()
    texts = [r["text"] for r in rows]
    n = len(texts)
    # character by character: normalising a whole reply drops spaces and would shift a zip
    traditional = [t for t in texts if any(
        ck.norm(ch).text != ch for ch in t if "\u4e00" <= ch <= "\u9fff")]
    chat = [t for t in texts if any(m in t for m in CHAT_MARKS) or any(ord(ch) >= 0x1F300 for ch in t)]
    multi = [t for t in texts if len(sentences(ck.norm(t).text)) >= 2]
    unpunctuated = [t for t in texts if t[-1] not in "。！？!?.…～~"]
    assert 0.15 * n <= len(traditional) <= 0.3 * n, len(traditional)
    assert 0.13 * n <= len(chat) <= 0.3 * n, len(chat)
    assert 0.10 * n <= len(multi) <= 0.25 * n, len(multi)
    assert 0.18 * n <= len(unpunctuated) <= 0.35 * n, len(unpunctuated)
    lengths = [len(t) for t in texts]
    assert min(lengths) >= 2 and max(lengths) <= 80
    assert sum(k <= 10 for k in lengths) >= 20 and sum(k >= 30 for k in lengths) >= 40


def test_family_mix_is_roughly_held(rows):
    texts = [r["text"] for r in rows]
    n = len(texts)
    negated = [t for t in texts if NEGATION.search(t)]
    timed = [t for t in texts if TIMING.search(t)]
    limited = [t for t in negated if WAY_FORWARD.search(t) and not TIMING.search(t)]
    assert len(negated) >= 0.6 * n, len(negated)   # factual negations and limitations
    assert len(timed) >= 0.15 * n, len(timed)      # grounded commitments
    assert len(limited) >= 0.15 * n, len(limited)  # limitation + way forward
