"""What the judge says about a reply: :class:`Verdict` (the decision) and :class:`Why` (its explanation).

The decision — ok / forbidden / uncertain, the confidence, the sentence it is about — is made first.
The explanation of a model verdict needs the nearest known forbidden reply, a search over thousands of
examples that costs more than the decision itself; it is made the first time any of its parts
(``reason``, ``category``, ``suggestion``, ``nearest``, ``similarity``, ``cue``) is read, and kept. A
trainee, a grader or ``to_dict`` reads it, so whatever a person sees still says why; a bulk screen of
transcripts that only counts flags does not pay for explanations nobody opens.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from .engine import Report

OK, FORBIDDEN, UNCERTAIN = "ok", "forbidden", "uncertain"


# plain slotted classes, not frozen ones: a frozen dataclass's __init__ sets each field through
# object.__setattr__, which was 1.1 µs of every verdict (~3 % of a judged reply); nothing changes them
@dataclass(slots=True)
class Why:
    reason: str  # Chinese: why, in one or two sentences
    category: str = ""
    suggestion: str = ""
    nearest: str = ""  # the most similar known forbidden reply (model verdicts)
    similarity: float = 0.0
    cue: str = ""  # judge.cues id when a cue lowered the bar the model's probability had to reach


@dataclass(slots=True)
class Verdict:
    text: str
    outcome: str  # "ok" | "forbidden" | "uncertain"
    confidence: float  # 0.5..1: how sure the judge is of this outcome
    # the model's probability that the worst sentence is forbidden (read it as ``probability``);
    # None until first read when a rule decided: the model's opinion does not change that verdict,
    # so a live check does not pay for it
    p: float | None
    by: str  # "rule" | "model" | "empty"
    rule: str = ""  # phrasebook entry id when a rule decided
    start: int = 0  # the sentence or phrase the verdict is about (offsets into the text as typed)
    end: int = 0
    report: Report | None = field(default=None, repr=False)
    later: Callable[[], float] | None = field(default=None, repr=False, compare=False)
    # the explanation: given, or made by ``explain`` when first read (see the module docstring)
    given: Why | None = field(default=None, repr=False, compare=False)
    explain: Callable[[], Why] | None = field(default=None, repr=False, compare=False)

    @property
    def why(self) -> Why:
        if self.given is None:
            self.given = self.explain() if self.explain else Why("")
        return self.given  # type: ignore[return-value]

    reason = property(lambda self: self.why.reason)
    category = property(lambda self: self.why.category)
    suggestion = property(lambda self: self.why.suggestion)
    nearest = property(lambda self: self.why.nearest)
    similarity = property(lambda self: self.why.similarity)
    cue = property(lambda self: self.why.cue)

    @property
    def probability(self) -> float:
        if self.p is None:
            self.p = self.later() if self.later else 0.0
        return self.p  # type: ignore[return-value]

    @property
    def ok(self) -> bool:
        return self.outcome == OK

    @property
    def needs_review(self) -> bool:
        """True for "uncertain": grading routes the reply to a human grader."""
        return self.outcome == UNCERTAIN

    def to_dict(self) -> dict[str, Any]:
        why = self.why
        return {
            "text": self.text, "outcome": self.outcome, "ok": self.ok, "needs_review": self.needs_review,
            "confidence": round(self.confidence, 3), "probability": round(self.probability, 3),
            "reason": why.reason, "by": self.by, "rule": self.rule, "category": why.category,
            "suggestion": why.suggestion, "nearest": why.nearest, "similarity": round(why.similarity, 3),
            "start": self.start, "end": self.end, "cue": why.cue,
            "violations": [v.to_dict() for v in (self.report.violations if self.report else [])],
        }
