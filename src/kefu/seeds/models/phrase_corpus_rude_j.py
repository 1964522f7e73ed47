"""seeds/phrase_corpus_rude_j.csv — new forbidden replies (over-promising and house-style violations, lecturing after the fact, buck-passing) for the learned phrase judge (see _phrase_corpus)."""
from ._phrase_corpus import Model, Row

FILE = "phrase_corpus_rude_j.csv"

__all__ = ["FILE", "Model", "Row"]
