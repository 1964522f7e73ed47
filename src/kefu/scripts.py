"""Script rules from seeds/scripts.yml: the right opening line for any date and time (早上好 before
12:00; holiday openings, with 春节 and 中秋 computed by the ``lunardate`` library), the silent-call
procedure and the other step-by-step procedures, closing and standard lines.

Every line, time and day range comes from seeds/scripts.yml; nothing is typed here.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from kefu.seeds import first_source, load

SEED = "scripts.yml"
LUNAR_YEARS = (1900, 2099)  # the range lunardate converts


@dataclass(frozen=True)
class Opening:
    text: str
    rule: str  # seed id: opening-morning, opening-standard or a holiday id
    reason: str  # why this line, in Chinese
    source: str
    holiday: str | None = None


@dataclass(frozen=True)
class Step:
    order: int
    text: str
    wait_seconds: float
    action: str  # say | do | hang-up
    condition: str = ""
    repeat: bool = False
    source: str = ""


def _seed() -> Any:
    return load(SEED)


def _fill(text: str, **values: str) -> str:
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


# ----------------------------------------------------------------------------- holidays

def _anchor(holiday: Any, year: int) -> dt.date | None:
    """The holiday's own date in Gregorian year ``year`` (None if that date does not exist)."""
    if holiday.calendar == "gregorian":
        try:
            return dt.date(year, holiday.month, holiday.day)
        except ValueError:
            return None
    from lunardate import LunarDate

    lo, hi = LUNAR_YEARS
    if not lo <= year <= hi:
        return None
    try:
        lunar = LunarDate(year, holiday.month, holiday.day)
    except ValueError:
        return None
    convert = getattr(lunar, "to_solar_date", None) or lunar.toSolarDate
    return convert()


def holiday_window(holiday_id_or_name: str, year: int) -> tuple[dt.date, dt.date]:
    """First and last day (Gregorian) on which the opening of this holiday is used in ``year``,
    counted from the holiday date of that year (e.g. 春节: 除夕 to 正月初七 around 正月初一)."""
    for h in _seed().holidays:
        if holiday_id_or_name in (h.id, h.name):
            _check_year(year, h)
            day = _anchor(h, year)
            if day is None:
                raise ValueError(f"{year} 年没有 {h.name} 的日期")
            return day + dt.timedelta(days=h.window.first), day + dt.timedelta(days=h.window.last)
    names = "、".join(h.name for h in _seed().holidays)
    raise KeyError(f"没有这个节日:{holiday_id_or_name}(可选:{names})")


def _check_year(year: int, holiday: Any) -> None:
    lo, hi = LUNAR_YEARS
    if holiday.calendar == "lunar" and not lo - 1 <= year <= hi + 1:
        raise ValueError(f"农历节日({holiday.name})只能计算 {lo}–{hi} 年的日期,{year} 年超出范围")


def _holiday_item(day: dt.date) -> Any | None:
    if isinstance(day, dt.datetime):
        day = day.date()
    if not isinstance(day, dt.date):
        raise TypeError(f"需要日期(date 或 datetime),收到的是 {type(day).__name__}")
    found = []
    for h in _seed().holidays:
        _check_year(day.year, h)
        for year in (day.year - 1, day.year, day.year + 1):
            anchor = _anchor(h, year)
            if anchor is None:
                continue
            if anchor + dt.timedelta(days=h.window.first) <= day <= anchor + dt.timedelta(days=h.window.last):
                found.append(h)
                break
    if not found:
        return None
    return min(found, key=lambda h: h.rank)


def holiday_on(day: dt.date | dt.datetime) -> str | None:
    """The holiday whose opening is used on ``day`` (元旦/春节/五一/中秋/国庆), or None."""
    h = _holiday_item(day)
    return h.name if h is not None else None


# ----------------------------------------------------------------------------- openings

def time_greeting(when: dt.datetime | dt.time) -> str:
    """早上好 / 下午好 / 晚上好 for replying to a customer who greets first."""
    seed = _seed()
    t = when.time() if isinstance(when, dt.datetime) else when
    if t < seed.time_of_day.morning_until:
        return seed.time_of_day.morning_greeting
    if t < seed.reply_greetings.evening_from:
        return seed.reply_greetings.afternoon_greeting
    return seed.reply_greetings.evening_greeting


