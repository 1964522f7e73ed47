"""The shared corpus-contract checks of tests/corpus_file.py, on tiny inputs: each catches the row it exists for
and lets a different row through (the corpus files' own tests only ever see rows that pass)."""
from __future__ import annotations

import difflib
import random
import shutil

from kefu.seeds import seeds_dir

from kefu.phrases.corpus import split_key

from corpus_file import (CommonChars, CorpusFile, bigram_close, bigrams, chat, greeting_only_first_sentence, in_others,
                         keyless, keys_of_other_files, mislabelled, near_variants, newness_problems, not_new, read_rows,
                         repeats, several_sentences, shares_outside, traditional, unended)


def test_repeats_are_respellings_of_an_earlier_row():
    texts = ["您好！", "这个不行", "您 好", "這個不行。", "那个不行"]
    assert repeats(texts) == ["您 好", "這個不行。"]
    assert in_others(texts, ["这个不行", "别的"]) == ["这个不行", "這個不行。"]
    assert keyless(["。。", "😂", "好"]) == ["。。", "😂"]
    assert not_new(texts + ["😂"], ["这个不行"]) == {
        "empty key": ["😂"], "repeats a row of this file": ["您 好", "這個不行。"],
        "repeats a row of another file": ["这个不行", "這個不行。"]}
    assert not_new(["好的", "不行"], ["可以"]) == {}


def test_near_variants_against_other_files_and_within_a_file():
    other = "这个我们真的没有办法帮您处理"
    texts = ["这个我们真的没办法帮您处理", "这个我们可以帮您处理", "您慢慢讲"]
    # ratio 26/27 for the first row; the second shares too little, the third is nowhere near in length
    assert near_variants(texts, [other, "您慢慢说完"]) == [(texts[0], other)]
    assert near_variants(texts, []) == []
    # within a file a row is compared with earlier rows and named by their text; a 繁體 twin counts
    assert near_variants(["这个真的没办法帮您改", "您慢慢讲", "這個真的沒辦法幫您改了"]) == [
        ("這個真的沒辦法幫您改了", "这个真的没办法帮您改")]
    # a stricter ratio lets the same pair through
    assert near_variants(texts, [other], ratio=0.99) == []


def test_near_variants_count_a_pair_reached_in_either_order():
    # difflib's ratio depends on the order: 0.80 with b first, 0.72 with a first
    a, b = "请您别在电话里叹气有事说事", "您别在电话里叹气了说正事"
    assert difflib.SequenceMatcher(None, b, a).ratio() >= 0.8 > difflib.SequenceMatcher(None, a, b).ratio()
    assert near_variants(["請您別在電話裡嘆氣，有事說事"], [b]) == [("請您別在電話裡嘆氣，有事說事", b)]
    assert near_variants(["您别在电话里叹气了，说正事。"], [a]) == [("您别在电话里叹气了，说正事。", a)]
    # within a file too, whichever row comes first
    assert near_variants([a, b]) == [(b, a)] and near_variants([b, a]) == [(a, b)]
    assert near_variants([a], [b], ratio=0.81) == []


def test_near_variants_check_only_rows_longer_than_a_length():
    # within a file a short row is not checked itself but a longer row is still compared with it
    texts = ["这个没办法帮您改", "这个真的没办法帮您改", "这个真的没办法"]
    assert near_variants(texts, ratio=0.6) == [(texts[1], texts[0]), (texts[2], texts[0])]
    assert near_variants(texts, ratio=0.6, longer_than=8) == [(texts[1], texts[0])]
    assert near_variants(texts, ratio=0.6, longer_than=10) == []
    assert near_variants(texts[1:], [texts[0]], ratio=0.6, longer_than=8) == [(texts[1], texts[0])]


# ------------------------------------------------------------- the pruned searches find what plain ones find
def plain_near_variants(texts, others=None, ratio=0.8, longer_than=0):
    """near_variants without any shortcut: every candidate (shortest key first, then as given), both difflib orders."""
    pool = [(o, o) for o in dict.fromkeys(others)] if others is not None else []
    out = []
    for text in texts:
        key = split_key(text)
        if len(key) > longer_than:
            for other, shown in sorted(pool, key=lambda p: len(p[0])):
                if max(difflib.SequenceMatcher(None, other, key, autojunk=False).ratio(),
                       difflib.SequenceMatcher(None, key, other, autojunk=False).ratio()) >= ratio:
                    out.append((text, shown))
                    break
        if others is None:
            pool.append((key, text))
    return out


def plain_bigram_close(texts, others=None, share=0.5):
    """bigram_close without an index: each candidate's Jaccard index in full; the rows flagged, each with every
    candidate at the bar (the one named is the first the index meets, which depends on set order)."""
    pool = [(bigrams(o), o) for o in dict.fromkeys(others)] if others is not None else []
    out = []
    for text in texts:
        grams = bigrams(split_key(text))
        close = {shown for g, shown in pool if len(grams & g) >= share * len(grams | g)}
        if close:
            out.append((text, close))
        if others is None:
            pool.append((grams, text))
    return out


