"""The learned "similar reply" judge next to the phrasebook rules.

``judge(text)`` returns a :class:`Verdict`: ``ok``, ``forbidden`` or ``uncertain`` (for a human
grader), a confidence, and the reason — the rule that fired, or the nearest known forbidden reply
with its category and what to say instead.

The model is a logistic regression on TF-IDF character n-grams of the normalised text
(scikit-learn is used only to train it). It is trained on the corpus (seeds/phrase_corpus_*.csv), the
training-only replies (seeds/phrase_train_*.csv, never measured) and the phrasebook's and examples' own
sentences, each only when its text hashes into the training split (:mod:`kefu.phrases.corpus`). The
trained weights are written as JSON to ``seeds/.kefu-cache/phrase-judge/judge-<hash>.json``
(git-ignored), where ``<hash>`` covers every seed file the training reads and the training code's
format number: change a seed and the next use (or ``kefu build`` / ``kefu phrases train``) trains a
new one in about ten seconds. Scoring is plain
Python over an Aho–Corasick automaton of n-gram weights, so a reply costs microseconds and needs no
scikit-learn.

A reply is judged sentence by sentence (split at . ! ? ; and line breaks of the normalised text),
so a rude sentence inside a long polite reply is not diluted, and the verdict can point at it.
Cues (``judge.cues`` in seeds/phrasebook.yml: a refusal with no way forward, a promised outcome, blame
put on the customer, the customer sent elsewhere) lower the probability a reply needs to be forbidden;
they never decide alone. A rule hit does, unless the model reads the whole reply as plainly polite
(``judge.rule_veto_below``): then the verdict is uncertain and a grader decides.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import re
from collections import Counter
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any

from .bulk import BOS as _BOS, EOS as _EOS
from .engine import Report, checker
from .normalise import NOT_WORD
from .verdict import FORBIDDEN, OK, UNCERTAIN, Verdict, Why

# an uncertain verdict is read in drills (a hint, nobody grades) and in graded work (a grader reviews it)
REVIEW_HINT = "练习时建议换个更稳妥的说法;评分时由阅卷老师复核。"

FORMAT = 4  # bump when features or training change: old model files are then ignored
_SENTENCE = re.compile(r"[^.!?;\n]+[.!?;]*")
_HAS_WORD = re.compile(r"[^\W_]|[^\x00-\x7f]")


# ------------------------------------------------------------------------------ features
def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0


_second = itemgetter(1)


#: from this many sentences on, ``Judge.worst`` scores them together (``Judge.probabilities``)
_SCORED_TOGETHER_FROM = 64


def _scanner(terms: dict[str, tuple], long_only: bool = False) -> Any:
    """An Aho–Corasick automaton over the model's n-grams; the value of each is its weights followed
    by its id (its position in ``terms``), or the id alone when there are no weights. ``long_only``
    leaves out single characters."""
    import ahocorasick

    auto = ahocorasick.Automaton()
    for i, (g, v) in enumerate(terms.items()):
        if not (long_only and len(g) == 1):
            auto.add_word(g, (*v, i) if v else i)
    if not len(auto):  # an empty automaton cannot scan; a key no marked sentence contains keeps it usable
        auto.add_word("\x03\x02", (0.0, 0.0, 0.0, -1) if not long_only else -1)
    auto.make_automaton()
    return auto


def sentences(norm_text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of a normalised text (at least one span for a non-empty text)."""
    spans = [m.span() for m in _SENTENCE.finditer(norm_text) if _HAS_WORD.search(m.group())]
    return spans or ([(0, len(norm_text))] if norm_text else [])


