"""seeds/phrase_train_w.csv — short training-only replies of both labels for the learned phrase judge (never measured;
see kefu.phrases.corpus and _phrase_corpus): the corpus's short replies are mostly forbidden, and this file evens that out."""
from ._phrase_corpus import Model, Row

FILE = "phrase_train_w.csv"

__all__ = ["FILE", "Model", "Row"]
