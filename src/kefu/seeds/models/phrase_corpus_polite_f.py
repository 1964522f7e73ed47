"""seeds/phrase_corpus_polite_f.csv — polite hard negatives for the learned phrase judge (see _phrase_corpus):
causes explained without blame, warm hand-offs, patience with repeats and waiting, firm but polite
boundaries, respectful explanations, the agent's role stated before helping, short everyday replies."""
from ._phrase_corpus import Model, Row

FILE = "phrase_corpus_polite_f.csv"

__all__ = ["FILE", "Model", "Row"]
