"""seeds/phrase_corpus_rude_m.csv — new forbidden replies (impatience said calmly or indirectly, and blame and lecturing after the fact) for the learned phrase judge (see _phrase_corpus)."""
from ._phrase_corpus import Model, Row

FILE = "phrase_corpus_rude_m.csv"

__all__ = ["FILE", "Model", "Row"]
