"""The phrase checker: compiled phrasebook, check(), reports and violations."""
from __future__ import annotations

import gc
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from operator import itemgetter
from typing import Any

from .normalise import NOT_WORD, Normalised, Normaliser

QUOTED = "quoted"
_RANK = {"error": 0, "warning": 1}


@dataclass(slots=True)
class Violation:
    rule: str  # phrasebook entry id
    category: str  # entry category, or "quoted" for a mention inside quotation marks
    severity: str  # "error" | "warning"
    start: int  # offsets into the text as given (half-open)
    end: int
    match: str
    suggestion: str
    source: str
    forbidden: str = ""
    why: str = ""

    @property
    def quoted(self) -> bool:
        return self.category == QUOTED

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "category": self.category,
            "start": self.start,
            "end": self.end,
            "match": self.match,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True)
class Report:
    text: str
    violations: list[Violation] = field(default_factory=list)
    # the normalised text the rules ran on, kept so the learned judge does not normalise twice
    normalised: Normalised | None = field(default=None, repr=False, compare=False)

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if not v.quoted and v.severity == "error"]

    @property
    def warnings(self) -> list[Violation]:
        return [v for v in self.violations if not v.quoted and v.severity != "error"]

    @property
    def mentions(self) -> list[Violation]:
        return [v for v in self.violations if v.quoted]

    @property
    def ok(self) -> bool:
        """True unless an error-level phrase is used (warnings and quoted mentions leave it true)."""
        return not self.errors

    @property
    def flagged(self) -> bool:
        """True when any phrase is used outside quotation marks (errors or warnings)."""
        return bool(self.errors or self.warnings)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "ok": self.ok, "violations": [v.to_dict() for v in self.violations]}


_second = itemgetter(1)


class _Spans:
    """Half-open spans sorted by start, answering overlap / containment queries in O(log n)."""

    __slots__ = ("starts", "max_end")

    def __init__(self, spans):
        spans = sorted(spans)
        self.starts = [a for a, _ in spans]
        self.max_end: list[int] = []
        best = -1
        for _, b in spans:
            best = max(best, b)
            self.max_end.append(best)

    def overlaps(self, s: int, e: int) -> bool:
        """Some span (a, b) with a < e and s < b."""
        k = bisect_left(self.starts, e)
        return k > 0 and self.max_end[k - 1] > s

    def contains(self, s: int, e: int) -> bool:
        """Some span (a, b) with a <= s and e <= b."""
        k = bisect_right(self.starts, s)
        return k > 0 and self.max_end[k - 1] >= e


# The scope macros (ALT, OFFER in seeds/phrasebook.yml) open with "up to N characters of the sentence, maybe one
# more sentence" so that the exception's span reaches back over the refusal it excuses. Python's re tries that
# prefix at every position, which made such exceptions most of the cost of checking a reply. The rest of the
# pattern must match somewhere whenever the whole does (at the end of the prefix, with the same text before it
# for its look-behinds), so a failed search for the rest alone proves there is no match.
_REACH_BACK = re.compile(r"^\[\^\.!\?\]\{0,\d+\}(?:\(\?:\[\.!\?\]\[\^\.!\?\]\{0,\d+\}\)\?)?")


def _gate(pattern: str) -> "re.Pattern[str] | None":
    """The pattern without its reach-back prefix, to search before the whole pattern; None when it has none."""
    m = _REACH_BACK.match(pattern)
    if not m or m.end() == len(pattern):
        return None
    try:
        return re.compile(pattern[m.end():])
    except re.error:  # the prefix was not a unit of this pattern (e.g. closed a group): no shortcut
        return None


