"""The lines that explain a rules report or a verdict to a trainee, one order wherever a verdict is shown (the live
checker's view and its check button, the quick-phrase drill): the drills only choose how to frame them."""
from __future__ import annotations

from typing import Any


def violation_lines(report: Any) -> list[str]:
    """One line per rule hit: must / should change, its category, the words, the suggestion and its source; a
    mention inside quotation marks or the customer's own words is said not to count."""
    lines = []
    for v in report.violations:
        cat = getattr(v, "category", "")
        if cat == "quoted":
            lines.append(f"“{v.match}”在引号里,只是提及,不算违规。")
            continue
        level = "必须改" if getattr(v, "severity", "error") == "error" else "建议改"
        line = f"【{level}·{cat}】“{v.match}”"
        if getattr(v, "suggestion", ""):
            line += f" → 建议说:“{v.suggestion}”"
        if getattr(v, "source", ""):
            line += f"(来源:{v.source})"
        lines.append(line)
    return lines


def verdict_lines(verdict: Any) -> list[str]:
    """Why the judge decided as it did. A rule's forbidden verdict is explained by the rules' lines; a model's
    forbidden verdict by its reason (nearest known forbidden reply or cue) after any warnings; an uncertain verdict
    by its reason first, since that says why the words a rule lists are not condemned outright (a grader decides);
    an ok verdict by the warnings and mentions, if any."""
    rules = violation_lines(verdict.report) if verdict.report is not None else []
    if verdict.outcome == "uncertain":
        return [verdict.reason, *rules]
    if verdict.outcome == "forbidden" and verdict.by == "model":
        return [*rules, verdict.reason]
    return rules
