"""Shared pieces of every drill: a title, a body of widgets, a 检查 button and a feedback panel.

A drill is a plain class: its widgets are attributes (so tests and notebooks can set values),
``check()`` evaluates the current answer, writes Chinese feedback into ``self.feedback`` and
returns True/False. Displaying the drill object shows its widget box.
"""
from __future__ import annotations

import html
import random
from typing import Any, Iterable

import ipywidgets as widgets

STYLE = """<style>
.kefu-fb{border-radius:6px;padding:8px 12px;margin:4px 0;line-height:1.6}
.kefu-ok{background:#e8f5e9;border-left:5px solid #2e7d32}
.kefu-bad{background:#fdecea;border-left:5px solid #c62828}
.kefu-info{background:#e3f2fd;border-left:5px solid #1565c0}
.kefu-fb ul{margin:4px 0 0 0;padding-left:20px}
mark.kefu-violation{background:#ffcdd2;color:#b71c1c;border-bottom:2px solid #c62828;padding:0 2px}
mark.kefu-quoted, mark.kefu-warning{background:#fff3cd}
.kefu-title{font-size:1.1em;font-weight:bold;margin:6px 0}
.kefu-prompt{font-size:1.05em;margin:4px 0}
</style>"""


def esc(text: Any) -> str:
    return html.escape(str(text))


def feedback_html(ok: bool | None, headline: str, reasons: Iterable[str] = (), *, raw: str = "") -> str:
    """A coloured feedback box: ok=True green, False red, None blue (information)."""
    kind = {True: "kefu-ok", False: "kefu-bad", None: "kefu-info"}[ok]
    icon = {True: "✔ ", False: "✘ ", None: ""}[ok]  # plain glyphs: no emoji font needed
    items = "".join(f"<li>{esc(r)}</li>" for r in reasons if r)
    body = f"<ul>{items}</ul>" if items else ""
    return f'{STYLE}<div class="kefu-fb {kind}"><b>{icon}{esc(headline)}</b>{body}{raw}</div>'


def rng(seed: int | None) -> random.Random:
    return random.Random(seed)


class Drill:
    """Base class. Subclasses build ``self.body`` (a list of widgets) and implement ``check``."""

    title: str = "练习"
    button_label: str = "检查"

    def __init__(self, *, title: str | None = None, instructions: str = "") -> None:
        if title:
            self.title = title
        self.passed: bool | None = None
        self.header = widgets.HTML(
            f'{STYLE}<div class="kefu-title">{esc(self.title)}</div>'
            + (f'<div class="kefu-prompt">{esc(instructions)}</div>' if instructions else "")
        )
        self.feedback = widgets.HTML("")
        self.button = widgets.Button(description=self.button_label, button_style="primary",
                                     icon="check")
        self.button.on_click(lambda _b: self.check())
        self.body: list[widgets.Widget] = []
        self._box: widgets.VBox | None = None

    # -- display -------------------------------------------------------------------------
    def controls(self) -> list[widgets.Widget]:
        """Buttons under the body; subclasses may add more (下一题, 显示答案...)."""
        return [self.button]

    @property
    def widget(self) -> widgets.VBox:
        if self._box is None:
            self._box = widgets.VBox(
                [self.header, *self.body, widgets.HBox(self.controls()), self.feedback],
                layout=widgets.Layout(border="1px solid #ddd", padding="8px", margin="8px 0"),
            )
        return self._box

    def _repr_mimebundle_(self, **kwargs: Any):
        return self.widget._repr_mimebundle_(**kwargs)

    # -- checking ------------------------------------------------------------------------
    def check(self) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def _say(self, ok: bool | None, headline: str, reasons: Iterable[str] = (), raw: str = "") -> bool:
        self.feedback.value = feedback_html(ok, headline, reasons, raw=raw)
        if ok is not None:
            self.passed = ok
        return bool(ok)

    @property
    def feedback_text(self) -> str:
        """The feedback without HTML tags (for tests and plain-text logs)."""
        import re

        text = re.sub(r"<style>.*?</style>", "", self.feedback.value, flags=re.S)
        return html.unescape(re.sub(r"<[^>]+>", " ", text))
