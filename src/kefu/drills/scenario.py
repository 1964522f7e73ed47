"""Scenario choice: what do you say in a silent call, a call you can't hear, a dialect call, on a
holiday morning? The drill picks the situation (and a date and time); the right line comes from
the script rules in kefu.scripts, never from this file."""
from __future__ import annotations

from datetime import datetime

from . import sources
from .base import rng
from .choice import ChoiceQuiz

KINDS = ("holiday-morning", "silent-call", "cant-hear", "dialect", "ordinary-opening")


class ScenarioChoice(ChoiceQuiz):
    """A ChoiceQuiz whose questions are generated from the script rules.

    ``kinds`` picks the situations (default: all of ``KINDS``); ``when`` fixes the date and time
    for the opening questions (otherwise the drill picks one with ``seed``).
    """

    title = "情景选择:这时候该怎么说?"

    def __init__(self, kinds: list[str] | tuple[str, ...] | None = None, *, seed: int | None = 0,
                 when: datetime | None = None, title: str | None = None) -> None:
        r = rng(seed)
        kinds = list(kinds or KINDS)
        unknown = [k for k in kinds if k not in KINDS]
        if unknown:
            raise ValueError(f"不认识的情景:{', '.join(unknown)};可选:{', '.join(KINDS)}")
        questions = [sources.scenario_question(k, r, when=when) for k in kinds]
        super().__init__(questions, title=title,
                         instructions="读情景,选出客服这时最合适的说法,点“检查”看依据。", seed=seed)
