"""The calibration report: agreement per dimension, items to re-grade, graders who drift."""
from __future__ import annotations

from typing import Any

import numpy as np

from .sample import TOTAL, Sample
from .stats import disagreements, grader_drift, icc_a1


def rubric() -> tuple[dict[str, str], dict[str, float]]:
    """Practical-exam dimensions: id → name, name → weight (seeds/practical_rubric.yml)."""
    from kefu.seeds import load

    dims = load("practical_rubric.yml").dimensions
    return {d.id: d.name for d in dims}, {d.name: float(d.weight) for d in dims}


def _with_total(sample: Sample, weights: dict[str, float]) -> dict[str, dict[str, dict[str, float]]]:
    """Adds the weighted 总分 where a grader scored every rubric dimension of an item."""
    scores = dict(sample.scores)
    if not weights or not set(weights) <= set(scores):
        return scores
    total: dict[str, dict[str, float]] = {}
    items = set.intersection(*(set(scores[d]) for d in weights))
    for item in sorted(items):
        for g in sample.graders:
            if all(g in scores[d][item] for d in weights):
                total.setdefault(item, {})[g] = sum(scores[d][item][g] * w for d, w in weights.items()) / 100
    if total:
        scores[TOTAL] = total
    return scores


def build_report(sample: Sample, settings: Any, weights: dict[str, float] | None = None) -> dict[str, Any]:
    """``settings`` is the seeds/calibration.yml model."""
    conf = settings.statistic.confidence
    dims = []
    all_drift: dict[str, list[float]] = {}
    for dim, by_item in _with_total(sample, weights or {}).items():
        graders = [g for g in sample.graders if any(g in s for s in by_item.values())]
        complete = sorted(i for i, s in by_item.items() if all(g in s for g in graders))
        incomplete = sorted(set(by_item) - set(complete))
        entry: dict[str, Any] = {"dimension": dim, "items": len(complete), "graders": graders,
                                 "incomplete_items": incomplete, "icc": None, "low": None, "high": None,
                                 "level": None, "note": ""}
        if len(graders) < 2 or not complete:
            entry["note"] = "共同打分的作答不足,无法比较"
            dims.append(entry)
            continue
        matrix = np.array([[by_item[i][g] for g in graders] for i in complete])
        entry["disagreements"] = disagreements(matrix, complete, graders, settings.margin.points)
        if len(complete) < settings.min_items.count:
            entry["note"] = f"共同作答只有 {len(complete)} 份(少于 {settings.min_items.count} 份),不计算一致性"
        else:
            icc = icc_a1(matrix, conf)
            entry.update(icc=round(icc.value, 4), low=round(icc.low, 4), high=round(icc.high, 4),
                         level=settings.levels.label(icc.value))
        drift = grader_drift(matrix, graders, settings.drift.points, conf)
        entry["drift"] = [
            {"grader": d.grader, "bias": round(d.bias, 2), "low": round(d.low, 2), "high": round(d.high, 2),
             "drifting": d.drifting} for d in drift
        ]
        for d in drift:
            if d.drifting:
                all_drift.setdefault(d.grader, []).append(d.bias)
        dims.append(entry)
    drifting = [
        {"grader": g, "dimensions": [e["dimension"] for e in dims
                                     if any(d["grader"] == g and d["drifting"] for d in e.get("drift", []))],
         "direction": "偏严" if float(np.mean(b)) < 0 else "偏松"}
        for g, b in all_drift.items()
    ]
    return {
        "file": sample.source,
        "graders": sample.graders,
        "confidence": conf,
        "margin": settings.margin.points,
        "drift_threshold": settings.drift.points,
        "dimensions": dims,
        "drifting_graders": drifting,
    }
