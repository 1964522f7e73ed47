"""Reading one phrase-corpus CSV as the contract tests of its writer see it (tests/test_phrase_corpus_*.py), and the
checks those tests share.

The files are read raw (csv rows, not kefu's loader) so a test can check exactly what was written; the keys of
the other corpus files are what a new row must not repeat (docs/phrase_corpus.md).

Every check takes the raw texts of one file's rows and returns the offending rows (a list of texts, or of
``(text, what it is close to)`` pairs), so a test asserts the list is empty and its failure message names the
rows. Comparisons are made on split keys (``kefu.phrases.corpus.split_key``: normalised, 繁體 → simplified,
punctuation, spaces and emoji dropped), the text the held-out split hashes. ``others`` is a list of split keys
of other files (``keys_of_other_files``); left out, a row is compared with the earlier rows of its own file.
tests/test_corpus_file.py tests the checks themselves on tiny inputs."""
from __future__ import annotations

import csv
import difflib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property, lru_cache

import numpy as np

from kefu.phrases import checker
from kefu.phrases.corpus import corpus_files, load_corpus, split_key, training_files
from kefu.phrases.judge import sentences
from kefu.seeds import seeds_dir

# a row "in chat style" carries one of these (or an emoji)
CHAT_MARKS = ("亲", "親", "哦", "喔", "哈", "~", "～", " ")
# an opening sentence that is only one of these teaches nothing but the greeting (compared after normalising)
GREETINGS = frozenset({"您好", "你好", "亲", "親", "谢谢", "非常抱歉", "抱歉", "不好意思", "好的", "收到", "在的", "在呢"})


