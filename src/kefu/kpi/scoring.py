"""Weighted performance score and grade, from the dimensions and cut-offs in seeds/kpi.yml."""
from __future__ import annotations

from typing import Any, Mapping


def _model() -> Any:
    from kefu.seeds import load

    return load("kpi.yml")


def dimension_score(dimension_id: str, value: float | None) -> float | None:
    """Map a raw metric to 0–100 by the dimension's linear band (clamped); None stays None."""
    if value is None:
        return None
    sc = _model().dimension(dimension_id).scoring
    frac = (value - sc.zero_at) / (sc.full_at - sc.zero_at)
    return 100.0 * min(1.0, max(0.0, frac))


def dimension_scores(metrics: Mapping[str, Any]) -> dict[str, float | None]:
    """0–100 score of every dimension from a metrics dict (keys as in :func:`kefu.kpi.compute`)."""
    return {d.id: dimension_score(d.id, metrics.get(d.scoring.metric)) for d in _model().dimensions}


def grade(score: float) -> str:
    """Grade label (A, B+, B, C, D) of a 0–100 score."""
    return _model().grade_for(score).label


def weighted_score(dimension_scores: Mapping[str, float | None]) -> tuple[float | None, str | None]:
    """Weighted score (0–100, one decimal) and grade from the five dimensions' 0–100 scores.

    Keys are the dimension ids of seeds/kpi.yml. A dimension that is absent or None has no
    data: its weight is spread over the others (rule ``missing-dimension-reweight``).
    Returns (None, None) when no dimension has data.
    """
    model = _model()
    known = {d.id for d in model.dimensions}
    unknown = [k for k in dimension_scores if k not in known]
    if unknown:
        raise ValueError(f"未知的考核维度 {', '.join(unknown)};可用的维度:{', '.join(sorted(known))}")
    total = weight = 0.0
    for d in model.dimensions:
        s = dimension_scores.get(d.id)
        if s is None:
            continue
        if not 0 <= s <= 100:
            raise ValueError(f"维度 {d.id}({d.name})的得分应在 0 到 100 之间,实际为 {s:g}")
        total += d.weight * s
        weight += d.weight
    if weight == 0:
        return None, None
    score = round(total / weight, 1)
    return score, grade(score)
