"""Synthetic call logs for notebooks, exercises and the demo (seeded, so reproducible).

How a log is made (all figures are the kit's assumptions, chosen to look like a small hotline):

- Agents ``A01…`` work the three shifts of manual 003 (早班 8 to 16 h, 中班 12 to 20 h,
  晚班 16:00–24:00), half of them on the early shift; each has a skill level from 0.35 to 0.95.
- Calls arrive between 8:00 and 24:00 with a morning peak (9–11 h) and an afternoon peak
  (14–16 h); Mondays are busier, weekends quieter.
- A small queue simulation routes each call to the agent who has been free longest; a caller
  waits until an agent is free or gives up after a gamma-distributed patience, so
  abandonment rises with queue time in the busy hours.
- Skill shortens talk, hold and wrap time and raises first-contact resolution, satisfaction,
  QA score and conversion, and lowers errors. About 40 % of callers rate the call; about 15 %
  of calls are spot-checked by QA.
"""
from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

SHIFTS = [(8, 16), (12, 20), (16, 24)]  # hours, manual 003
ROTA = [0, 1, 2, 0]  # shift of agent i is SHIFTS[ROTA[i % 4]]: the early shift covers the morning peak
HOURLY = {8: 0.5, 9: 1.0, 10: 1.2, 11: 1.0, 12: 0.6, 13: 0.9, 14: 1.3, 15: 1.2,
          16: 0.9, 17: 0.6, 18: 0.5, 19: 0.4, 20: 0.35, 21: 0.25, 22: 0.15, 23: 0.1}
WEEKDAY = [1.15, 1.0, 1.0, 1.0, 0.95, 0.75, 0.7]  # Monday … Sunday


def _agents(n: int, rng: Any) -> list[dict[str, Any]]:
    import numpy as np

    skills = rng.permutation(np.linspace(0.35, 0.95, n)) if n > 1 else np.array([0.6])
    out = []
    for i in range(n):
        start, end = SHIFTS[ROTA[i % len(ROTA)]] if n >= 3 else (8, 24)
        out.append({"id": f"A{i + 1:02d}", "skill": float(skills[i]), "start": start * 3600, "end": end * 3600})
    return out


def _handle(skill: float, wait: float, rng: Any) -> dict[str, Any]:
    talk = rng.lognormal(math.log(170 * (1.3 - 0.5 * skill)), 0.45)
    hold = rng.exponential(45) if rng.random() < 0.35 * (1.1 - skill) else 0.0
    wrap = max(5.0, rng.normal(35 - 20 * skill, 8))
    resolved = rng.random() < min(0.97, 0.62 + 0.3 * skill - (0.05 if hold else 0))
    errors = int(rng.poisson(0.02 + 0.25 * (1 - skill)))
    converted = rng.random() < 0.03 + 0.14 * skill
    csat = None
    if rng.random() < 0.4:
        mood = (2.9 + 1.6 * skill + 0.5 * resolved - 0.6 * (wait > 60) - 0.3 * (errors > 0)
                + rng.normal(0, 0.8))
        csat = int(min(5, max(1, round(mood))))
    qa = None
    if rng.random() < 0.15:
        qa = int(min(100, max(0, round(rng.normal(62 + 33 * skill - 8 * (errors > 0), 6)))))
    return {"talk_seconds": round(talk), "hold_seconds": round(hold), "wrap_seconds": round(wrap),
            "first_contact_resolved": int(resolved), "csat": csat, "qa_score": qa,
            "converted": int(converted), "errors": errors}


def generate_calls(
    agents: int = 8, days: int = 5, seed: int = 0, start: str | date = "2025-06-02",
    calls_per_day: float | None = None, patience: float = 100.0,
) -> Any:
    """A call log (pandas DataFrame in the schema of :mod:`kefu.kpi.schema`).

    ``calls_per_day`` defaults to 45 per agent (before the weekday factor); ``patience`` is the
    mean number of seconds a caller waits before hanging up.
    """
    import numpy as np
    import pandas as pd

    from kefu.kpi.schema import COLUMNS, typed_frame

    if agents < 1 or days < 1:
        raise ValueError("agents 和 days 至少为 1")
    rng = np.random.default_rng(seed)
    day0 = date.fromisoformat(start) if isinstance(start, str) else start
    team = _agents(agents, rng)
    per_day = 45.0 * agents if calls_per_day is None else float(calls_per_day)
    hours = np.array(sorted(HOURLY))
    weights = np.array([HOURLY[h] for h in hours])
    weights = weights / weights.sum()
    rows: list[dict[str, Any]] = []
    for d in range(days):
        day = day0 + timedelta(days=d)
        n = int(rng.poisson(per_day * WEEKDAY[day.weekday()]))
        arrivals = np.sort(rng.choice(hours, size=n, p=weights) * 3600 + rng.uniform(0, 3600, size=n))
        free = {a["id"]: float(a["start"]) for a in team}
        midnight = datetime.combine(day, datetime.min.time())
        for k, t in enumerate(arrivals):
            on_duty = [a for a in team if a["start"] <= t < a["end"]]
            agent = min(on_duty, key=lambda a: (max(free[a["id"]], t), free[a["id"]]))
            wait = max(0.0, free[agent["id"]] - t)
            give_up = rng.gamma(2.0, patience / 2.0)  # few callers hang up within seconds
            row: dict[str, Any] = {"call_id": f"C{day:%Y%m%d}-{k + 1:04d}",
                                   "started_at": midnight + timedelta(seconds=round(t))}
            if wait > give_up:
                row.update(agent_id=None, queue_seconds=max(1, round(give_up)), talk_seconds=0,
                           hold_seconds=0, wrap_seconds=0, abandoned=1, first_contact_resolved=None,
                           csat=None, qa_score=None, converted=0, errors=0)
            else:
                h = _handle(agent["skill"], wait, rng)
                row.update(agent_id=agent["id"], queue_seconds=round(wait), abandoned=0, **h)
                free[agent["id"]] = t + wait + h["talk_seconds"] + h["hold_seconds"] + h["wrap_seconds"]
            rows.append(row)
    return typed_frame(pd.DataFrame(rows, columns=COLUMNS))


def write_calls(frame: Any, path: str | Path) -> Path:
    """Write a call log as .csv (UTF-8, ISO 8601 times) or .xlsx, chosen by the file suffix."""
    import pandas as pd

    p = Path(path)
    out = frame.copy()
    for col in ("queue_seconds", "talk_seconds", "hold_seconds", "wrap_seconds", "qa_score"):
        values = out[col].dropna()
        if (values == values.round()).all():
            out[col] = pd.array([None if pd.isna(v) else int(v) for v in out[col]], dtype="Int64")
    suffix = p.suffix.lower()
    if suffix == ".csv":
        out["started_at"] = out["started_at"].dt.strftime("%Y-%m-%dT%H:%M:%S")
        out.to_csv(p, index=False, encoding="utf-8")
    elif suffix == ".xlsx":
        out.to_excel(p, index=False, engine="openpyxl")
    else:
        raise ValueError("只支持写出 .csv 或 .xlsx")
    return p