def read_rows(name: str) -> list[dict[str, str]]:
    """The rows of seeds/<name> as dicts (label, category, text)."""
    with (seeds_dir() / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def keys_of_other_files(name: str, also: Iterable[str] = ()) -> list[str]:
    """Split keys of every row of every other corpus or training-only file present (and of the files ``also``
    names), in file order (duplicates kept)."""
    keys: list[str] = []
    folder = seeds_dir().resolve()
    for other in [*corpus_files(), *training_files(), *also]:
        path = folder / other
        if other != name and path.exists():
            stat = path.stat()
            keys.extend(_file_keys(str(folder), other, stat.st_mtime_ns, stat.st_size))
    return keys


@lru_cache(maxsize=None)
def _file_keys(folder: str, name: str, mtime_ns: int, size: int) -> tuple[str, ...]:
    """The split keys of seeds/<name>, read once a session: every contract test reads every other file. Called with
    ``folder`` = ``seeds_dir()``, whose normaliser ``split_key`` uses; the file's modification time and size are
    part of the cache key, so a file that changes is read again."""
    return tuple(split_key(r["text"]) for r in read_rows(name))


def rows_loaded(name: str) -> int:
    """How many samples kefu's own loader (``load_corpus``, schema module included) takes from seeds/<name>."""
    return sum(s.origin.startswith(name + ":") for s in load_corpus())


def mislabelled(rows: Iterable[dict[str, str]], label: str) -> list[str]:
    """Rows not labelled ``label``, and polite rows that name a category (only a forbidden row has one)."""
    return [r["text"] for r in rows if r["label"] != label or (r["label"] == "polite" and r["category"])]


class CorpusFile:
    """One corpus file as its contract test reads it: ``CorpusFile(NAME)`` at module level, each part read once,
    when a test first asks for it (``rows``, ``texts``, ``other_keys``)."""

    def __init__(self, name: str) -> None:
        self.name = name

    @cached_property
    def rows(self) -> list[dict[str, str]]:
        return read_rows(self.name)

    @cached_property
    def texts(self) -> list[str]:
        return [r["text"] for r in self.rows]

    @cached_property
    def other_keys(self) -> list[str]:
        return keys_of_other_files(self.name)


# ------------------------------------------------------------------------------------- repeats and variants
def keyless(texts: Iterable[str]) -> list[str]:
    """Rows whose split key is empty (nothing but punctuation, spaces or emoji)."""
    return [t for t in texts if not split_key(t)]


def repeats(texts: Iterable[str]) -> list[str]:
    """Rows whose split key an earlier row of the same file already had (a respelling of it)."""
    seen: set[str] = set()
    out = []
    for t in texts:
        k = split_key(t)
        if k in seen:
            out.append(t)
        seen.add(k)
    return out


def in_others(texts: Iterable[str], others: Iterable[str]) -> list[str]:
    """Rows whose split key is one of ``others`` (the split keys of other files)."""
    keys = set(others)
    return [t for t in texts if split_key(t) in keys]


def not_new(texts: Sequence[str], others: Iterable[str]) -> dict[str, list[str]]:
    """The rows that are not new, by reason (reasons without rows left out): an empty split key (``keyless``),
    a respelling of an earlier row of the file (``repeats``), a respelling of a row of another file
    (``in_others``)."""
    found = {"empty key": keyless(texts), "repeats a row of this file": repeats(texts),
             "repeats a row of another file": in_others(texts, others)}
    return {reason: rows for reason, rows in found.items() if rows}


class Postings:
    """Which owners (numbered ``0 <= owner < size``) hold which codes, and how many times: ``owners_of(codes)`` is,
    for each code asked, the owners that hold it (ascending) and how many times each does."""

    def __init__(self, codes: np.ndarray, owner: np.ndarray, size: int) -> None:
        assert not len(codes) or int(codes.max()) * max(size, 1) < 2 ** 62, "codes * owners must fit in int64"
        pairs, counts = np.unique(codes * max(size, 1) + owner, return_counts=True)
        self.values, self.owners = np.divmod(pairs, max(size, 1))
        self.counts = counts
        self.size = size

    def owners_of(self, codes: Sequence[int]) -> list[tuple[np.ndarray, np.ndarray]]:
        asked = np.array(codes, dtype=np.int64)
        starts = np.searchsorted(self.values, asked, "left").tolist()
        ends = np.searchsorted(self.values, asked, "right").tolist()
        return [(self.owners[i:j], self.counts[i:j]) for i, j in zip(starts, ends)]


def _codes(keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The code points of ``keys`` one after another, the key each belongs to, and the keys' lengths."""
    lengths = np.array([len(k) for k in keys], dtype=np.int64)
    chars = np.array([ord(ch) for k in keys for ch in k], dtype=np.int64)
    return chars, np.repeat(np.arange(len(keys), dtype=np.int64), lengths), lengths


class CommonChars:
    """The characters of some keys, for counting in bulk how many characters each of them has in common with a key,
    counted with multiplicity: ``2 * common / (len(a) + len(b))`` is difflib's ``quick_ratio`` (the same in either
    order), an upper bound of ``ratio`` in either order. ``common(key)[j]`` is the count for ``keys[j]``."""

    def __init__(self, keys: Sequence[str]) -> None:
        chars, owner, self.lengths = _codes(keys)
        self.postings = Postings(chars, owner, len(keys))

    def common(self, key: str) -> np.ndarray:
        counted = Counter(key)
        found = self.postings.owners_of([ord(ch) for ch in counted])
        if not found:
            return np.zeros(self.postings.size, dtype=np.int64)
        owners = np.concatenate([ids for ids, _ in found])
        shared = np.concatenate([np.minimum(ns, n) for (_, ns), n in zip(found, counted.values())])
        return np.bincount(owners, weights=shared, minlength=self.postings.size).astype(np.int64)


def near_variants(texts: Sequence[str], others: Iterable[str] | None = None,
                  ratio: float = 0.8, longer_than: int = 0) -> list[tuple[str, str]]:
    """``(row, close)`` for each row whose split key has a difflib ratio >= ``ratio`` with one of ``others``
    (the first found is named), or, without ``others``, with the key of an earlier row (named by its text).
    Only rows whose key is longer than ``longer_than`` characters are checked (within a file, shorter rows are
    still compared against).

    difflib's ratio is not symmetric (it depends on which sequence is first), so a pair counts when EITHER
    order reaches ``ratio``. Candidates are tried shortest key first (then in the order given), among the key
    lengths ``2 * min / (la + lb) >= ratio`` allows (one spare each side for rounding), and only those whose
    ``quick_ratio`` (counted for all candidates at once by ``CommonChars``, with a little slack for rounding)
    reaches ``ratio``: ``quick_ratio`` bounds ``ratio`` from above in either order, so no pair is lost. Each one
    left goes through difflib itself: ``real_quick_ratio``, ``quick_ratio``, then ``ratio`` with the row's key as
    difflib's cached second sequence (as in ``difflib.get_close_matches``), the other order only when that one
    falls short. tests/test_corpus_file.py checks the result against trying every pair in both orders."""
    within = others is None
    texts = list(texts)
    keys = [split_key(t) for t in texts]
    if within:
        pool, names = keys, texts
    else:
        pool = list(dict.fromkeys(others or ()))
        names = pool
    order = sorted(range(len(pool)), key=lambda j: len(pool[j]))  # stable: by length, then as given
    candidates = [pool[j] for j in order]
    shown = [names[j] for j in order]
    row_of = np.array(order, dtype=np.int64)  # within a file: the row a candidate is
    chars = CommonChars(candidates)
    lengths = chars.lengths
    out = []
    for i, (text, key) in enumerate(zip(texts, keys)):
        if len(key) <= longer_than:
            continue
        lo = max(int(ratio * len(key) / (2 - ratio)) - 1, 0)
        hi = int(len(key) * (2 - ratio) / ratio) + 1 if ratio > 0 else int(lengths.max(initial=0))
        keep = (lengths >= lo) & (lengths <= hi)
        keep &= 2.0 * chars.common(key) >= (ratio - 1e-9) * (len(key) + lengths)
        if within:
            keep &= row_of < i
        sm = difflib.SequenceMatcher(None, "", key, autojunk=False)
        for j in np.flatnonzero(keep):
            other = candidates[j]
            sm.set_seq1(other)
            if sm.real_quick_ratio() >= ratio and sm.quick_ratio() >= ratio and (
                    sm.ratio() >= ratio
                    or difflib.SequenceMatcher(None, key, other, autojunk=False).ratio() >= ratio):
                out.append((text, shown[j]))
                break
    return out


_PLANE = 0x110000  # code points


def bigrams(key: str) -> set[str]:
    """The character bigrams of a key (a one-character key is its own single "bigram")."""
    return {key[i:i + 2] for i in range(len(key) - 1)} or {key}


def bigram_close(texts: Iterable[str], others: Iterable[str] | None = None,
                 share: float = 0.5) -> list[tuple[str, str]]:
    """``(row, close)`` for each row whose key's bigrams have a Jaccard index >= ``share`` (> 0) with those of one
    of ``others`` (``|A ∩ B| >= share * |A ∪ B|``; the first found is named), or, without ``others``, with an
    earlier row of the file (named by its text). docs/phrase_corpus.md: such rows are read for variants; short
    paraphrases (您慢慢讲 / 您慢慢说) pass difflib's 0.8 but not this.

    The shared bigrams are counted for all candidates at once (numpy, from an index bigram -> candidates); only
    a row with a candidate at the bar (with a little slack for rounding, then the exact test) is walked through
    the index to name the first one found."""
    within = others is None
    texts = list(texts)
    grams_of = [bigrams(split_key(t)) for t in texts]
    if within:
        keys, shown = [split_key(t) for t in texts], texts
    else:
        keys = shown = list(dict.fromkeys(others or ()))
    # bigram -> the candidates that have it, in order; one code per bigram (two code points, or one, or none)
    chars, owner, lengths = _codes(keys)
    pair = owner[:-1] == owner[1:]
    short = np.flatnonzero(lengths < 2)
    codes = np.concatenate([chars[:-1][pair] * _PLANE + chars[1:][pair],
                            np.array([_bigram_code(keys[j]) for j in short], dtype=np.int64)])
    index = Postings(codes, np.concatenate([owner[:-1][pair], short]), len(keys))
    sizes = np.bincount(index.owners, minlength=len(keys))  # distinct bigrams per candidate
    position = np.arange(len(keys))
    out = []
    for r, (text, grams) in enumerate(zip(texts, grams_of)):
        found = [ids for ids, _ in index.owners_of([_bigram_code(g) for g in grams])]
        shared = np.bincount(np.concatenate(found), minlength=len(keys)) if found else np.zeros(len(keys), np.int64)
        keep = (shared > 0) & (shared >= (share - 1e-9) * (len(grams) + sizes - shared))
        if within:
            keep &= position < r
        if not keep.any():
            continue
        close = {int(i) for i in np.flatnonzero(keep)
                 if (n := int(shared[i])) >= share * (len(grams) + int(sizes[i]) - n)}
        # the first found: walking the row's bigrams and each one's candidates, as a plain count would meet them
        hit = next((i for ids in found for i in ids.tolist() if i in close), None)
        if hit is not None:
            out.append((text, shown[hit]))
    return out


def _bigram_code(gram: str) -> int:
    """One number per "bigram" of ``bigrams``: two code points, or the one of a one-character key, or none."""
    if len(gram) == 2:
        return ord(gram[0]) * _PLANE + ord(gram[1])
    return _PLANE * _PLANE + (ord(gram) if gram else _PLANE)


def newness_problems(texts: Sequence[str], others: Iterable[str], shown: int = 20) -> dict[str, list]:
    """Every way the rows of one file fail to be new (docs/phrase_corpus.md, Rules of honesty), by reason, each with
    its first ``shown`` rows (reasons without rows left out): the ``not_new`` reasons; a near variant of another
    file's row (``near_variants``, difflib >= 0.8 either order); half the character bigrams shared with one
    (``bigram_close``); a respelling of another row of this file, e.g. its 繁體 twin (``near_variants`` within the
    file at 0.6, keys longer than 10 characters). The contract the corpus writers' tests share."""
    others = list(others)
    found = {**not_new(texts, others),
             "near variant of another file's row": near_variants(texts, others),
             "shares half its bigrams with another file's row": bigram_close(texts, others, 0.5),
             "respelling of another row of this file": near_variants(texts, ratio=0.6, longer_than=10)}
    return {reason: rows[:shown] for reason, rows in found.items() if rows}


# ------------------------------------------------------------------------------------------------- forms
def traditional(texts: Iterable[str]) -> list[str]:
    """繁體 rows: some CJK character changes when kefu's normaliser converts it (to simplified) on its own.

    Character by character, because normalising a whole reply drops spaces and emoji, so its output does not
    line up with the raw text; a row whose only change is a dropped space or emoji is not 繁體."""
    norm = checker().norm
    changes: dict[str, bool] = {}

    def changed(ch: str) -> bool:
        if ch not in changes:
            changes[ch] = norm(ch).text != ch
        return changes[ch]

    return [t for t in texts if any(changed(ch) for ch in t if "\u4e00" <= ch <= "\u9fff")]


def chat(texts: Iterable[str]) -> list[str]:
    """Chat-style rows: 亲/親/哦/喔/哈, a tilde, a space, or an emoji (U+1F300 and above)."""
    return [t for t in texts if any(m in t for m in CHAT_MARKS) or any(ord(ch) >= 0x1F300 for ch in t)]


def several_sentences(texts: Iterable[str]) -> list[str]:
    """Rows of two sentences or more, as the judge splits a normalised reply (``judge.sentences``)."""
    norm = checker().norm
    return [t for t in texts if len(sentences(norm(t).text)) >= 2]


def unended(texts: Iterable[str], finals: str) -> list[str]:
    """Rows that end bare: the last character is neither one of ``finals`` (each file lists its own sentence
    endings) nor an emoji or pictograph (U+2600–U+27BF, U+1F300 and above)."""
    return [t for t in texts if t[-1] not in finals and not (0x2600 <= ord(t[-1]) <= 0x27BF or ord(t[-1]) >= 0x1F300)]


def shares_outside(texts: Sequence[str], bounds: Mapping[str, tuple[float, float]],
                   finals: str = "") -> dict[str, tuple[int, float]]:
    """The forms whose row count lies outside ``least * n <= count <= most * n`` (n rows), each with its count and
    share. Forms: "繁體" (``traditional``), "chat" (``chat``), "several sentences" (``several_sentences``) and
    "bare ending" (``unended`` with the file's ``finals``)."""
    forms = {"繁體": traditional, "chat": chat, "several sentences": several_sentences,
             "bare ending": lambda ts: unended(ts, finals)}
    n, out = len(texts), {}
    for form, (least, most) in bounds.items():
        count = len(forms[form](texts))
        if not least * n <= count <= most * n:
            out[form] = (count, round(count / n, 4))
    return out


def greeting_only_first_sentence(texts: Iterable[str], greetings: Iterable[str] = GREETINGS) -> list[str]:
    """Rows of two sentences or more whose first sentence, normalised and stripped of " .!?;,~", is only a
    greeting or courtesy (``GREETINGS``). The judge scores sentence by sentence but trains on whole rows, so a
    forbidden row opening with one would teach the greeting as rude."""
    norm, words = checker().norm, set(greetings)
    out = []
    for t in texts:
        n = norm(t).text
        spans = sentences(n)
        if len(spans) >= 2 and n[spans[0][0]:spans[0][1]].strip(" .!?;,~") in words:
            out.append(t)
    return out
