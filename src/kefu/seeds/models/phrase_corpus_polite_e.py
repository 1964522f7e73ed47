"""seeds/phrase_corpus_polite_e.csv — labelled replies for the learned phrase judge (polite near-misses set E, see _phrase_corpus)."""
from ._phrase_corpus import Model, Row

FILE = "phrase_corpus_polite_e.csv"

__all__ = ["FILE", "Model", "Row"]
