"""seeds/phrase_corpus_polite_h.csv — new polite hard negatives (factual negations, limitations with a way forward, grounded commitments, reassurance with 不/没/别) for the learned phrase judge (see _phrase_corpus)."""
from ._phrase_corpus import Model, Row

FILE = "phrase_corpus_polite_h.csv"

__all__ = ["FILE", "Model", "Row"]
