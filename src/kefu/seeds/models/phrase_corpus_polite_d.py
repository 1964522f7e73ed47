"""seeds/phrase_corpus_polite_d.csv — labelled replies for the learned phrase judge (see _phrase_corpus)."""
from ._phrase_corpus import Model, Row

FILE = "phrase_corpus_polite_d.csv"

__all__ = ["FILE", "Model", "Row"]
