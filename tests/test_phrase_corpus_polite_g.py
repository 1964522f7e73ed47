"""seeds/phrase_corpus_polite_g.csv (issue 15): polite replies that share the surface of forbidden ones.

Three families of hard negatives: factual statements with 不/没/无/非 that deny the customer nothing
(这趟车不经停南站), limitations with a reason or a concrete way forward (…办不了，不过楼下…可以办), and
grounded commitments (一般两个工作日内审核完，有结果短信通知您) — the polite counterpart of over-promising.
They only help generalisation if they are new: a reply whose normalised split key equals, or nearly
equals, a row of another corpus file (or another row of this file, e.g. its 繁體 twin) would put a
held-out sentence's twin into training (docs/phrase_corpus.md). The checks are shared with the other corpus
files' tests (tests/corpus_file.py)."""
from __future__ import annotations

import re

from corpus_file import CorpusFile, mislabelled, near_variants, not_new, rows_loaded, shares_outside

NAME = "phrase_corpus_polite_g.csv"
FILE = CorpusFile(NAME)

NEGATION = re.compile(r"[不没沒无無非唔冇]")
TIMING = re.compile(r"一般|通常|预计|預計|大约|大約|大概|工作日|工作天|左右|小时内|小時內|天内|天內|之内")
WAY_FORWARD = re.compile(r"我(帮|幫|给|給|把|先|现在|現在|马上|馬上|去|问|問|请|請)|您可以|不过|不過|但可以|还有|還有")
# (at least, at most) share of the rows in each form
# (the unpunctuated share, 0.18 to 0.35, is counted in the test: this file counts a row ending in an emoji as
# unpunctuated, where corpus_file.unended does not)
FORMS = {"繁體": (0.15, 0.3), "chat": (0.13, 0.3), "several sentences": (0.10, 0.25)}


def test_every_row_is_polite_and_loads():
    rows = FILE.rows
    assert len(rows) >= 450
    assert not (bad := mislabelled(rows, "polite")), bad
    assert rows_loaded(NAME) == len(rows)


def test_no_reply_repeats_or_nearly_repeats_another():
    assert not (bad := not_new(FILE.texts, FILE.other_keys)), bad
    assert not (near := near_variants(FILE.texts, FILE.other_keys)), near[:5]


def test_no_row_is_a_respelling_of_another_row_of_this_file():
    # a 繁體 twin of a simplified row normalises to (nearly) the same key and would leak across the split
    assert not (twins := near_variants(FILE.texts, ratio=0.6, longer_than=10)), twins[:5]


def test_forms_traditional_chat_punctuation_lengths_and_several_sentences():
    texts = FILE.texts
    assert not (off := shares_outside(texts, FORMS)), off
    unpunctuated = [t for t in texts if t[-1] not in "。！？!?.…～~"]
    assert 0.18 * len(texts) <= len(unpunctuated) <= 0.35 * len(texts), len(unpunctuated)
    lengths = [len(t) for t in texts]
    assert min(lengths) >= 2 and max(lengths) <= 80
    assert sum(k <= 10 for k in lengths) >= 20 and sum(k >= 30 for k in lengths) >= 40


def test_family_mix_is_roughly_held():
    texts = FILE.texts
    n = len(texts)
    negated = [t for t in texts if NEGATION.search(t)]
    timed = [t for t in texts if TIMING.search(t)]
    limited = [t for t in negated if WAY_FORWARD.search(t) and not TIMING.search(t)]
    assert len(negated) >= 0.6 * n, len(negated)   # factual negations and limitations
    assert len(timed) >= 0.15 * n, len(timed)      # grounded commitments
    assert len(limited) >= 0.15 * n, len(limited)  # limitation + way forward
