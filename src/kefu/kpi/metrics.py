"""Call-log metrics per agent and overall (definitions: seeds/kpi.yml, ``metrics``)."""
from __future__ import annotations

from typing import Any

from .schema import validate_frame
from .scoring import dimension_scores, weighted_score


def _rate(part: Any, whole: int) -> float | None:
    return float(part) / whole if whole else None


def _answered_metrics(ans: Any) -> dict[str, Any]:
    """calls, aht, fcr, csat, qa, conversion, accuracy over answered calls."""
    n = int(len(ans))
    if n == 0:
        return {"calls": 0, "aht": None, "fcr": None, "csat": None, "qa": None,
                "conversion": None, "accuracy": None}
    handle = ans["talk_seconds"] + ans["hold_seconds"] + ans["wrap_seconds"]
    rated = ans["csat"].dropna()
    qa = ans["qa_score"].dropna()
    return {
        "calls": n,
        "aht": float(handle.mean()),
        "fcr": _rate(ans["first_contact_resolved"].sum(), n),
        "csat": _rate((rated >= 4).sum(), len(rated)),
        "qa": float(qa.mean()) if len(qa) else None,
        "conversion": _rate(ans["converted"].sum(), n),
        "accuracy": 1.0 - float((ans["errors"] > 0).sum()) / n,
    }


def _with_score(m: dict[str, Any]) -> dict[str, Any]:
    score, grade = weighted_score(dimension_scores(m))
    m["score"], m["grade"] = score, grade
    return m


def compute(frame: Any, sl_threshold: float | None = None) -> dict[str, Any]:
    """Metrics of a call log: ``{"overall": {...}, "agents": {agent_id: {...}}}``.

    Per agent and overall: calls, aht, fcr, csat, qa, conversion, accuracy, score, grade.
    Overall only: asa, abandonment_rate, service_level (answered within ``sl_threshold``
    seconds — default from seeds/kpi.yml — divided by all offered calls).
    A metric with nothing to measure (e.g. no rated calls) is None.
    The frame is checked first (raises :class:`kefu.kpi.CallLogError`).
    """
    if sl_threshold is None:
        from kefu.seeds import load

        sl_threshold = load("kpi.yml").service_level_threshold.seconds
    if sl_threshold < 0:
        raise ValueError("服务水平门限秒数不能为负数")
    df = validate_frame(frame, name="通话记录").frame
    ans = df[df["abandoned"] == 0]
    offered = int(len(df))
    overall = _answered_metrics(ans)
    overall["asa"] = float(ans["queue_seconds"].mean()) if len(ans) else None
    overall["abandonment_rate"] = _rate(df["abandoned"].sum(), offered)
    overall["service_level"] = _rate((ans["queue_seconds"] <= sl_threshold).sum(), offered)
    _with_score(overall)
    agents = {
        str(agent): _with_score(_answered_metrics(group))
        for agent, group in sorted(ans.groupby("agent_id"), key=lambda kv: str(kv[0]))
    }
    return {"overall": overall, "agents": agents}
