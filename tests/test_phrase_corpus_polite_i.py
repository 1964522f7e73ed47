"""seeds/phrase_corpus_polite_i.csv (issue 15): polite replies with the surface of blame, impatience, refusal,
promise and chat.

Six families of hard negatives, each with an acceptable meaning: polite chat-style shop and app support (亲 … 哦 ～,
emoji, spaces) with a real answer; a cause explained without blame plus what happens next, or kind advice for next
time with an offer; a firm boundary with a reason or an offer (为了您的安全，…，我帮您…); a hand-off done properly
(the right party with exact contact, or the agent transfers and follows up); patience with repeats, waiting and
anger; the customer's words quoted back to confirm (您是说“退不了”是吧？…). They only help generalisation if they are
new: a reply whose split key equals, or nearly equals, a row of another corpus file (or another row of this file,
e.g. its 繁體 twin) would put a held-out sentence's twin into training (docs/phrase_corpus.md). The checks are
shared with the other corpus files' tests (tests/corpus_file.py)."""
from __future__ import annotations

import re

from corpus_file import CorpusFile, mislabelled, newness_problems, rows_loaded, shares_outside

NAME = "phrase_corpus_polite_i.csv"
FILE = CorpusFile(NAME)
FINALS = "。！？!?.…～~"

# (at least, at most) share of the rows in each form; chat is this file's largest family
FORMS = {"繁體": (0.15, 0.3), "chat": (0.2, 0.4), "several sentences": (0.07, 0.2), "bare ending": (0.2, 0.33)}

QUOTED = re.compile(r"[“「][^”」]+[”」]")
WAY_FORWARD = re.compile(r"我(们|們|哋)?(这边|這邊|这就|這就|马上|馬上|现在|現在|先|来|來|帮|幫|给|給|把|去|再|会|會|请|請|陪|带|帶|教|已经|已經|直接|转|轉|一步|问|問)|"
                         r"您可以|可以|不过|不過|但|就行|就好|就可以|随时|隨時")
BOUNDARY = re.compile(r"为了|為了|為咗|规定|規定|不能|不可以|唔可以|只能|必须|必須|不接受|不收")
ADDRESS = re.compile(r"宝贝|寶貝|亲爱的|親愛的|老铁|老鐵|美女|帅哥|帥哥|家人们|好嘞|好滴|哈哈")


def test_every_row_is_polite_and_loads():
    rows = FILE.rows
    assert len(rows) >= 500
    assert not (bad := mislabelled(rows, "polite")), bad
    assert rows_loaded(NAME) == len(rows)


def test_every_reply_is_new():
    # a respelling or near variant of a held-out row in training would leak it (docs/phrase_corpus.md)
    assert not (bad := newness_problems(FILE.texts, FILE.other_keys)), bad


def test_forms_traditional_chat_punctuation_lengths_and_several_sentences():
    texts = FILE.texts
    assert not (off := shares_outside(texts, FORMS, FINALS)), off
    lengths = [len(t) for t in texts]
    assert min(lengths) >= 2 and max(lengths) <= 80
    assert sum(k <= 10 for k in lengths) >= 20 and sum(k >= 30 for k in lengths) >= 100


def test_family_mix_is_roughly_held_and_no_house_style_slips_in():
    texts = FILE.texts
    n = len(texts)
    quoted = [t for t in texts if QUOTED.search(t)]
    forward = [t for t in texts if WAY_FORWARD.search(t)]
    bounded = [t for t in texts if BOUNDARY.search(t) and WAY_FORWARD.search(t)]
    assert len(quoted) >= 0.07 * n, len(quoted)       # the customer's words quoted back
    assert len(forward) >= 0.6 * n, len(forward)      # a way forward offered
    assert len(bounded) >= 0.12 * n, len(bounded)     # firm boundaries that still offer something
    assert not (slips := [t for t in texts if ADDRESS.search(t)]), slips