def _opening_line(kind: str) -> Any:
    for o in _seed().openings:
        if o.kind == kind:
            return o
    raise KeyError(kind)


def opening(when: dt.datetime, centre: str | None = None) -> Opening:
    """The opening line for a call answered at ``when`` (local wall-clock time).

    A holiday opening wins on the holiday's days whatever the hour; otherwise 早上好 before
    ``morning_until`` (12:00), 您好 from then on."""
    if not isinstance(when, dt.datetime):
        raise TypeError("opening() 需要具体的日期和时间(datetime),例如 datetime(2025, 1, 29, 9, 30)")
    seed = _seed()
    centre = seed.centre if centre is None else centre
    stamp = f"{when.year} 年 {when.month} 月 {when.day} 日 {when:%H:%M}"
    h = _holiday_item(when.date())
    if h is not None:
        first, last = holiday_window(h.id, _anchor_year(h, when.date()))
        reason = (f"{stamp} 在{h.name}期间({first.month} 月 {first.day} 日至 {last.month} 月 {last.day} 日,"
                  f"{h.window.note}),节日期间不论上午下午都统一说“{h.greeting}”。")
        return Opening(_fill(h.text, centre=centre), h.id, reason, first_source(h), h.name)
    tod = seed.time_of_day
    limit = f"{tod.morning_until:%H:%M}"
    if when.time() < tod.morning_until:
        line = _opening_line("morning")
        reason = f"{stamp} 在 {limit} 以前,开头先说“{tod.morning_greeting}”。"
    else:
        line = _opening_line("standard")
        reason = f"{stamp} 不在 {limit} 以前(下午或晚上),按正常的“{tod.default_greeting}”开头。"
    return Opening(_fill(line.text, centre=centre), line.id, reason, first_source(line), None)


def _anchor_year(holiday: Any, day: dt.date) -> int:
    for year in (day.year, day.year - 1, day.year + 1):
        anchor = _anchor(holiday, year)
        if anchor and anchor + dt.timedelta(days=holiday.window.first) <= day <= anchor + dt.timedelta(
                days=holiday.window.last):
            return year
    return day.year


def greeting_replies(when: dt.datetime, customer: str = "先生") -> list[str]:
    """Polite replies when the customer greets first (``customer`` e.g. 张先生 / 女士)."""
    g = _seed().customer_greets_first
    return [_fill(r, customer=customer, time_greeting=time_greeting(when)) for r in g.replies]


def closings(customer: str = "先生") -> list[str]:
    """The closing lines in the order they are said."""
    return [_fill(c.text, customer=customer) for c in _seed().closings]


def line(line_id: str, **values: str) -> str:
    """A standard line by id (hold, transfer, identity-check, chat-welcome, ...) with its
    placeholders filled (``centre`` defaults to the seed's centre name)."""
    seed = _seed()
    values.setdefault("centre", seed.centre)
    for item in [*seed.lines, *seed.closings, *seed.openings, *seed.chat]:
        if item.id == line_id:
            return _fill(item.text, **values)
    raise KeyError(f"scripts.yml 中没有话术 {line_id}")


# ----------------------------------------------------------------------------- procedures

def procedure_ids() -> list[str]:
    return [p.id for p in _seed().procedures]


def procedure(proc_id: str, centre: str | None = None) -> list[Step]:
    """The ordered steps of a procedure: silent-call, cant-hear, speakerphone, noisy-line,
    dialect, customer-cannot-hear-agent."""
    seed = _seed()
    try:
        p = seed.procedure(proc_id)
    except KeyError:
        raise KeyError(f"scripts.yml 中没有处理规范 {proc_id}(可选:{'、'.join(procedure_ids())})") from None
    centre = seed.centre if centre is None else centre
    src = first_source(p)
    return [Step(s.order, _fill(s.text, centre=centre), float(s.wait_seconds), s.action, s.condition, s.repeat, src)
            for s in sorted(p.steps, key=lambda s: s.order)]


def silent_call_steps(centre: str | None = None) -> list[Step]:
    """Silent call: the opening, the short opening, the closing line, each followed by a pause;
    then hang up."""
    return procedure("silent-call", centre)
