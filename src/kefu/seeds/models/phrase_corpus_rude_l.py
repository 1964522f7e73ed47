"""seeds/phrase_corpus_rude_l.csv — new forbidden replies (不规范 side deals, guarantees, gossip and credential requests; 否定 refusals said as plain facts) for the learned phrase judge (see _phrase_corpus)."""
from ._phrase_corpus import Model, Row

FILE = "phrase_corpus_rude_l.csv"

__all__ = ["FILE", "Model", "Row"]
