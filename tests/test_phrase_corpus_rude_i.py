"""seeds/phrase_corpus_rude_i.csv (issue 15): flat refusals with no way forward (否定) and negative language
(负面语言: 我不能 / 我做不了 / 我没权限 / 这不归我 with nothing offered) for the learned judge.

Same contract as the other forbidden corpus files (docs/phrase_corpus.md): every row forbidden in one of the two
categories the file is about, in the asked mix; no respelling or near variant of a reply in another corpus file
(a variant of a held-out sentence in training would leak it) nor of another row of this file (its 繁體 twin); no
opening sentence that is only a greeting (the judge trains on whole rows but scores sentence by sentence);
courtesy clothing rationed, so 您好 / 请 / 谢谢 do not become a rude signal; and the forms the brief asks for.
The checks are shared with the other corpus files' tests (tests/corpus_file.py)."""
from __future__ import annotations

from collections import Counter

from corpus_file import (CorpusFile, greeting_only_first_sentence, mislabelled, newness_problems, rows_loaded,
                         shares_outside)

NAME = "phrase_corpus_rude_i.csv"
FILE = CorpusFile(NAME)
# (at least, at most) share of the rows in each form; a row ending in an emoji counts as ending bare here
FORMS = {"繁體": (0.16, 0.25), "chat": (0.13, 0.22), "several sentences": (0.08, 0.16)}
END_PUNCT = "。！？!?.…～~"


def test_every_row_is_forbidden_refusal_or_negative_language_in_the_asked_mix():
    rows = FILE.rows
    per_category = Counter(r["category"] for r in rows)
    assert not (bad := mislabelled(rows, "forbidden")), bad
    assert set(per_category) == {"否定", "负面语言"}
    assert len(rows) >= 550
    # brief: about 70 % 否定, 30 % 负面语言
    assert 0.6 <= per_category["否定"] / len(rows) <= 0.8, per_category
    assert rows_loaded(NAME) == len(rows)


def test_every_reply_is_new():
    # a respelling or near variant of a held-out row in training would leak it (docs/phrase_corpus.md)
    assert not (bad := newness_problems(FILE.texts, FILE.other_keys)), bad


def test_forms_traditional_chat_punctuation_sentences_and_lengths():
    texts = FILE.texts
    assert not (off := shares_outside(texts, FORMS)), off
    bare = [t for t in texts if t[-1] not in END_PUNCT]
    assert 0.20 <= len(bare) / len(texts) <= 0.33, len(bare)
    lengths = [len(t) for t in texts]
    assert min(lengths) >= 3 and max(lengths) <= 70
    assert sum(k <= 8 for k in lengths) >= 20 and sum(k >= 30 for k in lengths) >= 20


def test_courtesy_clothing_is_rationed():
    openings = ("您好", "你好", "您放心", "放心", "谢谢", "謝謝", "请", "請")
    endings = ("谢谢", "謝謝", "谢谢理解", "谢谢合作", "请回", "請回")
    clothed = [t for t in FILE.texts if t.startswith(openings) or t.rstrip("。！!~～ 🙏").endswith(endings)]
    assert len(clothed) <= len(FILE.texts) / 3


def test_no_row_opens_with_a_sentence_that_is_only_a_greeting():
    assert not (bad := greeting_only_first_sentence(FILE.texts)), bad