def agree(texts, others, ratio, share, longer_than=0):
    """near_variants and bigram_close give what the plain searches give, for ``texts`` against ``others``
    and within ``texts``; returns how many rows each flagged (so a caller can see the inputs were near the bars)."""
    flagged = []
    for against in (others, None):
        near = near_variants(texts, against, ratio=ratio, longer_than=longer_than)
        assert near == plain_near_variants(texts, against, ratio=ratio, longer_than=longer_than)
        close = bigram_close(texts, against, share)
        expected = plain_bigram_close(texts, against, share)
        assert [t for t, _ in close] == [t for t, _ in expected]
        assert all(shown in candidates for (_, shown), (_, candidates) in zip(close, expected))
        flagged += [len(near), len(close)]
    return flagged


def test_common_chars_is_the_numerator_of_quick_ratio():
    keys = ["您好请问", "请问您好", "好好好", "", "退款已经到账", "您您"]
    chars = CommonChars(keys)
    for key in ("您好", "好好", "退款到账了", "", "您您您好"):
        for j, other in enumerate(keys):
            if key or other:
                # quick_ratio = 2 * common / (len(a) + len(b)), whichever string comes first
                assert 2 * chars.common(key)[j] / (len(key) + len(other)) == difflib.SequenceMatcher(
                    None, other, key, autojunk=False).quick_ratio()


def test_pruning_keeps_pairs_exactly_at_the_bars():
    # 4 of 5 characters in order: ratio 0.8 exactly, and quick_ratio too (the bulk bound must keep equality)
    assert near_variants(["请您稍等会"], ["请您稍等下"]) == [("请您稍等会", "请您稍等下")]
    assert near_variants(["请您稍等会"], ["请您稍等下"], ratio=0.81) == []
    # quick_ratio 1.0 but ratio 0.2: kept by the bound, refused by difflib
    assert near_variants(["好请您稍等"], ["等稍您请好"]) == []
    # only the other order reaches the bar (0.80 / 0.72), at lengths 13 and 12
    a, b = "请您别在电话里叹气有事说事", "您别在电话里叹气了说正事"
    assert agree([a], [b], 0.8, 0.5) == [1, 0, 0, 0]
    # lengths at the edge of what 0.8 allows: 8 and 12, ratio and both bounds 16/20
    assert near_variants(["请您稍等我查一下"], ["请您稍等我查一下好的谢谢"]) == [("请您稍等我查一下", "请您稍等我查一下好的谢谢")]
    # bigram Jaccard exactly 0.5 (2 of 4) and just under (2 of 5)
    assert agree(["您慢慢讲"], ["您慢慢说"], 0.8, 0.5) == [0, 1, 0, 0]
    assert agree(["您慢慢讲吧"], ["您慢慢说"], 0.8, 0.5) == [0, 0, 0, 0]
    # within a file, the row just before counts; a row does not count against itself
    assert agree(["您慢慢说", "您慢慢讲"], [], 0.8, 0.5) == [0, 0, 0, 1]
    assert agree(["请您稍等会", "请您稍等下"], [], 0.8, 0.5) == [0, 0, 1, 1]
    # the first candidate found is named: with one bigram, the first listed of two at the bar
    assert bigram_close(["好的"], ["好的呀", "好的"]) == [("好的", "好的呀")]
    assert near_variants(["请您稍等会"], ["请您稍等下", "请您稍等吧"]) == [("请您稍等会", "请您稍等下")]


def test_pruning_never_drops_a_pair_the_plain_search_finds():
    # random keys over a small alphabet, so that many pairs sit near every bar, in both orders and at all lengths;
    # within-file runs include duplicates and rows too short to be checked
    rng = random.Random(15)
    alphabet = "您好请问稍等查退款不行帮"
    totals = [0] * 4
    for _ in range(6):
        base = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14))) for _ in range(8)]
        texts = [w if rng.random() < 0.3 else mutate(rng, w, alphabet) for w in base * 3]
        rng.shuffle(texts)
        others = [mutate(rng, w, alphabet) for w in base * 2] + base[:2]
        for ratio, share, longer_than in ((0.8, 0.5, 0), (0.6, 0.5, 10), (0.7, 0.4, 3), (0.9, 0.6, 0)):
            found = agree(texts, others, ratio, share, longer_than)
            totals = [t + n for t, n in zip(totals, found)]
    # the inputs did reach the bars: every search flagged rows
    assert min(totals) > 0, totals


def mutate(rng, word, alphabet):
    """``word`` with one or two characters changed, inserted, dropped or swapped."""
    w = list(word)
    for _ in range(rng.randint(1, 2)):
        i = rng.randrange(len(w) + 1)
        op = rng.choice("cids")
        if op == "i" or not w:
            w.insert(i, rng.choice(alphabet))
        elif op == "c":
            w[min(i, len(w) - 1)] = rng.choice(alphabet)
        elif op == "d":
            del w[min(i, len(w) - 1)]
        elif len(w) > 1:
            j = min(i, len(w) - 2)
            w[j], w[j + 1] = w[j + 1], w[j]
    return "".join(w) or rng.choice(alphabet)


