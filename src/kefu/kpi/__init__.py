"""Contact-centre KPIs from call logs: reading and checking a log (:mod:`.schema`), metrics per
agent and overall (:mod:`.metrics`), weighted performance score and grade (:mod:`.scoring`).

pandas is imported inside functions, so importing this package is cheap.
"""
from .metrics import compute
from .schema import COLUMNS, CallLog, CallLogError, read_calls, validate_frame
from .scoring import dimension_score, dimension_scores, grade, weighted_score

__all__ = [
    "COLUMNS",
    "CallLog",
    "CallLogError",
    "compute",
    "dimension_score",
    "dimension_scores",
    "grade",
    "read_calls",
    "validate_frame",
    "weighted_score",
]
