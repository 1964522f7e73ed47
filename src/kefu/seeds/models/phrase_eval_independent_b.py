"""seeds/phrase_eval_independent_b.csv — sealed independent evaluation set: never trained on; written blind to the phrasebook and the corpus."""
from ._phrase_corpus import Model, Row

FILE = "phrase_eval_independent_b.csv"

# measures the judge, teaches nothing: kept out of curriculum coverage and of the trainee's seeds copy
TEACHABLE = False

__all__ = ["FILE", "Model", "Row", "TEACHABLE"]
