"""seeds/phrase_corpus_rude_g.csv — new forbidden replies (after-the-fact blame, polite buck-passing, impatience, defiance, contempt) for the learned phrase judge (see _phrase_corpus)."""
from ._phrase_corpus import Model, Row

FILE = "phrase_corpus_rude_g.csv"

__all__ = ["FILE", "Model", "Row"]
