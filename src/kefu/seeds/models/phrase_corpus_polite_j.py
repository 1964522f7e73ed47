"""seeds/phrase_corpus_polite_j.csv — new polite replies (plain product/service facts, deadlines and sold-out states with what the customer can do now, grounded commitments, exceptions done the proper way and privacy kept) for the learned phrase judge (see _phrase_corpus)."""
from ._phrase_corpus import Model, Row

FILE = "phrase_corpus_polite_j.csv"

__all__ = ["FILE", "Model", "Row"]
