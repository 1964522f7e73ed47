"""Scoring a long text's sentences all at once (``Judge.probabilities``, from ``judge._SCORED_TOGETHER_FROM``
sentences on): a pasted transcript or an answer stuffed on purpose has tens of thousands of sentences, and the
per-sentence automaton loop cost ~38 µs a sentence in Python (~2 s for 1 MB of replies).

The marked sentences (start mark, sentence, end mark) are written one after another and read as code points;
every 1-, 2- and 3-character window is looked up in the model's n-grams, kept as sorted 63-bit codes (21 bits a
code point). No model n-gram spans an end mark and the next start mark — no training text holds one — so each
sentence gets exactly the n-grams the automaton finds in it alone. The sums per sentence (sublinear tf, idf,
the regression and naive-Bayes weights) are done by ``bincount``; the probabilities equal ``Judge.probability``
up to the order of floating-point sums (tests/test_phrases_judge.py compares both).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: the marks around every sentence the judge trains on and scores (start, end): control characters no
#: normalised reply contains
BOS, EOS = "\x02", "\x03"
_BITS = 21  # a code point fits 21 bits; three fit 63


def sigmoids(z: Any) -> Any:
    """``judge._sigmoid`` of a numpy array (the same cut-off below −30)."""
    import numpy as np

    with np.errstate(over="ignore"):
        return np.where(z > -30, 1.0 / (1.0 + np.exp(-np.maximum(z, -30.0))), 0.0)


@dataclass
class CodeTable:
    """Per n-gram length 1–3 the model's n-grams as sorted codes with their ids; the weights by id
    (idf², idf × coefficient, idf × naive-Bayes log-odds). ``usable`` is False for a model with longer n-grams."""

    usable: bool
    by_length: list[tuple[Any, Any]]
    weights: Any

    @classmethod
    def of(cls, terms: dict[str, tuple[float, float, float]]) -> "CodeTable":
        import numpy as np

        by_len: dict[int, list[tuple[int, int]]] = {1: [], 2: [], 3: []}
        for i, g in enumerate(terms):
            if len(g) not in by_len:
                return cls(False, [], None)
            code = 0
            for ch in g:
                code = (code << _BITS) | ord(ch)
            by_len[len(g)].append((code, i))
        table = []
        for n in (1, 2, 3):
            pairs = sorted(by_len[n])
            table.append((np.array([c for c, _ in pairs], dtype=np.uint64),
                          np.array([i for _, i in pairs], dtype=np.int64)))
        weights = np.array(list(terms.values()), dtype=float).reshape(-1, 3)
        return cls(True, table, weights)


def probabilities(table: CodeTable, norm_text: str, spans: list[tuple[int, int]], intercept: float,
                  nb_intercept: float | None) -> list[float]:
    """The judge's probability for each span of ``norm_text``."""
    import numpy as np

    marked = "".join([BOS + norm_text[a:b] + EOS for a, b in spans])
    cp = np.frombuffer(marked.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    seg_ends = np.cumsum(np.array([b - a + 2 for a, b in spans], dtype=np.int64))
    found_at, found_id = [], []
    for n, (codes, ids_sorted) in enumerate(table.by_length, start=1):
        if len(cp) < n or not len(codes):
            continue
        window = cp[: len(cp) - n + 1].copy()
        for k in range(1, n):
            window = (window << np.uint64(_BITS)) | cp[k : len(cp) - n + 1 + k]
        where = np.searchsorted(codes, window)
        where[where == len(codes)] = 0
        hit = codes[where] == window
        found_at.append(np.flatnonzero(hit))
        found_id.append(ids_sorted[where[hit]])
    starts = np.concatenate(found_at) if found_at else np.zeros(0, dtype=np.int64)
    ids = np.concatenate(found_id) if found_id else np.zeros(0, dtype=np.int64)
    seg = np.searchsorted(seg_ends, starts, side="right")
    sq_w, dot_w, nb_w = table.weights.T
    # sublinear tf: an n-gram found c times in a sentence counts 1 + log c
    keys, counts = np.unique(seg * len(sq_w) + ids, return_counts=True)
    seg_u, id_u = np.divmod(keys, len(sq_w))
    tf = 1.0 + np.log(counts)
    size = len(spans)
    sq = np.bincount(seg_u, tf * tf * sq_w[id_u], size)
    dot = np.bincount(seg_u, tf * dot_w[id_u], size)
    norm = np.sqrt(sq)
    safe = np.where(norm > 0, norm, 1.0)
    p = sigmoids(intercept + np.where(norm > 0, dot / safe, 0.0))
    if nb_intercept is not None:
        nb = np.bincount(seg_u, tf * nb_w[id_u], size)
        p = (p + sigmoids(nb_intercept + np.where(norm > 0, nb / safe, 0.0))) / 2
    return p.tolist()
