"""seeds/phrase_corpus_polite_h.csv (issue 15): polite replies that share the surface of forbidden ones.

Four families of hard negatives, on objects and in industries the earlier polite files (c, e, g) cover less
(gyms, travel agencies, ticketing, software and apps, rental, education platforms, besides the usual ones):
factual statements with 不/没/无/别 that deny the customer nothing (退订之后云盘里的照片不会删除) and yes/no
answers to a worried customer (不会的，… / 没有扣费，…); limitations with a reason for the customer's sake or a
concrete way forward, often the limitation in one sentence and the way forward in the next; grounded
commitments (一般…内 / 预计… / 如有延迟…, and promises the agent can keep: 我今天下班前一定给您回电话); and
reassurance or responsibility taken with 不/没/别 (不是您操作失误，是扣款接口重复发了一次).
They only help generalisation if they are new: a reply whose normalised split key equals, or nearly equals, a
row of another corpus file (or another row of this file, e.g. its 繁體 twin) would put a held-out sentence's
twin into training (docs/phrase_corpus.md). The checks are shared with the other corpus files' tests
(tests/corpus_file.py)."""
from __future__ import annotations

import re

from corpus_file import CorpusFile, mislabelled, newness_problems, rows_loaded, shares_outside

NAME = "phrase_corpus_polite_h.csv"
FILE = CorpusFile(NAME)

NEGATION = re.compile(r"[不没沒无無非别別唔冇]")
TIMING = re.compile(r"一般|通常|预计|預計|大约|大約|大概|工作日|工作天|左右|小时内|小時內|天内|天內|之内|之內|前")
WAY_FORWARD = re.compile(r"我(帮|幫|给|給|把|先|现在|現在|马上|馬上|去|问|問|请|請|来|來|们|們|约|約|这|這)|您可以|可以|不过|不過|还有|還有")
# (at least, at most) share of the rows in each form
FORMS = {"繁體": (0.15, 0.3), "chat": (0.13, 0.3), "several sentences": (0.10, 0.25),
         "bare ending": (0.20, 0.33)}
FINALS = "。！？!?.…～~"


def test_every_row_is_polite_and_loads():
    rows = FILE.rows
    assert len(rows) >= 550
    assert not (bad := mislabelled(rows, "polite")), bad
    assert rows_loaded(NAME) == len(rows)


def test_every_reply_is_new():
    # a respelling or near variant of a held-out row in training would leak it (docs/phrase_corpus.md)
    assert not (bad := newness_problems(FILE.texts, FILE.other_keys)), bad


def test_forms_traditional_chat_punctuation_lengths_and_several_sentences():
    texts = FILE.texts
    assert not (off := shares_outside(texts, FORMS, FINALS)), off
    lengths = [len(t) for t in texts]
    assert min(lengths) >= 3 and max(lengths) <= 70
    assert sum(k <= 10 for k in lengths) >= 20 and sum(k >= 30 for k in lengths) >= 60


def test_family_mix_is_roughly_held():
    texts = FILE.texts
    n = len(texts)
    negated = [t for t in texts if NEGATION.search(t)]
    timed = [t for t in texts if TIMING.search(t)]
    limited = [t for t in negated if WAY_FORWARD.search(t) and not TIMING.search(t)]
    assert len(negated) >= 0.7 * n, len(negated)   # factual negations, limitations, reassurance
    assert len(timed) >= 0.12 * n, len(timed)      # grounded commitments
    assert len(limited) >= 0.25 * n, len(limited)  # limitation + way forward
