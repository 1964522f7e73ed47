"""What an autograded test cell runs in the trainee's kernel: hand the answers over as plain data.

The hidden part of every kefu test cell is two lines::

    __import__("kefu.answers").answers.emit(<the question's answer variable names, quoted>)
    0

``emit`` looks the named answer variables up in the notebook's namespace and shows their values as
one ``display_data`` output of MIME type :data:`MIME` (JSON: strings, numbers, booleans, None, lists
and dicts with string keys, size-bounded). Nothing is scored here and no key is ever passed in:
the grader's own process (:class:`kefu.autograde.trusted.TrustedScore`) reads the payload from the
executed notebook and marks it against the instructor-side keys. The cell's last output is the
number 0, so stock nbgrader *without* kefu's configuration scores the cell zero, never full marks.

A missing variable is reported as not answered, never raised (a NameError here would only show the
trainee a traceback). Anything that is not plain data (objects, functions, modules) is replaced by
``None`` and named in ``unsupported``: values leave the kernel, code and objects never do.

This module runs inside an untrusted kernel: the trainee may replace it, so it holds no secret and
its output proves nothing except what the trainee chose to answer.
"""
from __future__ import annotations

import json
import math
import numbers
import sys
from typing import Any

MIME = "application/vnd.kefu.answers+json"
VERSION = 1
MAX_TEXT = 20_000          # characters per string
MAX_ITEMS = 2_000          # items per list / dict
MAX_DEPTH = 8
MAX_BYTES = 200_000        # the whole payload as JSON
_MISSING = object()


class NotData(ValueError):
    """The value is not plain JSON-able data within the bounds."""


def to_data(value: Any, depth: int = 0) -> Any:
    """``value`` as plain JSON data, or :class:`NotData`. Tuples and sets become lists; numpy-like
    numbers become int/float; NaN/inf become None (they are not JSON)."""
    if depth > MAX_DEPTH:
        raise NotData("nested too deeply")
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise NotData("text too long")
        return str(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        x = float(value)
        return x if math.isfinite(x) else None
    if isinstance(value, (list, tuple)):
        if len(value) > MAX_ITEMS:
            raise NotData("too many items")
        return [to_data(v, depth + 1) for v in value]
    if isinstance(value, (set, frozenset)):
        if len(value) > MAX_ITEMS:
            raise NotData("too many items")
        items = [to_data(v, depth + 1) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    if isinstance(value, dict):
        if len(value) > MAX_ITEMS:
            raise NotData("too many items")
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise NotData("dict keys must be text")
            out[str(k)] = to_data(v, depth + 1)
        return out
    raise NotData(type(value).__name__)


def _namespace() -> dict[str, Any]:
    # the caller is the test cell: its globals are the notebook's namespace
    frame = sys._getframe(2)
    return frame.f_globals


def payload(names: tuple[str, ...], namespace: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    missing: list[str] = []
    unsupported: list[str] = []
    for name in names:
        value = namespace.get(name, _MISSING)
        if value is _MISSING:
            missing.append(name)
            continue
        try:
            values[name] = to_data(value)
        except (NotData, RecursionError, TypeError, ValueError, OverflowError):
            values[name] = None
            unsupported.append(name)
    data = {"v": VERSION, "values": values, "missing": missing, "unsupported": unsupported}
    if len(json.dumps(data, ensure_ascii=False)) > MAX_BYTES:
        data = {"v": VERSION, "values": {}, "missing": [], "unsupported": list(names)}
    return data


def emit(*names: str) -> int:
    """Show the values of the answer variables ``names`` as one kefu answers payload; returns 0."""
    data = payload(tuple(str(n) for n in names), _namespace())
    shown = "已记录作答:" + "、".join(names) + "(交卷后由评分程序评分)"
    try:
        from IPython.display import display

        display({MIME: data, "text/plain": shown}, raw=True)
    except ImportError:  # plain Python (no kernel): print the payload
        print(json.dumps(data, ensure_ascii=False))
    return 0
