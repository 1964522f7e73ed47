"""seeds/phrase_eval_fresh_a.csv — sealed evaluation set written in the eleventh session by three writers blind to the
repository (phrasebook, corpus, training replies), as a natural mix of what agents type; curated only against the
other files (repeats, near variants), never against the judge's verdicts. Never trained on."""
from ._phrase_corpus import Model, Row

FILE = "phrase_eval_fresh_a.csv"

# measures the judge, teaches nothing: kept out of curriculum coverage and of the trainee's seeds copy
TEACHABLE = False

__all__ = ["FILE", "Model", "Row", "TEACHABLE"]
