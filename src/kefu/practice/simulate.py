"""A simulated two weeks of coached practice for a cohort (like kefu.data for call logs): each trainee
gets 1–3 QA-scored calls a day with a learning curve, and a KPI call log on some days. One trainee in
four is a slow learner who misses the trial; the rest improve into it. Deterministic for a seed."""
from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from . import store
from .record import practice_days


def simulate(course: str | Path, seed: int = 0, log_days: tuple[int, ...] = (3, 7, 14)) -> dict[str, Any]:
    """Record a simulated practice for every trainee on the roster. Returns {trainee: skill at day 1}."""
    from kefu import qa
    from kefu.cohort.workflow import check_cohort, roster_ids

    course = check_cohort(course)
    rng = random.Random(seed)
    items = qa.items()
    days = practice_days()
    out: dict[str, Any] = {}
    for n, trainee in enumerate(roster_ids(course)):
        slow = n % 4 == 3
        start = rng.uniform(0.45, 0.6) if slow else rng.uniform(0.6, 0.75)
        gain = rng.uniform(0.005, 0.012) if slow else rng.uniform(0.02, 0.03)
        out[trainee] = {"start": round(start, 2), "slow": slow}
        for day in range(1, days + 1):
            if rng.random() < 0.08 and day not in (1, days):  # an odd day off (sick, rota)
                continue
            skill = min(0.98, start + gain * day)
            for _ in range(rng.randint(1, 3)):
                earned: dict[str, float] = {}
                for item in items:
                    lost = 0.0
                    if getattr(item, "critical", False):
                        # a skipped identity check: rarer as the weeks go on, gone for a normal learner by the trial
                        if rng.random() < (0.12 if slow else max(0.0, 0.08 - 0.012 * day)):
                            lost = item.points
                    elif rng.random() > skill:
                        lost = min(item.points, round(item.points * rng.uniform(0.2, 0.6)))
                    earned[item.id] = item.points - lost
                res = qa.score_call({k: items_pts - earned[k] for k, items_pts in ((i.id, i.points) for i in items)})
                store.add_scorecard(course, trainee, day, earned, res.score, res.passed, res.critical_failed,
                                    source="simulated")
            if day in log_days:
                from kefu.data import generate_calls
                from kefu.kpi import compute

                frame = generate_calls(agents=1, days=1, seed=seed * 1000 + n * 20 + day, calls_per_day=25)
                agents = compute(frame)["agents"]
                m = next(iter(agents.values()))
                store.add_call_log(course, trainee, day, int(m.get("calls") or 0),
                                   {k: v for k, v in m.items() if isinstance(v, (int, float, str)) or v is None},
                                   source="simulated")
    return out
