"""话术检查 — forbidden and negative phrasing, read only from seeds/phrasebook.yml.

``check(text)`` finds the phrases a reply should not use (with offsets into the text as given and
a recommended rewrite); ``judge(text)`` adds the learned "similar reply" judge and returns a
verdict — ok / forbidden / uncertain — with a confidence and the reason (``verdict.needs_review``:
route to a grader); ``grade_rewrite(item, reply)`` scores a trainee's rewrite by meaning
(``result.needs_review`` likewise); ``highlight_html(report)`` marks the offending spans.
"""
from __future__ import annotations

from typing import Any

from .engine import QUOTED, Checker, Report, Violation, check, checker
from .grade import RewriteResult, grade_rewrite
from .html import highlight_html
from .judge import FORBIDDEN, OK, UNCERTAIN, Verdict, judge
from .lines import verdict_lines, violation_lines


def entries() -> list[Any]:
    """All phrasebook entries (pydantic models from seeds/phrasebook.yml)."""
    return list(checker().book.entries)


def entry(entry_id: str) -> Any:
    rule = checker().by_id.get(entry_id)
    if rule is None:
        raise KeyError(f"话术库中没有这个条目:{entry_id}")
    return rule.entry


def rewrite_items() -> list[Any]:
    return list(checker().book.rewrite_items)


def rewrite_item(item_id: str) -> Any:
    for item in checker().book.rewrite_items:
        if item.id == item_id:
            return item
    raise KeyError(f"话术库中没有这个改写题:{item_id}")


__all__ = [
    "FORBIDDEN",
    "OK",
    "UNCERTAIN",
    "QUOTED",
    "Verdict",
    "judge",
    "Checker",
    "Report",
    "RewriteResult",
    "Violation",
    "check",
    "checker",
    "entries",
    "entry",
    "grade_rewrite",
    "highlight_html",
    "rewrite_item",
    "rewrite_items",
    "verdict_lines",
    "violation_lines",
]