# ------------------------------------------------------------------------------ training data
def _training_texts(book: Any, folder: Path) -> list[tuple[str, bool, str]]:
    """(text, forbidden, category) from every seed, keeping only texts of the training split."""
    from kefu.seeds import load

    from .corpus import load_corpus, load_training_only, sealed_keys, split_key, split_of

    by_id = {e.id: e for e in book.entries}
    out: list[tuple[str, bool, str]] = []
    out += [(s.text, s.forbidden, s.category) for s in load_corpus() if s.split == "train"]
    out += [(s.text, s.forbidden, s.category) for s in load_training_only() if s.split == "extra"]
    for e in book.entries:
        out.append((e.forbidden, True, e.category))
        out += [(rw, False, "") for rw in e.rewrites]
    for item in book.rewrite_items:
        out.append((item.line, True, by_id[item.entries[0]].category))
        out += [(rw, False, "") for rw in item.rewrites]
    if (folder / "phrase_examples.yml").exists():
        for g in load("phrase_examples.yml", folder).groups:
            for ex in g.examples:
                if ex.expect == "flag":
                    cat = by_id[ex.rules[0]].category if ex.rules and ex.rules[0] in by_id else "否定"
                    out.append((ex.text, True, cat))
                else:
                    out.append((ex.text, False, ""))
    if (folder / "phrase_rewrites.yml").exists():
        for item in load("phrase_rewrites.yml", folder).items:
            out += [(t, False, "") for t in item.good]
            out += [(b.text, True, b.category) for b in item.bad if b.kind == "rude" and b.category]
    seen: set[str] = set()
    sealed = sealed_keys()
    kept = []
    for text, bad, cat in out:
        if text in seen or split_of(text, book.judge) != "train" or split_key(text) in sealed:
            continue
        seen.add(text)
        kept.append((text, bad, cat))
    return kept


def data_hash(folder: Path) -> str:
    from .corpus import data_files

    h = hashlib.sha256(f"kefu-phrase-judge-format-{FORMAT}".encode())
    for path in data_files(folder):
        h.update(path.name.encode() + b"\x00" + path.read_bytes() + b"\x00")
    return h.hexdigest()[:16]


