"""seeds/phrase_corpus_polite_j.csv (issue 15): polite counterparts of over-promising, side deals and flat refusals.

Four families that share words with forbidden replies: product and service facts stated plainly, negative ones
included (这条线路不经过收费站); deadlines, closures and sold-out states said with what the customer can do now
(名额满了，我帮您登记候补…); grounded commitments with a caveat or a plan (预计明天上午送到，路上有变化我会短信告诉您)
and promises the agent can keep; exceptions done the proper way (我帮您提交特殊审批…) and privacy kept with an offer
(为了保护其他客户的隐私，…不过您的部分我可以详细说明). They only help if they are new: a reply whose split key equals,
or nearly equals, a row of another corpus file (or another row of this file, e.g. its 繁體 twin) would put a held-out
sentence's twin into training (docs/phrase_corpus.md). The checks are shared (tests/corpus_file.py)."""
from __future__ import annotations

import re

from corpus_file import CorpusFile, mislabelled, newness_problems, rows_loaded, shares_outside

NAME = "phrase_corpus_polite_j.csv"
FILE = CorpusFile(NAME)

FINALS = "。！？!?.…～~"
# (at least, at most) share of the rows in each form; "bare ending" counts an emoji ending as ended
FORMS = {"繁體": (0.15, 0.3), "chat": (0.12, 0.3), "several sentences": (0.08, 0.25), "bare ending": (0.18, 0.35)}

CLOSED = re.compile(r"满了|滿了|已满|已滿|额满|額滿|卖完|賣完|售罄|截止|过了|過了|过期|過期|结束|結束|没票|沒票|"
                    r"用完|发完|發完|停售|下架|关了|關了|订满|訂滿|约满|排满|抢光|抢完|没了|沒了|断货|停产|卖光|爆滿|賣晒")
TIMING = re.compile(r"一般|通常|预计|預計|大约|大約|大概|工作日|工作天|左右|之前|以前|前把|前给|前發|前回|内|內")
EXCEPTION = re.compile(r"申请|申請|审批|審批|特批|例外|特殊|隐私|隱私|授权|授權|本人|不方便|不便|主管|经理|經理|流程|規定|规定")
HOUSE_STYLE = re.compile(r"宝贝|寶貝|亲爱的|親愛的|老铁|家人们|好嘞|好滴|哈哈|保证|保證|绝对|絕對|肯定能|包您")


def test_every_row_is_polite_and_loads():
    rows = FILE.rows
    assert len(rows) >= 450
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
    assert sum(k <= 10 for k in lengths) >= 10 and sum(k >= 30 for k in lengths) >= 60


def test_family_mix_is_roughly_held():
    texts = FILE.texts
    n = len(texts)
    closed = [t for t in texts if CLOSED.search(t)]
    timed = [t for t in texts if TIMING.search(t) and not CLOSED.search(t)]
    exceptions = [t for t in texts if EXCEPTION.search(t)]
    assert len(closed) >= 0.2 * n, len(closed)          # deadlines, closures, sold out (+ what to do now)
    assert len(timed) >= 0.15 * n, len(timed)           # grounded commitments
    assert len(exceptions) >= 0.12 * n, len(exceptions)  # exceptions the proper way, privacy kept


def test_no_house_style_address_or_guarantee_words():
    assert not (bad := [t for t in FILE.texts if HOUSE_STYLE.search(t)]), bad
