"""Warm-up run once in the kernel zygote, before it forks the first kernel.

Every kernel is a fresh fork of the zygote, so whatever the zygote has already computed is shared
copy-on-write by all of them, and work a kernel would repeat every time is done once. Only caches of
*code* are filled here, never data: a kernel can read all of its memory, so no seed file (the question
bank and answer keys especially), phrase list or course file is ever loaded in the zygote — kernels run
in the sandbox, where seeds/ does not exist, and the trusted scoring reads them outside. Filled:

- the traditional→simplified converter (OpenCC's own dictionaries, part of the installed package);
- IPython's traceback machinery (``stack_data``, pygments, ``inspect``'s module-by-file cache): a
  failing test or an unanswered cell (``NotImplementedError``) is formatted by the kernel, and the
  first traceback in a process costs far more than the next; the style class and palette lookups
  that every traceback repeats are remembered (:func:`_traceback_colours`).

Each step is independent and failures are ignored: a cache that is not warm only costs time.

The grader-side counterpart, which does read seeds/ (keys, the phrase judge's model, the rewrite
examples), is :func:`kefu.autograde.trusted.warm`, run in the batch process and never in the zygote.
"""
from __future__ import annotations

from typing import Callable


def _opencc() -> None:
    from kefu.authoring.marking import _t2s

    _t2s()


def _traceback_colours() -> None:
    """Every traceback a kernel formats builds the same pygments style class (stack_data) and maps
    its colours to the 256-colour palette again; both depend only on their arguments, so they are
    remembered (same class, same palette index; the text produced is unchanged)."""
    import stack_data
    from pygments.formatters.terminal256 import Terminal256Formatter

    if getattr(stack_data, "_kefu_memo", False):
        return
    make_style = stack_data.style_with_executing_node
    styles: dict[tuple[object, object], object] = {}

    def style_with_executing_node(style: object, modifier: object) -> object:
        key = (style, modifier)
        try:
            return styles[key]
        except TypeError:  # unhashable: not remembered
            return make_style(style, modifier)
        except KeyError:
            out = styles[key] = make_style(style, modifier)
            return out

    closest = Terminal256Formatter._closest_color
    colours: dict[tuple[type, int, int, int], int] = {}

    def _closest_color(self: Terminal256Formatter, r: int, g: int, b: int) -> int:
        key = (type(self), r, g, b)
        found = colours.get(key)
        if found is None:
            found = colours[key] = closest(self, r, g, b)
        return found

    stack_data.style_with_executing_node = style_with_executing_node
    Terminal256Formatter._closest_color = _closest_color  # type: ignore[method-assign]
    stack_data._kefu_memo = True


def _tracebacks() -> None:
    import sys

    from IPython.core import ultratb

    source = "def _warm():\n    raise NotImplementedError()\n_warm()\n"
    code = compile(source, "<kefu-warmup>", "exec")
    for mode in ("Context",):
        try:
            exec(code, {})
        except NotImplementedError:
            ultratb.AutoFormattedTB(mode=mode).structured_traceback(*sys.exc_info())


STEPS: tuple[Callable[[], None], ...] = (_opencc, _traceback_colours, _tracebacks)


def warm() -> None:
    for step in STEPS:
        try:
            step()
        except Exception:  # noqa: BLE001
            pass
