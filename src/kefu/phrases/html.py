"""HTML rendering of a check report (live checker drill, feedback)."""
from __future__ import annotations

from html import escape

from .engine import Report


def _title(v) -> str:
    if v.quoted:
        return f"引用提及(不算违规):“{v.forbidden}”"
    level = "禁用" if v.severity == "error" else "提示"
    return f"{level} · {v.category}:{v.why} 建议:{v.suggestion}(出处:{v.source})"


def highlight_html(report: Report) -> str:
    """The report's text as HTML, each offending span wrapped in
    ``<mark class="kefu-violation kefu-<severity>" title=...>`` (quoted mentions get
    ``<mark class="kefu-quoted">``); line breaks become ``<br>``."""
    text = report.text
    parts: list[str] = []
    pos = 0
    for v in sorted(report.violations, key=lambda v: v.start):
        if v.start < pos:  # overlapping spans are not produced by check(); skip defensively
            continue
        parts.append(escape(text[pos : v.start]))
        cls = "kefu-quoted" if v.quoted else f"kefu-violation kefu-{v.severity}"
        parts.append(
            f'<mark class="{cls}" data-rule="{escape(v.rule)}" title="{escape(_title(v))}">'
            f"{escape(text[v.start : v.end])}</mark>"
        )
        pos = v.end
    parts.append(escape(text[pos:]))
    return '<span class="kefu-phrases">' + "".join(parts).replace("\n", "<br>") + "</span>"
