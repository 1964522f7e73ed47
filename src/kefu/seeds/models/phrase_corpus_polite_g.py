"""seeds/phrase_corpus_polite_g.csv — polite near-misses for the learned phrase judge (see _phrase_corpus).

Factual 不/没/无 statements that deny the customer nothing, limitations with a reason or a way forward, and
grounded commitments (what normally happens and when, with a caveat), written as hard negatives."""
from ._phrase_corpus import Model, Row

FILE = "phrase_corpus_polite_g.csv"

__all__ = ["FILE", "Model", "Row"]
