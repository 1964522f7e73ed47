"""seeds/phrase_corpus_polite_f.csv (issue 15): polite replies that share the surface of forbidden ones.

Seven families the model confused in cross-validation, on the polite side of the line: a cause explained
without blaming the customer (这次是地址不完整导致退回，我帮您改好), a hand-off the agent stays accountable for
(这需要厂家检测，我帮您提交，结果出来我联系您), patience with repeats and waiting (没关系，我再说一遍), firm
boundaries with respect (为了其他客户的安全，请您把烟熄灭), respectful explanations (很多客户第一次都会问这个),
the agent's role stated before helping (我是负责售后的，我帮您记录并转给…) and short everyday replies.
They only help generalisation if they are new: a reply whose split key equals, or nearly equals, a row of
another corpus file would put a held-out sentence's twin into training (docs/phrase_corpus.md). The checks
are shared with the other corpus files' tests (tests/corpus_file.py)."""
from __future__ import annotations

import re

import pytest

from corpus_file import (chat, in_others, keyless, keys_of_other_files, near_variants, read_rows, repeats,
                         rows_loaded, several_sentences, traditional, unended)

NAME = "phrase_corpus_polite_f.csv"
FINAL = "。！？!?.…～~）)」”"


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return read_rows(NAME)


@pytest.fixture(scope="module")
def texts(rows) -> list[str]:
    return [r["text"] for r in rows]


def test_every_row_is_polite_and_loads(rows):
    assert 750 <= len(rows) <= 900
    assert {r["label"] for r in rows} == {"polite"}
    assert not any(r["category"] for r in rows)
    assert rows_loaded(NAME) == len(rows)


def test_no_reply_repeats_or_nearly_repeats_another(texts):
    other_keys = keys_of_other_files(NAME)
    assert not (bad := keyless(texts)), bad
    assert not (bad := repeats(texts)), bad
    assert not (bad := in_others(texts, other_keys)), bad
    assert not (near := near_variants(texts, other_keys)), near[:5]


def test_no_reply_nearly_repeats_another_of_this_file(texts):
    # a simplified line and its own 繁體 respelling would be one sentence counted twice
    assert not (near := near_variants(texts)), near[:5]


def test_no_casual_or_borderline_markers(texts):
    # lines a strict supervisor could not pass with confidence (docs/phrase_corpus.md)
    markers = ("好嘞", "好滴", "宝子", "亲亲", "消消气", "哈哈", "稍安勿躁", "我保证", "保证能", "保證能", "包您", "最后一遍")
    assert not [t for t in texts if any(m in t for m in markers)]


def test_forms_traditional_chat_punctuation_lengths_and_several_sentences(texts):
    n = len(texts)
    assert 0.17 <= len(trad := traditional(texts)) / n <= 0.25, len(trad)
    assert 0.14 <= len(chatty := chat(texts)) / n <= 0.22, len(chatty)
    assert 0.12 <= len(multi := several_sentences(texts)) / n <= 0.20, len(multi)
    assert 0.20 <= len(bare := unended(texts, FINAL)) / n <= 0.32, len(bare)
    lengths = [len(t) for t in texts]
    assert min(lengths) >= 2 and max(lengths) <= 80
    assert sum(k <= 8 for k in lengths) >= 60 and sum(k >= 40 for k in lengths) >= 30


def test_family_mix_roughly_held(texts):
    # cheap surface markers, one per family; each counts far fewer rows than the family has
    families = {
        "role stated, then help": (r"^(亲|親)?[，,~～ ]*我(是|係)", 70),
        "cause without blame": (r"(是因为|是因為|係因為|导致|造成|原因|下次|以后|以後)", 60),
        "hand-off kept": (r"(需要|要由|得由|归|歸|属于|屬於|转给|轉給|转到|轉到|转办|联系了|聯絡)", 100),
        "patience": (r"(稍等|稍候|再说|再讲|再講|再說|慢慢|久等|一遍|重复|还在|還在|考虑|考慮|不着急|不急)", 60),
        "boundary": (r"(为了|為了|规定|規定|请勿|請勿|禁止|谢谢配合|謝謝配合)", 40),
        "explanation": (r"(很多|不少|第一次|步骤|步驟|一步|容易|打个比方|简单说|簡單|看不懂|的意思)", 40),
    }
    counts = {name: sum(bool(re.search(p, t)) for t in texts) for name, (p, _) in families.items()}
    assert all(counts[name] >= least for name, (_, least) in families.items()), counts
    assert 60 <= sum(len(t) <= 8 for t in texts) <= 120
