"""Erlang C staffing: how many agents a queue of calls needs.

The M/M/N model with an infinite queue and no abandonment (A. K. Erlang, 1917; see e.g.
Gans, Koole & Mandelbaum, "Telephone call centers: tutorial, review and research prospects",
M&SOM 5(2), 2003, section 4.1):

- traffic intensity in Erlangs: ``A = λ · AHT`` with λ = calls / period;
- probability that a call has to wait (Erlang C), for N > A agents::

      P_wait = (A^N / N! · N / (N − A)) / (Σ_{k=0}^{N−1} A^k / k!  +  A^N / N! · N / (N − A))

  computed stably from the Erlang B recursion ``B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1))``
  and ``P_wait = N·B(N) / (N − A·(1 − B(N)))`` (no large powers or factorials);
- service level (share answered within T seconds): ``SL = 1 − P_wait · e^{−(N − A)·T / AHT}``;
- average speed of answer: ``ASA = P_wait · AHT / (N − A)``;
- occupancy: ``A / N``;
- scheduled agents after shrinkage s (absence, breaks, training): ``ceil(N / (1 − s))``.

With N ≤ A the queue grows without limit: every call waits, the service level is 0 and the
ASA is infinite (reported as ``None``).
"""
from __future__ import annotations

import math


def traffic(calls: float, period: float, aht: float) -> float:
    """Offered traffic in Erlangs: calls per second × average handling time."""
    return calls / period * aht


def erlang_b(traffic_a: float, agents: int) -> float:
    """Blocking probability of Erlang B, by the stable recursion."""
    b = 1.0
    for k in range(1, agents + 1):
        b = traffic_a * b / (k + traffic_a * b)
    return b


def wait_probability(traffic_a: float, agents: int) -> float:
    """Erlang C: probability that an arriving call must queue."""
    if agents <= traffic_a:
        return 1.0
    if traffic_a <= 0:
        return 0.0
    b = erlang_b(traffic_a, agents)
    return agents * b / (agents - traffic_a * (1 - b))


def service_level(traffic: float, agents: int, aht: float, target: float) -> float:
    """Share of calls answered within ``target`` seconds."""
    if agents <= traffic:
        return 0.0
    pw = wait_probability(traffic, agents)
    return max(0.0, 1.0 - pw * math.exp(-(agents - traffic) * target / aht))


_service_level = service_level  # staffing() has a parameter of the same name


def asa(traffic_a: float, agents: int, aht: float) -> float | None:
    """Average speed of answer in seconds (None when the queue is unstable)."""
    if agents <= traffic_a:
        return None
    return wait_probability(traffic_a, agents) * aht / (agents - traffic_a)


def scheduled_agents(agents: int, shrinkage: float) -> int:
    """Agents to put on the rota so that ``agents`` are actually taking calls."""
    # round first so that 14 / 0.7 = 20.000000000000004 counts as 20
    return math.ceil(round(agents / (1 - shrinkage), 9))


def required_agents(
    traffic_a: float, aht: float, target: float, service_level_goal: float,
    max_occupancy: float | None = None, limit: int = 100_000,
) -> int:
    """Fewest agents reaching the service-level goal (and at most ``max_occupancy``)."""
    n = max(1, math.floor(traffic_a) + 1)
    while n <= limit:
        ok = service_level(traffic_a, n, aht, target) >= service_level_goal
        if ok and (max_occupancy is None or traffic_a / n <= max_occupancy):
            return n
        n += 1
    raise ValueError("所需坐席数超出可计算范围,请检查输入")


def staffing(
    calls: float, period: float, aht: float, target: float,
    service_level: float | None = None, agents: int | None = None,
    shrinkage: float = 0.0, max_occupancy: float | None = None,
) -> dict:
    """Staffing figures for ``calls`` arriving in ``period`` seconds with average handling time
    ``aht`` seconds and an answer-time target of ``target`` seconds.

    Give either ``service_level`` (a goal such as 0.8: find the agents needed) or ``agents``
    (evaluate that many). Returns ``agents, traffic, wait_probability, service_level, asa,
    occupancy, scheduled_agents``.
    """
    if (service_level is None) == (agents is None):
        raise ValueError("请在目标服务水平和坐席人数中二选一")
    for name, value in (("calls", calls), ("period", period), ("aht", aht)):
        if not value > 0:
            raise ValueError(f"{name} 必须大于 0")
    if target < 0:
        raise ValueError("target 不能为负数")
    if not 0 <= shrinkage < 1:
        raise ValueError("shrinkage 应在 0 到 1 之间(不含 1)")
    a = traffic(calls, period, aht)
    if service_level is not None:
        if not 0 < service_level < 1:
            raise ValueError("目标服务水平应在 0 到 1 之间")
        n = required_agents(a, aht, target, service_level, max_occupancy)
    else:
        n = int(agents)  # type: ignore[arg-type]
        if n < 1:
            raise ValueError("坐席人数至少为 1")
    return {
        "agents": n,
        "traffic": a,
        "wait_probability": wait_probability(a, n),
        "service_level": _service_level(a, n, aht, target),
        "asa": asa(a, n, aht),
        "occupancy": min(1.0, a / n),
        "scheduled_agents": scheduled_agents(n, shrinkage),
    }
