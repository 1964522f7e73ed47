"""Procedures whose steps have a right order, read from seeds/ and the rule engines.

Used by ordering exercises at build time (to show shuffled steps) and by their hidden tests on the
grader's machine (to know the right order without a key written in the release).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Step:
    id: str
    text: str


def _programme() -> list[Step]:
    from kefu.seeds import load

    p = load("programme.yml")
    sessions = sorted(p.sessions, key=lambda s: (s.day, s.start))
    return [Step(s.id, s.topic) for s in sessions]


def _guided_calls() -> list[Step]:
    from kefu.seeds import load

    g = load("programme.yml").guided_calls
    return [Step(f"{g.id}-{s.order}", s.who) for s in sorted(g.steps, key=lambda s: s.order)]


def _practice_phases() -> list[Step]:
    from kefu.seeds import load

    phases = sorted(load("programme.yml").phases, key=lambda p: p.first_day)
    return [Step(p.id, f"{p.title}:{p.mode}") for p in phases]


def _silent_call() -> list[Step]:
    from kefu.scripts import silent_call_steps

    return [Step(f"silent-{s.order}", s.text) for s in sorted(silent_call_steps(), key=lambda s: s.order)]


def _complaints(section: str) -> Callable[[], list[Step]]:
    def read() -> list[Step]:
        from kefu.seeds import load

        data = load("complaints.yml")
        steps = _attr(data, section)
        if hasattr(steps, "steps"):
            steps = steps.steps
        ordered = sorted(steps, key=lambda s: getattr(s, "order", 0) or 0) if all(
            getattr(s, "order", None) is not None for s in steps) else list(steps)
        return [Step(s.id, _step_text(s)) for s in ordered]

    return read


def _attr(obj: Any, name: str) -> Any:
    for cand in (name, name.replace("-", "_")):
        if isinstance(obj, dict) and cand in obj:
            return obj[cand]
        if hasattr(obj, cand):
            return getattr(obj, cand)
    raise KeyError(f"complaints.yml 中没有 {name}")


def _step_text(s: Any) -> str:
    for name in ("text", "title", "name", "action"):
        value = getattr(s, name, None)
        if value:
            extra = getattr(s, "description", None) or getattr(s, "detail", None)
            return f"{value}:{extra}" if extra and name != "text" else str(value)
    return str(s.id)


PROCEDURES: dict[str, Callable[[], list[Step]]] = {
    "programme": _programme,
    "guided-calls": _guided_calls,
    "practice-phases": _practice_phases,
    "silent-call": _silent_call,
    "leap": _complaints("leap"),
    "complaint-flow": _complaints("complaint_flow"),
}


def steps(name: str) -> list[Step]:
    """The steps of procedure ``name`` in the right order."""
    try:
        reader = PROCEDURES[name]
    except KeyError:
        raise KeyError(f"没有这个流程:{name}(可选:{'、'.join(PROCEDURES)})") from None
    return reader()