# A long text (a pasted transcript, a hostile 1 MB answer) has each exception looked for only near the rule's
# hits: an exception excuses a hit only by overlapping it, and a match of at most `width` characters that
# overlaps (s, e) lies inside (s - width, e + width). Scanning the whole text instead cost one pass of every
# exception (the reach-back ones try ~60 characters at every position) per rule with a hit: 67 s for 1 MB of
# mixed replies. Short texts, every reply a trainee types, are scanned whole, as before.
_WINDOWED_FROM = 4096
_LOOK = 64  # room past a window for look-aheads and for $ (a window's end is not the text's end)
_MAX_WIDTH = 2048  # wider (or unbounded) exceptions are always scanned whole


def _width(rx: "re.Pattern[str]") -> int | None:
    """The longest match of ``rx`` when it is bounded and small, else None."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        hi = _parser.parse(rx.pattern, rx.flags).getwidth()[1]
    except Exception:  # noqa: BLE001 — no bound known: scan whole
        return None
    return hi if hi <= _MAX_WIDTH else None


def _windows(spans: list[tuple[int, int]], margin: int, n: int) -> list[tuple[int, int]]:
    """The spans widened by ``margin`` on both sides (within 0..n), overlapping ones merged."""
    out: list[list[int]] = []
    for s, e in sorted(spans):
        a, b = max(0, s - margin), min(n, e + margin)
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


_STOPS = re.compile(r"[.!?]")
_WORD = re.compile(r"[^\W_]")
_REACH_NUMBERS = re.compile(r"\{0,(\d+)\}")


def _reach(pattern: str) -> tuple[int, int | None, "re.Pattern[str]"] | None:
    """For an exception made of the reach-back prefix and a rest R (no alternation around both): the prefix's
    two limits and R wrapped in a look-ahead, which finds R at every position (see _reach_spans)."""
    m = _REACH_BACK.match(pattern)
    # a back-reference would point at the wrong group once R is wrapped in a group of its own
    if not m or m.end() == len(pattern) or re.search(r"\\[1-9]|\(\?P=", pattern):
        return None
    try:
        from re import _constants, _parser  # type: ignore[attr-defined]

        top = _parser.parse(pattern)
        if len(top.data) == 1 and top.data[0][0] is _constants.BRANCH:  # P·R1|R2: the prefix is not for all
            return None
        ahead = re.compile(f"(?=({pattern[m.end():]}))")
    except Exception:  # noqa: BLE001 — not a prefix of this pattern after all: no shortcut
        return None
    limits = [int(x) for x in _REACH_NUMBERS.findall(m.group())]
    return limits[0], (limits[1] if len(limits) > 1 else None), ahead


def _reach_spans(reach, t: str, a: int, b: int, stops: list[int]):
    """The spans an exception P·R can cover in t[a:b], P being the reach-back prefix (up to n1 characters
    of the sentence, maybe a stop and up to n2 more): for every position j where R matches (ending at k),
    (i, k) with i the earliest start from which P reaches j. Every match of the whole exception lies inside
    one of these spans, so a hit it overlaps is overlapped by a span: R is tried once per position instead
    of P·R backtracking over ~60 characters at every position. Used for long texts only (see
    _WINDOWED_FROM); a test compares the result with scanning the whole text."""
    n1, n2, ahead = reach
    for m in ahead.finditer(t, a, b):
        j, k = m.start(), m.end(1)
        q = bisect_left(stops, j) - 1  # the last stop before j
        last = stops[q] if q >= 0 else -1
        i = max(last + 1, j - n1)  # no stop in the prefix
        if n2 is not None and q >= 0 and j - last - 1 <= n2:  # ... or one stop, with at most n2 after it
            before = stops[q - 1] if q >= 1 else -1
            i = min(i, max(before + 1, last - n1))
        yield i, k


def _spans_near(hits: list[tuple[int, int]], t: str, width: int, rx: Any, reach: Any, stops: list[int]):
    """An exception's spans in the windows around ``hits`` (a long text): its matches, or for a reach-back
    exception the spans of _reach_spans."""
    # a look-behind still sees the text before a window: the string is not sliced; windows that would
    # cover the text anyway (a hit every few characters) are one window
    dense = len(hits) * (width + _LOOK) > len(t)
    for a, b in [(0, len(t))] if dense else _windows(hits, width + _LOOK, len(t)):
        if reach is None:
            yield from (m.span() for m in rx.finditer(t, a, b))
        else:
            yield from _reach_spans(reach, t, a, b, stops)


class _SharedReach:
    """Per reach-back exception of a long text: the hits of every rule that has it, and its spans once found."""

    __slots__ = ("hits", "spans")

    def __init__(self) -> None:
        self.hits: dict[str, list[tuple[int, int]]] = {}
        self.spans: dict[str, list[tuple[int, int]]] = {}


class _Rule:
    __slots__ = ("entry", "patterns", "widths", "exceptions", "suggestion", "source", "rank")

    def __init__(self, entry: Any, expand: Any):
        self.entry = entry
        self.patterns = [re.compile(expand(p)) for p in entry.patterns]
        self.widths = [_width(rx) for rx in self.patterns]  # longest match per pattern (None: unbounded)
        # (regex, gate, longest match, reach-back parts) per exception
        self.exceptions = [(rx := re.compile(x := expand(p)), _gate(x), _width(rx), _reach(x))
                           for p in entry.exceptions]
        self.suggestion = entry.rewrites[0]
        src = entry.source
        self.source = src if isinstance(src, str) else src[0]
        self.rank = (_RANK[entry.severity], entry.structural)  # see Checker.check: which overlapping hit wins


class Checker:
    """A phrasebook compiled for matching."""

    def __init__(self, book: Any):
        self.book = book
        self.norm = Normaliser(book.normalise)
        self.rules = [_Rule(e, book.expand) for e in book.entries]
        self.by_id = {r.entry.id: r for r in self.rules}
        self._always, self._automaton = self._prefilter(book)
        s = book.normalise
        self._opens = set(s.open_quotes)
        self._closes = set(s.close_quotes)
        self._symmetric = set(s.symmetric_quotes)
        quote_chars = s.open_quotes + s.close_quotes + s.symmetric_quotes
        self._has_quote = re.compile(f"[{re.escape(quote_chars)}]") if quote_chars else None
        # repeats of the customer's words ("您是说……对吗"): said by the customer, so a mention
        self._reported = [re.compile(book.expand(p)) for p in getattr(book, "reported_speech", [])]

    def _prefilter(self, book: Any):
        """Aho–Corasick automaton over the literal anchors of every pattern (see anchors.py),
        per pattern: a rule whose anchor is found tries only the patterns that anchor belongs to.
        Patterns without an anchor are always tried."""
        import ahocorasick

        from .anchors import anchors

        always: list[tuple[int, int]] = []
        keys: dict[str, set[tuple[int, int]]] = {}
        for i, rule in enumerate(self.rules):
            for j, p in enumerate(rule.entry.patterns):
                found = anchors(book.expand(p))
                if found is None:
                    always.append((i, j))
                    continue
                for key in found:
                    keys.setdefault(key, set()).add((i, j))
        automaton = ahocorasick.Automaton()
        for key, idx in keys.items():
            automaton.add_word(key, tuple(sorted(idx)))
        if keys:
            automaton.make_automaton()
        return tuple(always), (automaton if keys else None)

    def _rules_for(self, t: str) -> list[tuple["_Rule", list[Any]]]:
        """The rules worth trying on ``t``, each with the compiled patterns worth trying."""
        idx = set(self._always)
        if self._automaton is not None:
            # the automaton's values are tuples of (rule, pattern) pairs: gathered in C
            idx.update(chain.from_iterable(map(_second, self._automaton.iter(t))))
        if not idx:
            return []
        per_rule: dict[int, list[int]] = {}
        for i, j in sorted(idx):
            per_rule.setdefault(i, []).append(j)
        return [(self.rules[i], [self.rules[i].patterns[j] for j in js]) for i, js in per_rule.items()]

    def _hits_near_anchors(self, t: str) -> list[tuple["_Rule", list[tuple[int, int]]]]:
        """For a long text: each rule worth trying with its patterns' matches, a pattern with literal anchors
        being searched only around its anchors' occurrences (every match contains one, and is at most the
        pattern's longest match wide), the others over the whole text."""
        near: dict[tuple[int, int], list[tuple[int, int]]] = {}
        if self._automaton is not None:
            for end, idx in self._automaton.iter(t):
                for ij in idx:
                    near.setdefault(ij, []).append((end, end + 1))
        per_rule: dict[int, list[int]] = {}
        for i, j in sorted(set(self._always) | near.keys()):
            per_rule.setdefault(i, []).append(j)
        out = []
        for i, js in per_rule.items():
            rule = self.rules[i]
            hits: list[tuple[int, int]] = []
            for j in js:
                rx, width = rule.patterns[j], rule.widths[j]
                anchors_at = near.get((i, j))
                # windows that would cover the text anyway (an anchor every few characters): one scan is cheaper
                if anchors_at is None or width is None or len(anchors_at) * (width + _LOOK) > len(t):
                    hits += [m.span() for m in rx.finditer(t) if m.end() > m.start()]
                    continue
                for a, b in _windows(anchors_at, width + _LOOK, len(t)):
                    hits += [m.span() for m in rx.finditer(t, a, b) if m.end() > m.start()]
            out.append((rule, sorted(set(hits))))
        return out

    # -- quotation marks ------------------------------------------------------------------
    def _quoted_spans(self, t: str) -> list[tuple[int, int]]:
        if self._has_quote is None or not self._has_quote.search(t):
            return []
        spans: list[tuple[int, int]] = []
        stack: list[int] = []
        open_sym: dict[str, int] = {}
        # only the quotation marks are visited (a 1 MB reply has a few thousand, not a million characters)
        for m in self._has_quote.finditer(t):
            i, ch = m.start(), m.group()
            if ch in self._opens:
                stack.append(i)
            elif ch in self._closes:
                if stack:
                    spans.append((stack.pop() + 1, i))
            elif ch in open_sym:
                spans.append((open_sym.pop(ch) + 1, i))
            else:
                open_sym[ch] = i
        # a quote is a mention only when something is said around it; counting word characters
        # once for the whole text and once per span keeps this linear (no copy of the rest per span)
        total = len(NOT_WORD.sub("", t))
        return [(s, e) for s, e in spans if total > len(_WORD.findall(t, max(s - 1, 0), e + 1))]

    # -- matching ---------------------------------------------------------------------------
    def _candidates(self, t: str) -> list[tuple[_Rule, int, int]]:
        found: list[tuple[_Rule, int, int]] = []
        stops: list[int] | None = None  # positions of . ! ? (long texts), found when first needed
        if len(t) >= _WINDOWED_FROM:
            tried = self._hits_near_anchors(t)
        else:
            tried = [(rule, [m.span() for rx in patterns for m in rx.finditer(t) if m.end() > m.start()])
                     for rule, patterns in self._rules_for(t)]
        # long texts: a reach-back exception (ALT, OFFER) is shared by many rules; it is looked for once, around
        # the hits of all of them, not once per rule around each rule's own (the same stretches again and again).
        # Any of its matches that overlaps a rule's hit lies within that rule's own windows as well, so the
        # wider set suppresses exactly the hits the per-rule windows did
        shared = _SharedReach()
        if len(t) >= _WINDOWED_FROM:
            for rule, hits in tried:
                for rx, _gate, width, reach in rule.exceptions if hits else ():
                    if reach is not None and width is not None:
                        shared.hits.setdefault(rx.pattern, []).extend(hits)
        for rule, hits in tried:
            if not hits:
                continue
            if rule.exceptions:
                if stops is None:
                    stops = [m.start() for m in _STOPS.finditer(t)] if len(t) >= _WINDOWED_FROM else []
                ex = _Spans(self._exception_spans(rule, t, hits, stops, shared))
                hits = [h for h in hits if not ex.overlaps(*h)]
            found.extend((rule, s, e) for s, e in hits)
        return found

    @staticmethod
    def _exception_spans(rule: _Rule, t: str, hits: list[tuple[int, int]], stops: list[int],
                         shared: "_SharedReach"):
        """Spans of the rule's exception matches that could overlap one of ``hits``."""
        whole = len(t) < _WINDOWED_FROM
        for rx, gate, width, reach in rule.exceptions:
            if gate is not None and not gate.search(t):
                continue
            if whole or width is None:
                yield from (m.span() for m in rx.finditer(t))
            elif reach is not None and rx.pattern in shared.hits:
                if rx.pattern not in shared.spans:  # looked for once, around every rule's hits
                    shared.spans[rx.pattern] = list(_spans_near(shared.hits[rx.pattern], t, width, rx, reach, stops))
                yield from shared.spans[rx.pattern]
            else:
                yield from _spans_near(hits, t, width, rx, reach, stops)

    def check(self, text: str) -> Report:
        if isinstance(text, (bytes, bytearray)):
            try:
                text = bytes(text).decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ValueError(f"文本不是有效的 UTF-8 编码(第 {exc.start} 字节)") from None
        if not isinstance(text, str):
            raise TypeError(f"要检查的内容应为文字(str),实际为 {type(text).__name__}")
        if not text or text.isspace():
            return Report(text, [])
        if len(text) >= _WINDOWED_FROM and gc.isenabled():
            # checking makes no reference cycles, but a long rude text makes hundreds of thousands of objects
            # (hits, candidates, violations), and the cycle collector's passes over them were 40 % of a 1 MB
            # check; it runs again as soon as the check is done
            gc.disable()
            try:
                return self._check(text)
            finally:
                gc.enable()
        return self._check(text)

    def _check(self, text: str) -> Report:
        n = self.norm(text)
        cands = self._candidates(n.text)
        if not cands:
            return Report(text, [], n)
        # errors first; then a specific phrase before a structural family pattern (its advice is
        # more precise); then the longer match; then the earlier one
        cands.sort(key=lambda c: (c[0].rank, c[1] - c[2], c[1]))
        # greedy choice by priority; a per-character occupancy map keeps it linear in the text
        # (matches are short) instead of comparing every candidate with every chosen span
        taken = bytearray(len(n.text) + 1)
        chosen: list[tuple[_Rule, int, int]] = []
        for c in cands:
            s, e = c[1], c[2]
            if taken.find(1, s, e) < 0:
                chosen.append(c)
                taken[s:e] = b"\x01" * (e - s)
        chosen.sort(key=_second)
        quoted = _Spans(self._quoted_spans(n.text) + [m.span() for rx in self._reported for m in rx.finditer(n.text)])
        # one Violation per chosen hit, the rule's own fields straight from its entry (a 1 MB reply of rude
        # lines has 200,000 of them: this loop was most of its cost)
        span = n.span if n.index is not None else None
        contains = quoted.contains if quoted.starts else None
        out = []
        for rule, s, e in chosen:
            os_, oe = span(s, e) if span else (s, e)
            entry = rule.entry
            if contains is not None and contains(s, e):
                out.append(Violation(entry.id, QUOTED, "warning", os_, oe, text[os_:oe], rule.suggestion,
                                     rule.source, entry.forbidden, entry.why))
            else:
                out.append(Violation(entry.id, entry.category, entry.severity, os_, oe, text[os_:oe],
                                     rule.suggestion, rule.source, entry.forbidden, entry.why))
        return Report(text, out, n)


@lru_cache(maxsize=4)
def _checker_for(folder: str) -> Checker:
    from kefu.seeds import load

    return Checker(load("phrasebook.yml", folder))


def checker() -> Checker:
    from kefu.seeds.loader import resolved_seeds_dir

    return _checker_for(resolved_seeds_dir())


def check(text: str) -> Report:
    """Check one reply against seeds/phrasebook.yml."""
    return checker().check(text)