def test_bigram_close_catches_short_paraphrases_difflib_lets_through():
    # 您慢慢讲 / 您慢慢说: 2 of 4 bigrams shared (Jaccard 0.5) while difflib's ratio is only 0.75
    assert near_variants(["您慢慢讲"], ["您慢慢说"]) == []
    assert bigram_close(["您慢慢讲", "马上给您退款"], ["您慢慢说", "明天再联系您"]) == [("您慢慢讲", "您慢慢说")]
    assert bigram_close(["您慢慢讲"], ["您慢慢说"], share=0.6) == []
    assert bigram_close(["您慢慢讲", "马上给您退款", "您慢慢說"]) == [("您慢慢說", "您慢慢讲")]
    # a one-character key is its own bigram
    assert bigram_close(["好"], ["好", "好的"]) == [("好", "好")]


def test_newness_problems_gathers_the_four_checks_by_reason():
    other = "这个我们真的没有办法帮您处理"
    texts = ["这个我们真的没办法帮您处理", "您慢慢说", "这个真的没办法帮您改好", "這個真的沒辦法幫您改了", "好的，我马上帮您查"]
    found = newness_problems(texts, [other, "您慢慢讲"])
    assert found == {
        "near variant of another file's row": [(texts[0], other)],
        "shares half its bigrams with another file's row": [(texts[0], other), ("您慢慢说", "您慢慢讲")],
        # within the file the bar is 0.6: the third row is close to the first, the fourth is the third's 繁體 twin
        "respelling of another row of this file": [(texts[2], texts[0]), (texts[3], texts[2])]}
    assert newness_problems(texts + ["您慢慢讲"], ["您慢慢讲"], shown=1)["repeats a row of another file"] == ["您慢慢讲"]
    assert newness_problems(["好的，我马上帮您查"], [other]) == {}


def test_forms():
    rows = [{"label": "polite", "category": "", "text": "好的"}, {"label": "polite", "category": "否定", "text": "不行"},
            {"label": "forbidden", "category": "否定", "text": "不行啊"}]
    assert mislabelled(rows, "polite") == ["不行", "不行啊"]
    assert mislabelled(rows[2:], "forbidden") == []
    assert traditional(["這個不行", "这个不行", "这个 不行 😂", "OK 的"]) == ["這個不行"]
    assert chat(["亲，好的", "好的哦", "好的。", "好的😊", "好的 谢谢"]) == ["亲，好的", "好的哦", "好的😊", "好的 谢谢"]
    assert several_sentences(["好的。我马上查。", "好的，我马上查", "好的"]) == ["好的。我马上查。"]
    assert unended(["好的。", "好的", "好的😊", "好的✨", "好的～"], "。") == ["好的", "好的～"]
    texts = ["這個不行", "好的哦", "好的。我马上查。", "好的"]
    assert shares_outside(texts, {"繁體": (0.25, 0.25), "chat": (0, 0.25), "several sentences": (0.1, 1)}) == {}
    assert shares_outside(texts, {"繁體": (0.3, 1), "bare ending": (0, 0.5)}, finals="。") == {"繁體": (1, 0.25),
                                                                                          "bare ending": (3, 0.75)}


def test_greeting_only_first_sentence():
    texts = ["您好！这个不归我管。", "您好，这个不归我管。", "这个不归我管。您好！", "您好", "親~ 不好意思！自己看"]
    assert greeting_only_first_sentence(texts) == ["您好！这个不归我管。"]
    assert greeting_only_first_sentence(["收到。你等着吧。"]) == ["收到。你等着吧。"]
    assert greeting_only_first_sentence(["收到。你等着吧。"], greetings={"您好"}) == []


def test_rows_and_the_keys_of_the_other_files_come_from_the_seeds_folder(tmp_path, monkeypatch):
    folder = tmp_path / "seeds"
    folder.mkdir()
    for name in ("phrasebook.yml", "sources.yml"):  # the normaliser behind the split keys
        shutil.copy(seeds_dir() / name, folder)
    (folder / "phrase_corpus_rude_d.csv").write_text("label,category,text\nforbidden,否定,不行！\n", encoding="utf-8")
    (folder / "phrase_corpus_polite_d.csv").write_text(
        "label,category,text\npolite,,好的，這就幫您查。\npolite,,不行的话我帮您换一个\n", encoding="utf-8")
    monkeypatch.setenv("KEFU_SEEDS", str(folder))
    assert read_rows("phrase_corpus_rude_d.csv") == [{"label": "forbidden", "category": "否定", "text": "不行！"}]
    assert keys_of_other_files("phrase_corpus_rude_d.csv") == ["好的这就帮您查", "不行的话我帮您换一个"]
    assert keys_of_other_files("phrase_corpus_polite_d.csv") == ["不行"]
    file = CorpusFile("phrase_corpus_polite_d.csv")
    assert (file.texts, file.other_keys) == (["好的，這就幫您查。", "不行的话我帮您换一个"], ["不行"])
