"""seeds/phrase_corpus_rude_i.csv — new forbidden replies (flat refusals with no way forward and 我不能 / 我做不了 negative language) for the learned phrase judge (see _phrase_corpus)."""
from ._phrase_corpus import Model, Row

FILE = "phrase_corpus_rude_i.csv"

__all__ = ["FILE", "Model", "Row"]
