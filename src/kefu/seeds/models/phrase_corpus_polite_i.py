"""seeds/phrase_corpus_polite_i.csv — new polite replies with the surface of blame, impatience, refusal, promise and chat (hard negatives) for the learned phrase judge (see _phrase_corpus)."""
from ._phrase_corpus import Model, Row

FILE = "phrase_corpus_polite_i.csv"

__all__ = ["FILE", "Model", "Row"]
