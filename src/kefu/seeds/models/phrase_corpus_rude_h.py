"""seeds/phrase_corpus_rude_h.csv — new forbidden replies (bare refusals and over-promising, house-style violations) for the learned phrase judge (see _phrase_corpus)."""
from ._phrase_corpus import Model, Row

FILE = "phrase_corpus_rude_h.csv"

__all__ = ["FILE", "Model", "Row"]
