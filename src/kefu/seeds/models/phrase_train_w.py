"""seeds/phrase_train_w.csv — training-only replies for the learned phrase judge (never measured; see kefu.phrases.corpus and _phrase_corpus)."""
from ._phrase_corpus import Model, Row

FILE = "phrase_train_w.csv"

__all__ = ["FILE", "Model", "Row"]