def fit(rows: list[tuple[str, bool, str]], settings: Any) -> dict[str, Any]:
    """The model fitted on ``rows`` (text, forbidden, category) as JSON data (without provenance).
    Used by :func:`train` and by the cross-validation that chose the thresholds (bench/phrases_cv.py)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    ck = checker()
    s = settings
    # the n-grams Judge.vector() and Judge.probability() find: sklearn's character analyser over the marked sentence
    norm = [_BOS + ck.norm(t).text + _EOS for t, _, _ in rows]
    vec = TfidfVectorizer(analyzer="char", ngram_range=(s.ngram_min, s.ngram_max), lowercase=False,
                          sublinear_tf=True, norm="l2", min_df=1)
    x = vec.fit_transform(norm)
    y = [1 if bad else 0 for _, bad, _ in rows]
    clf = LogisticRegression(C=s.regularisation, solver="liblinear", class_weight="balanced",
                             max_iter=1000, random_state=0)
    clf.fit(x, y)
    coef = clf.coef_[0]
    idf = vec.idf_
    alpha = getattr(s, "naive_bayes_alpha", 0.0)
    if alpha:
        # naive Bayes' log-odds are linear in the same tf-idf vector, so scoring stays one pass:
        # per n-gram the difference of the two classes' log feature probabilities
        from sklearn.naive_bayes import MultinomialNB

        nb = MultinomialNB(alpha=alpha).fit(x, y)
        nb_coef = nb.feature_log_prob_[1] - nb.feature_log_prob_[0]
        nb_intercept = float(nb.class_log_prior_[1] - nb.class_log_prior_[0])
    features = {g: [round(float(idf[j]), 6), round(float(coef[j]), 6)] + ([round(float(nb_coef[j]), 6)] if alpha else [])
                for g, j in sorted(vec.vocabulary_.items()) if alpha or abs(coef[j]) > 1e-9}
    return {
        "format": FORMAT,
        "ngram": [s.ngram_min, s.ngram_max],
        "intercept": round(float(clf.intercept_[0]), 6),
        "nb_intercept": round(nb_intercept, 6) if alpha else None,
        "context": bool(getattr(s, "sentence_context", False)),
        "features": features,
        "examples": [[t, int(bad), cat] for t, bad, cat in rows],
    }


def training_rows(folder: Path) -> list[tuple[str, bool, str]]:
    """Every (text, forbidden, category) the judge trains on (training split only)."""
    return _training_texts(checker().book, folder)


def train(folder: Path) -> dict[str, Any]:
    """Train the judge from the seeds in ``folder``; return the model as plain JSON data."""
    from .corpus import load_corpus, load_training_only

    s = checker().book.judge
    rows = training_rows(folder)
    data = fit(rows, s)
    corpus = load_corpus()
    data["data_hash"] = data_hash(folder)
    data["split"] = {"salt": s.split_salt, "holdout_percent": s.holdout_percent,
                     "corpus_train": sum(c.split == "train" for c in corpus),
                     "corpus_test": sum(c.split == "test" for c in corpus),
                     "training_only": sum(c.split == "extra" for c in load_training_only()),
                     "trained_on": len(rows)}
    return data


# ------------------------------------------------------------------------------ storage
def cache_dir(folder: Path) -> Path:
    """Inside the seeds folder (git-ignored ``.kefu-cache``): wherever the seeds are readable — a
    grading sandbox binds them read-only — the model trained from them is too."""
    env = os.environ.get("KEFU_CACHE")
    base = Path(env) if env else folder.resolve() / ".kefu-cache"
    return base / "phrase-judge"


def model_path(folder: Path) -> Path:
    return cache_dir(folder) / f"judge-{data_hash(folder)}.json"


def build(folder: Path | None = None, force: bool = False) -> tuple[Path, bool]:
    """Make sure the model for the current seeds exists on disk; (path, whether it was trained now).
    Older model files in the cache folder are removed."""
    from kefu.seeds import seeds_dir

    folder = seeds_dir(folder)
    path = model_path(folder)
    if path.exists() and not force:
        return path, False
    path.parent.mkdir(parents=True, exist_ok=True)
    from filelock import FileLock

    # parallel graders (kefu autograde's workers) meeting a missing model train it once, not each
    with FileLock(str(path.parent / ".train.lock")):
        if path.exists() and not force:
            return path, False
        return _train_to(folder, path), True


def _train_to(folder: Path, path: Path) -> Path:
    data = train(folder)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")), encoding="utf-8")
    os.replace(tmp, path)
    for old in path.parent.glob("judge-*.json"):
        if old != path:
            try:
                old.unlink()
            except OSError:
                pass
    return path


class Judge:
    def __init__(self, data: dict[str, Any]):
        self.data_hash = data.get("data_hash", "")
        self.split = data.get("split", {})
        self.intercept = float(data["intercept"])
        self._advice_of: dict[int, str] = {}  # example index -> suggestion (examples are fixed)
        self.context = bool(data.get("context", False))  # see worst()
        nb = data.get("nb_intercept")
        self.nb_intercept = None if nb is None else float(nb)
        # per n-gram: (idf², idf × coefficient, idf × naive Bayes log-odds or 0)
        self._terms = {g: (w[0] * w[0], w[0] * w[1], w[0] * w[2] if len(w) > 2 else 0.0)
                       for g, w in data["features"].items()}
        self._scan = _scanner(self._terms)
        # idf by n-gram id (the scanners' numbering)
        self._idf_of = [w[0] for w in data["features"].values()]
        self._long_scan: Any = None  # the n-grams of two or more characters (built when first needed)
        self._codes: Any = None  # the n-grams as codes with their weights (Judge.probabilities; built when needed)
        self.examples = data["examples"]
        self._index: Any = None  # nearest-example search over 2–3-grams (built when first needed)
        self._full_index: Any = None  # ... and over all n-grams (fallback, built when first needed)
        ck = checker()
        self.ck = ck
        self.settings = ck.book.judge
        self._cues = [(c, re.compile(ck.book.expand(c.pattern)), [re.compile(ck.book.expand(u)) for u in c.unless])
                      for c in self.settings.cues]
        # below this probability no cue can change a verdict, so none is looked for
        self._cue_floor = min((c.forbidden_above for c in self.settings.cues), default=1.0)

    def cue(self, norm_text: str) -> tuple[Any, tuple[int, int]] | None:
        """The cue (seeds/phrasebook.yml judge.cues) with the lowest bar that the reply meets, with the
        span of its match in the normalised text; None when no cue applies."""
        best = None
        for c, rx, unless in self._cues:
            m = rx.search(norm_text)
            if m and not any(u.search(norm_text) for u in unless):
                if best is None or c.forbidden_above < best[0].forbidden_above:
                    best = (c, m.span())
        return best

    # -- scoring
    def vector(self, norm_sentence: str) -> dict[int, float]:
        """The sentence's TF-IDF vector over the model's n-grams (not normalised), keyed by n-gram id."""
        return self._tfidf([v[3] for v in map(_second, self._scan.iter(_BOS + norm_sentence + _EOS))])

    def _tfidf(self, ids: list[int]) -> dict[int, float]:
        """Sublinear tf (1 + log count) × idf for the n-gram ids found in a sentence (repeats included)."""
        idf = self._idf_of
        if len(set(ids)) == len(ids):  # no repeated n-gram: tf is 1 throughout
            return {g: idf[g] for g in ids}
        return {g: (1.0 + math.log(c) if c > 1 else 1.0) * idf[g] for g, c in Counter(ids).items()}

    def probability(self, norm_sentence: str) -> float:
        # the hot path of every live check. An Aho–Corasick automaton over the model's n-grams yields
        # every known n-gram occurrence of the marked sentence with its weights (idf², idf ×
        # coefficient, idf × naive-Bayes log-odds, n-gram id) without slicing or hashing a string per
        # n-gram; the sums are done by zip/sum in C. Sublinear tf (1 + log count) differs from a plain
        # sum over occurrences only for a repeated n-gram, which the correction loop adds.
        found = list(map(_second, self._scan.iter(_BOS + norm_sentence + _EOS)))
        if found:
            sqs, dots, nbs, ids = zip(*found)
            sq, dot, nb_dot = sum(sqs), sum(dots), sum(nbs)
            if len(set(ids)) != len(ids):
                for gid, c in Counter(ids).items():
                    if c > 1:
                        v = found[ids.index(gid)]
                        extra = math.log(c) + 1.0 - c  # tf − count
                        sq += ((1.0 + math.log(c)) ** 2 - c) * v[0]
                        dot += extra * v[1]
                        nb_dot += extra * v[2]
        else:
            sq = dot = nb_dot = 0.0
        norm = math.sqrt(sq) if sq else 0.0
        p = _sigmoid(self.intercept + (dot / norm if norm else 0.0))
        if self.nb_intercept is not None:
            p = (p + _sigmoid(self.nb_intercept + (nb_dot / norm if norm else 0.0))) / 2
        return p

    def probabilities(self, norm_text: str, spans: list[tuple[int, int]]) -> list[float]:
        """``probability`` of each span, computed together by numpy (:mod:`kefu.phrases.bulk`); a model with
        n-grams longer than 3 characters takes the per-sentence loop."""
        from .bulk import CodeTable, probabilities

        if self._codes is None:
            self._codes = CodeTable.of(self._terms)
        if not self._codes.usable:
            return [self.probability(norm_text[a:b]) for a, b in spans]
        return probabilities(self._codes, norm_text, spans, self.intercept, self.nb_intercept)

    def worst(self, norm_text: str, spans: list[tuple[int, int]] | None = None) -> tuple[float, tuple[int, int]]:
        """(probability, span) of the reply's worst sentence. A sentence is read with the one after it (the last
        one with the one before it) and keeps the lower of the two probabilities: a limitation whose alternative
        comes in the next sentence (这个套餐不含国际漫游。我现在就能帮您开通) is not condemned on its own, nor is a short
        closing read apart from what it closes (已经帮您登记好了。感谢您的来电), while a rude sentence stays rude next to
        a polite one (the corpus's embedded-rudeness replies teach that). Chosen by cross-validation on the
        training split (bench/phrases_cv.py, docs/phrases.md)."""
        if spans is None:
            spans = sentences(norm_text)
        # a long text (a pasted transcript, an answer stuffed on purpose) has its sentences scored all at once
        ahead = self.probabilities(norm_text, spans) if len(spans) >= _SCORED_TOGETHER_FROM else None
        best_p, best_span = 0.0, (0, 0)
        for i, (a, b) in enumerate(spans):
            p = ahead[i] if ahead is not None else self.probability(norm_text[a:b])
            if p > best_p:
                p = self._in_context(norm_text, spans, i, p)
            if p > best_p:
                best_p, best_span = p, (a, b)
        return best_p, best_span

    def _reads_polite(self, n: Any, spans: list[tuple[int, int]], start: int, below: float) -> bool:
        """Whether the reply's worst sentence may read below ``below``, judged first by the sentence holding the
        rule's hit (``start``, offset as typed) as ``worst`` reads it: ``worst`` is at least that, so when it
        reaches ``below`` the other sentences need no scoring — a long text with a hit costs one sentence."""
        for i, (a, b) in enumerate(spans):
            if n.span(a, b)[1] > start:
                p = self.probability(n.text[a:b])
                if p >= below:
                    p = self._in_context(n.text, spans, i, p)
                return p < below
        return True

    def _in_context(self, norm_text: str, spans: list[tuple[int, int]], i: int, p: float) -> float:
        """Sentence ``i``'s probability ``p`` lowered by reading it with its neighbour: the next sentence, or for
        the last one the sentence before it (``judge.sentence_context``)."""
        if not self.context or len(spans) < 2:
            return p
        a, b = (spans[i][0], spans[i + 1][1]) if i + 1 < len(spans) else (spans[i - 1][0], spans[i][1])
        return min(p, self.probability(norm_text[a:b]))

    # -- nearest known forbidden reply
    def _phrase_vector(self, norm_sentence: str) -> dict[int, float]:
        """The TF-IDF vector without single characters, for the nearest-example search: 您/的/了 say
        little about which phrase a sentence resembles, yet their long postings were most of its work
        (a start or end mark with one character, "\\x02哦", stays: a one-word reply needs it).
        Its own automaton (values: n-gram ids) yields just those n-grams."""
        if self._long_scan is None:
            self._long_scan = _scanner({g: () for g in self._terms}, long_only=True)
        return self._tfidf(list(map(_second, self._long_scan.iter(_BOS + norm_sentence + _EOS))))

    def _build_index(self, vector):
        """The forbidden training replies as unit vectors stored column by column (n-gram id → the
        rows holding it and their weights), so a reply's few n-grams select a few columns."""
        import numpy as np

        postings: dict[int, tuple[list[int], list[float]]] = {}
        owners: list[int] = []
        for i, (text, bad, _cat) in enumerate(self.examples):
            if not bad:
                continue
            vec = vector(self.ck.norm(text).text)
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            r = len(owners)
            owners.append(i)
            for g, v in vec.items():
                rows, weights = postings.setdefault(g, ([], []))
                rows.append(r)
                weights.append(v / norm)
        columns = {g: (np.array(rows, dtype=np.int64), np.array(weights, dtype=np.float64), len(rows))
                   for g, (rows, weights) in postings.items()}
        return columns, owners

    def nearest(self, norm_sentence: str) -> tuple[int, float]:
        """(example index, cosine similarity) of the most similar forbidden training reply: over
        character 2–3-grams, or over all n-grams when a short reply shares none of those (傻眼)."""
        if self._index is None:
            self._index = self._build_index(self._phrase_vector)
        found = self._nearest_in(self._index, self._phrase_vector(norm_sentence))
        if found[0] >= 0:
            return found
        if self._full_index is None:
            self._full_index = self._build_index(self.vector)
        return self._nearest_in(self._full_index, self.vector(norm_sentence))

    @staticmethod
    def _nearest_in(index, vec: dict[int, float]) -> tuple[int, float]:
        columns, owners = index
        known = [(col, v) for g, v in vec.items() if (col := columns.get(g)) is not None]
        norm = math.sqrt(sum(v * v for v in vec.values()))
        if not norm or not known:
            return -1, 0.0
        import numpy as np

        # the selected columns' rows and weights concatenated, each weight scaled by the query's own,
        # and summed per row with bincount: a handful of numpy calls whatever the number of columns.
        # Array methods and plain lists rather than numpy's module functions where it can: with a
        # dozen short columns their dispatch, not the arithmetic, was most of the cost; the query's
        # norm divides the best score only.
        rows = np.concatenate([col[0] for col, _ in known])
        scale = np.array([v for _, v in known]).repeat(np.array([col[2] for col, _ in known]))
        weights = np.concatenate([col[1] for col, _ in known])
        weights *= scale
        sims = np.bincount(rows, weights, len(owners))
        best = int(sims.argmax())
        return owners[best], float(sims[best]) / norm

    def _advice(self, example: str, category: str) -> str:
        rep = self.ck.check(example)
        if rep.errors:
            return rep.errors[0].suggestion
        return self.settings.advice.get(category, "")

    # -- the verdict
    def judge(self, text: str, report: Report | None = None) -> Verdict:
        ck = self.ck
        if report is None:
            report = ck.check(text)  # also validates the type and decodes bytes
        text = report.text
        s = self.settings
        n = report.normalised or ck.norm(text)
        spans = sentences(n.text)
        errors = report.errors
        if errors:
            v = errors[0]
            more = f"(另有 {len(errors) - 1} 处)" if len(errors) > 1 else ""
            # the entry is named by its typical line, not its id (a pinyin slug means nothing to a trainee)
            kind = f",和“{v.forbidden}”是同一类" if v.forbidden and v.forbidden != v.match else ""
            if s.rule_veto_below > 0 and self._reads_polite(n, spans, v.start, s.rule_veto_below):
                # the model reads the whole reply as plainly polite: the pattern may have misfired on a wording it
                # was not written from (满了,明早八点放号… / 喂药), so a person decides
                p = self.worst(n.text, spans)[0]
                if p < s.rule_veto_below:
                    reason = (f"“{v.match}”像禁用说法({v.category}{kind}){more},但整句读来是得体的"
                              f"(判为不当的概率 {p:.0%}):{REVIEW_HINT}")
                    return Verdict(text, UNCERTAIN, 1.0 - p, p, "rule", v.rule, v.start, v.end, report,
                                   given=Why(reason, v.category, v.suggestion))
            reason = f"“{v.match}”是禁用说法({v.category}{kind}){more}:{v.why} 建议说:{v.suggestion}"
            return Verdict(text, FORBIDDEN, s.rule_confidence, None, "rule", v.rule, v.start, v.end, report,
                           lambda: self.worst(n.text, spans)[0], Why(reason, v.category, v.suggestion))
        best_p, best_span = self.worst(n.text, spans)
        if not spans:
            return Verdict(text, OK, 1.0, 0.0, "empty", report=report, given=Why("没有需要检查的文字。"))
        a, b = best_span if best_p > 0 else spans[0]
        start, end = n.span(a, b)
        # a cue the reply meets (judge.cues) lowers the bar; looked for only where it could matter: between
        # the lowest cue bar and forbidden_above (above it, only to explain a verdict: see _explain)
        found = self.cue(n.text) if self._cue_floor <= best_p < s.forbidden_above else None
        bar = min(found[0].forbidden_above, s.forbidden_above) if found else s.forbidden_above
        if best_p < s.polite_below and best_p < bar:
            return Verdict(text, OK, 1.0 - best_p, best_p, "model", start=start, end=end, report=report, given=Why(
                f"没有命中任何禁用规则,和已知的禁用说法也不相似(判为不当的概率 {best_p:.0%})。"))
        # a very short sentence gives the model little evidence: it may ask for review, never condemn
        short = len(NOT_WORD.sub("", n.text[a:b])) < s.min_chars
        outcome = FORBIDDEN if best_p >= bar and not short else UNCERTAIN
        # a verdict a cue explains is as sure as the model leans either way; one the model decided alone, p
        confidence = best_p if outcome == FORBIDDEN and not found else max(best_p, 1 - best_p)
        explain = lambda: self._explain(text, n, (a, b), (start, end), best_p, outcome, found)  # noqa: E731
        if outcome == FORBIDDEN and found is None and best_p < 0.5:
            # only with a forbidden_above below one half does it matter whether the explanation finds a cue:
            # then the confidence waits for it
            why = explain()
            return Verdict(text, outcome, max(best_p, 1 - best_p) if why.cue else confidence, best_p, "model", "",
                           start, end, report, given=why)
        return Verdict(text, outcome, confidence, best_p, "model", "", start, end, report, explain=explain)

    def _explain(self, text: str, n: Any, span: tuple[int, int], shown_span: tuple[int, int], best_p: float,
                 outcome: str, found: Any) -> Why:
        """The explanation of a model verdict above ``polite_below``: the nearest known forbidden reply,
        its category and advice, and the cue that lowered the bar (or that says why when the nearest
        example is too unlike the reply)."""
        s = self.settings
        a, b = span
        start, end = shown_span
        idx, sim = self.nearest(n.text[a:b])
        ex_text, _bad, cat = self.examples[idx] if idx >= 0 else ("", 1, "")
        shown = idx >= 0  # every model verdict names its nearest known forbidden reply
        if shown and idx not in self._advice_of:
            self._advice_of[idx] = self._advice(ex_text, cat)
        advice = self._advice_of[idx] if shown else ""
        sentence = text[start:end].strip()
        if shown and sim >= s.min_similarity:
            like = f"与已知的禁用说法“{ex_text}”({cat})相似(相似度 {sim:.2f})"
        elif shown:
            like = f"最接近的已知禁用说法是“{ex_text}”({cat},相似度只有 {sim:.2f})"
        else:
            like = "没有可比的已知例句"
        nearest = ex_text if shown else ""
        if outcome == FORBIDDEN:
            bar = min(found[0].forbidden_above, s.forbidden_above) if found else s.forbidden_above
            # the cue explains the verdict when it decided it, or when the nearest known forbidden reply is
            # too unlike this one to say why (您这周已经来了五趟了 is impatience, whatever 否定 example is nearest):
            # only then is it looked for above forbidden_above
            if found is None and (not shown or sim < s.min_similarity):
                found = self.cue(n.text)
                bar = min(found[0].forbidden_above, s.forbidden_above) if found else bar
            if found:
                c, (ca, cb) = found
                ms, me = n.span(ca, cb)
                advice = s.advice.get(c.category, advice)
                said = (f"这句回复{c.why}(“{text[ms:me]}”,属于“{c.category}”),"
                        f"有这种说法时概率达到 {bar:.0%} 就判为不当")
                if shown and sim >= s.min_similarity:
                    reason = f"“{sentence}”{like},判为不当的概率 {best_p:.0%};{said}。"
                else:
                    # the cue says why; a far example is named after it, not first (it would read as the reason)
                    reason = (f"“{sentence}”判为不当的概率 {best_p:.0%}:{said}。"
                              + (f"已知的禁用说法里最接近的是“{ex_text}”({cat},相似度只有 {sim:.2f})。" if shown else ""))
                reason += f"建议:{advice}" if advice else ""
                # the model alone leans less far (or the other way): the verdict's confidence says so
                return Why(reason, c.category, advice, nearest, sim, c.id)
            reason = f"“{sentence}”{like},判为不当的概率 {best_p:.0%}。" + (f"建议:{advice}" if advice else "")
            return Why(reason, cat if shown else "", advice, nearest, sim)
        # read in drills (a hint, nobody grades) and in graded work (a grader reviews it): it says both
        reason = (f"拿不准:“{sentence}”{like},判为不当的概率 {best_p:.0%}。{REVIEW_HINT}"
                  + (f"参考:{advice}" if advice else ""))
        return Why(reason, cat if shown else "", advice, nearest, sim)


@lru_cache(maxsize=4)
def _judge_for(folder: str) -> Judge:
    path = Path(folder)
    try:
        model, _ = build(path)
        data = json.loads(model.read_text(encoding="utf-8"))
    except OSError:  # read-only checkout (e.g. a grading sandbox): train in memory
        data = train(path)
    return Judge(data)


def judge_model() -> Judge:
    """The judge for the current seeds (trained on first use when its model file is missing)."""
    from kefu.seeds.loader import resolved_seeds_dir

    return _judge_for(resolved_seeds_dir())


def judge(text: str) -> Verdict:
    """Rules first, then the learned judge: ``ok``, ``forbidden`` or ``uncertain`` with the reason."""
    return judge_model().judge(text)
