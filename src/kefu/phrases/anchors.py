"""Literal anchors of a regular expression, for an Aho–Corasick prefilter.

``anchors(pattern)`` returns a set of strings such that every match of the pattern contains at
least one of them, or ``None`` when no useful set is found (the pattern is then always tried).
The result only decides which rules are tried on a text, never what they match, so a cautious
``None`` is always safe.
"""
from __future__ import annotations

from itertools import product

try:  # Python 3.11+
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as P  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse as P  # type: ignore[no-redef]

CAP = 96  # largest anchor set / exact-language size considered

Strings = frozenset  # of str


def _cat(a: Strings, b: Strings) -> Strings | None:
    if len(a) * len(b) > CAP:
        return None
    return frozenset(x + y for x, y in product(a, b))


def _exact(op, av) -> Strings | None:
    """All strings the node can match, if that is a small finite set."""
    if op is C.LITERAL:
        return frozenset([chr(av)])
    if op is C.SUBPATTERN:
        return _exact_seq(av[-1])
    if op is C.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            s = _exact_seq(alt)
            if s is None:
                return None
            out |= s
        return frozenset(out) if len(out) <= CAP else None
    if op in (C.MAX_REPEAT, C.MIN_REPEAT):
        lo, hi, sub = av
        if (lo, hi) == (0, 1):
            s = _exact_seq(sub)
            return None if s is None else s | {""}
        return None
    if op is C.IN:
        chars = set()
        for kind, val in av:
            if kind is not C.LITERAL:
                return None
            chars.add(chr(val))
        return frozenset(chars) if len(chars) <= CAP else None
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return frozenset([""])  # zero-width
    return None


def _exact_seq(items) -> Strings | None:
    out: Strings = frozenset([""])
    for op, av in items:
        s = _exact(op, av)
        if s is None:
            return None
        out = _cat(out, s)
        if out is None:
            return None
    return out


def _score(s: Strings | None) -> tuple[int, int]:
    if not s:
        return (0, 0)
    return (min(len(x) for x in s), -len(s))


def _contains(op, av) -> Strings | None:
    """A set of strings one of which every match of the node contains."""
    if op is C.SUBPATTERN:
        return _contains_seq(av[-1])
    if op is C.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            s = _contains_seq(alt)
            if not s or min(map(len, s)) == 0:
                return None
            out |= s
        return frozenset(out) if len(out) <= CAP else None
    if op in (C.MAX_REPEAT, C.MIN_REPEAT):
        lo, _hi, sub = av
        return _contains_seq(sub) if lo >= 1 else None
    s = _exact(op, av)
    return s if s and min(map(len, s)) > 0 else None


def _contains_seq(items) -> Strings | None:
    items = list(items)
    exact = [_exact(op, av) for op, av in items]
    best: Strings | None = None
    # contiguous windows of exactly-known elements: their concatenation must appear in a match
    for i in range(len(items)):
        acc: Strings | None = frozenset([""])
        for j in range(i, len(items)):
            if exact[j] is None or acc is None:
                break
            acc = _cat(acc, exact[j])
            if acc is not None and _score(acc) > _score(best) and min(map(len, acc)) > 0:
                best = acc
    for op, av in items:
        s = _contains(op, av)
        if s is not None and _score(s) > _score(best):
            best = s
    return best


def anchors(pattern: str) -> Strings | None:
    try:
        parsed = P.parse(pattern)
    except Exception:  # noqa: BLE001 — anything unusual: no anchors, always tried
        return None
    s = _contains_seq(list(parsed))
    return s if s and min(map(len, s)) > 0 else None
