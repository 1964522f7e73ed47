"""seeds/phrase_corpus_rude_k.csv — new forbidden replies (rudeness in polite clothing, every category) for the learned phrase judge (see _phrase_corpus)."""
from ._phrase_corpus import Model, Row

FILE = "phrase_corpus_rude_k.csv"

__all__ = ["FILE", "Model", "Row"]
