"""seeds/phrase_corpus_rude_f.csv — new forbidden replies (flat refusals, over-promising and the harder families) for the learned phrase judge (see _phrase_corpus)."""
from ._phrase_corpus import Model, Row

FILE = "phrase_corpus_rude_f.csv"

__all__ = ["FILE", "Model", "Row"]
