"""seeds/phrase_corpus_rude_k.csv (issue 15): rudeness in polite clothing, in every phrasebook category, for the
learned judge.

Every row carries courtesy words (您, 请, 麻烦, 抱歉, 不好意思, 感谢, 亲, 您好 joined by a comma) and is still forbidden:
a refusal with no way forward, blame, buck-passing or a brush-off that only looks like help (您要不再等两天吧),
defiance, impatience, contempt, or a promise nobody can keep. Same contract as the other forbidden files
(docs/phrase_corpus.md): no respelling or near variant of a reply in another corpus file (a variant of a held-out
sentence in training would leak it), no 繁體 or one-word twin within the file, no opening sentence that is only a
greeting (the judge trains on whole rows but scores sentence by sentence), and the forms the brief asks for. The
checks are shared with the other corpus files' tests (tests/corpus_file.py)."""
from __future__ import annotations

from collections import Counter

from kefu.seeds import load

from corpus_file import (CorpusFile, greeting_only_first_sentence, mislabelled, near_variants, newness_problems,
                         rows_loaded, shares_outside)

NAME = "phrase_corpus_rude_k.csv"
FILE = CorpusFile(NAME)
# share of the file each category was written for (the brief's mix)
MIX = {"否定": 0.25, "推诿": 0.15, "教训": 0.15, "不规范": 0.15, "斗气": 0.10, "烦躁": 0.10, "蔑视": 0.05, "负面语言": 0.05}
# (at least, at most) share of the rows in each form
FORMS = {"繁體": (0.17, 0.25), "chat": (0.13, 0.22), "several sentences": (0.08, 0.15), "bare ending": (0.20, 0.33)}
FINALS = "。！？!?.…"
# the courtesy words the file is about; a row "in polite clothing" contains one of them
POLITE_MARKERS = ("您", "请", "請", "麻烦", "麻煩", "抱歉", "不好意思", "感谢", "感謝", "谢谢", "謝謝", "亲", "親")


def test_every_row_is_forbidden_in_every_category_in_the_asked_mix():
    rows = FILE.rows
    assert set(MIX) == set(load("phrasebook.yml").categories)
    assert not (bad := mislabelled(rows, "forbidden")), bad
    per_category = Counter(r["category"] for r in rows)
    assert set(per_category) == set(MIX), per_category
    assert len(rows) >= 500, len(rows)
    for category, share in MIX.items():
        assert abs(per_category[category] / len(rows) - share) <= 0.03, (category, per_category[category])
    assert rows_loaded(NAME) == len(rows)


def test_the_rows_wear_polite_clothing():
    texts = FILE.texts
    clothed = [t for t in texts if any(m in t for m in POLITE_MARKERS)]
    assert len(clothed) / len(texts) >= 0.8, len(clothed)


def test_every_reply_is_new():
    # a respelling or near variant of a held-out row in training would leak it (docs/phrase_corpus.md)
    assert not (bad := newness_problems(FILE.texts, FILE.other_keys)), bad
    # and, stricter than the shared contract, no short row nearly repeats an earlier row of this file either
    assert not (near := near_variants(FILE.texts)), near[:10]


def test_forms_traditional_chat_several_sentences_punctuation_and_lengths():
    texts = FILE.texts
    assert not (off := shares_outside(texts, FORMS, finals=FINALS)), off
    lengths = [len(t) for t in texts]
    assert min(lengths) >= 3 and max(lengths) <= 70
    assert sum(k <= 6 for k in lengths) >= 3 and sum(k >= 40 for k in lengths) >= 10


def test_no_row_opens_with_a_sentence_that_is_only_a_greeting():
    assert not (bad := greeting_only_first_sentence(FILE.texts)), bad
