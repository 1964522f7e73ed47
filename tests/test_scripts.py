"""kefu.scripts: opening lines by time and holiday, silent-call steps and procedures.

Lunar holiday dates are worked out by hand from the published calendar (not with lunardate):
春节 (正月初一) 2025-01-29 and 2026-02-17; 中秋 (八月十五) 2025-10-06 and 2026-09-25.
Day ranges and the 12:00 limit are read from seeds/scripts.yml (they are configurable)."""
from __future__ import annotations

import datetime as dt

import pytest

from kefu import scripts
from kefu.seeds import entry_ids, load

SEED = load("scripts.yml")
HOL = {h.name: h for h in SEED.holidays}
CENTRE = SEED.centre
MID_AUTUMN = {2025: dt.date(2025, 10, 6), 2026: dt.date(2026, 9, 25)}  # by hand


def window(name: str, festival_day: dt.date) -> tuple[dt.date, dt.date]:
    w = HOL[name].window
    return festival_day + dt.timedelta(days=w.first), festival_day + dt.timedelta(days=w.last)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute)


# --------------------------------------------------------------------------- time of day

def test_morning_and_afternoon_on_an_ordinary_day():
    day = dt.date(2025, 3, 12)  # a Wednesday with no holiday
    morning = scripts.opening(at(day, 9, 30))
    afternoon = scripts.opening(at(day, 15, 0))
    assert morning.text.startswith(SEED.time_of_day.morning_greeting)
    assert morning.rule == "opening-morning"
    assert afternoon.text.startswith(SEED.time_of_day.default_greeting)
    assert afternoon.rule == "opening-standard"
    assert CENTRE in morning.text and CENTRE in afternoon.text
    assert "12:00" in morning.reason or f"{SEED.time_of_day.morning_until:%H:%M}" in morning.reason


def test_edge_at_the_morning_limit():
    limit = SEED.time_of_day.morning_until
    day = dt.date(2025, 6, 18)
    just_before = dt.datetime.combine(day, limit) - dt.timedelta(minutes=1)
    exactly = dt.datetime.combine(day, limit)
    assert scripts.opening(just_before).rule == "opening-morning"
    assert scripts.opening(exactly).rule == "opening-standard"
    assert scripts.opening(at(day, 0, 5)).rule == "opening-morning"  # 凌晨 counts as morning
    assert scripts.opening(at(day, 23, 59)).rule == "opening-standard"


def test_custom_centre_name():
    o = scripts.opening(dt.datetime(2025, 3, 12, 10, 0), centre="智能科技客服中心")
    assert "智能科技客服中心" in o.text and "{centre}" not in o.text


def test_opening_needs_a_time():
    with pytest.raises(TypeError):
        scripts.opening(dt.date(2025, 3, 12))


# --------------------------------------------------------------------------- holidays

@pytest.mark.parametrize("year, festival_day", [(2025, dt.date(2025, 1, 29)), (2026, dt.date(2026, 2, 17))])
def test_spring_festival_from_the_lunar_calendar(year, festival_day):
    first, last = window("春节", festival_day)
    assert scripts.holiday_window("春节", year) == (first, last)
    assert scripts.holiday_on(festival_day) == "春节"
    assert scripts.holiday_on(first) == "春节" and scripts.holiday_on(last) == "春节"
    assert scripts.holiday_on(first - dt.timedelta(days=1)) is None
    assert scripts.holiday_on(last + dt.timedelta(days=1)) is None
    # a spring-festival afternoon still gets the holiday line, not 您好
    o = scripts.opening(at(festival_day, 15, 0))
    assert o.rule == "holiday-spring-festival" and o.holiday == "春节"
    assert o.text.startswith(HOL["春节"].greeting) and CENTRE in o.text


def test_spring_festival_dates_by_hand():
    # 2025: 除夕 is 1-28, 正月初一 1-29; 2026: 除夕 2-16, 正月初一 2-17 (window.first = -1 means 除夕)
    if HOL["春节"].window.first == -1:
        assert scripts.holiday_on(dt.date(2025, 1, 28)) == "春节"
        assert scripts.holiday_on(dt.date(2026, 2, 16)) == "春节"
    assert scripts.holiday_on(dt.date(2026, 1, 29)) is None  # 2025's date is not 2026's


@pytest.mark.parametrize("year, festival_day", [(2025, dt.date(2025, 10, 6)), (2026, dt.date(2026, 9, 25))])
def test_mid_autumn_from_the_lunar_calendar(year, festival_day):
    first, last = window("中秋", festival_day)
    assert scripts.holiday_window("中秋", year) == (first, last)
    assert scripts.holiday_on(festival_day) == "中秋"
    o = scripts.opening(at(festival_day, 10, 0))
    assert o.rule == "holiday-mid-autumn"
    assert o.text.startswith(HOL["中秋"].greeting)
    assert scripts.holiday_on(first - dt.timedelta(days=1)) in (None, "国庆")


def test_mid_autumn_inside_national_day_2025():
    # 2025-10-06 is both 中秋 and inside the 国庆 days: the smaller rank wins (seed), 中秋 here
    expected = min([HOL["中秋"], HOL["国庆"]], key=lambda h: h.rank).name
    assert scripts.holiday_on(dt.date(2025, 10, 6)) == expected
    assert scripts.holiday_on(dt.date(2025, 10, 1)) == "国庆"
    # 2026: 中秋 (9-25) is a week before 国庆
    assert scripts.holiday_on(dt.date(2026, 10, 1)) == "国庆"
    assert scripts.holiday_on(dt.date(2026, 9, 30)) is None


@pytest.mark.parametrize("name, month, day", [("元旦", 1, 1), ("五一", 5, 1), ("国庆", 10, 1)])
@pytest.mark.parametrize("year", [2025, 2026])
def test_fixed_date_holidays(name, month, day, year):
    festival_day = dt.date(year, month, day)
    first, last = window(name, festival_day)
    ma_first, ma_last = window("中秋", MID_AUTUMN[year])
    for d in (first, festival_day, last):
        if ma_first <= d <= ma_last:  # 2025: the last 国庆 days are 中秋 days (see the overlap test)
            continue
        assert scripts.holiday_on(d) == name
        o = scripts.opening(at(d, 9, 0))  # a holiday morning: holiday line, not 早上好
        assert o.text.startswith(HOL[name].greeting), o
        assert name in o.reason
    assert scripts.holiday_on(first - dt.timedelta(days=1)) is None


def test_new_year_and_spring_festival_both_say_xin_nian_hao():
    assert HOL["元旦"].greeting == HOL["春节"].greeting == "新年好"
    assert scripts.opening(dt.datetime(2026, 1, 1, 20, 0)).text.startswith("新年好")


def test_every_opening_avoids_wei():
    for year in (2025, 2026):
        for d in (dt.date(year, 1, 1) + dt.timedelta(days=i) for i in range(0, 365, 7)):
            for hour in (8, 14, 21):
                assert not scripts.opening(at(d, hour)).text.startswith("喂")


def test_lunar_range_is_checked():
    with pytest.raises(ValueError, match="农历"):
        scripts.holiday_on(dt.date(2150, 2, 1))


# --------------------------------------------------------------------------- procedures

def test_silent_call_three_tries_five_seconds_apart_then_hang_up():
    steps = scripts.silent_call_steps()
    assert [s.order for s in steps] == list(range(1, len(steps) + 1))
    said = [s for s in steps if s.action == "say"]
    assert len(said) == 3
    assert all(s.wait_seconds == 5 for s in said)
    assert steps[-1].action == "hang-up"
    assert steps.index(said[-1]) == len(steps) - 2  # the closing line comes right before hanging up
    assert CENTRE in said[0].text  # the first try is the full opening
    assert "再见" in said[-1].text and "换一部电话" in said[-1].text
    assert all(s.source for s in steps)


@pytest.mark.parametrize("proc", ["cant-hear", "speakerphone", "noisy-line", "dialect"])
def test_procedures_exist_in_order_and_never_start_by_hanging_up(proc):
    steps = scripts.procedure(proc)
    assert len(steps) >= 2
    assert [s.order for s in steps] == list(range(1, len(steps) + 1))
    assert steps[0].action != "hang-up"
    if any(s.action == "hang-up" for s in steps):
        before = steps[[s.action for s in steps].index("hang-up") - 1]
        assert before.action == "say"  # always tell the customer before hanging up


def test_cant_hear_keeps_own_volume_and_waits_before_hanging_up():
    steps = scripts.procedure("cant-hear")
    assert steps[0].action == "do" and "音量" in steps[0].text
    last_say = [s for s in steps if s.action == "say"][-1]
    assert last_say.wait_seconds > 0


def test_unknown_procedure_is_a_chinese_key_error():
    with pytest.raises(KeyError, match="没有处理规范"):
        scripts.procedure("no-such-thing")


def test_time_greeting_and_replies():
    ev = SEED.reply_greetings.evening_from
    assert scripts.time_greeting(dt.time(9, 0)) == SEED.time_of_day.morning_greeting
    assert scripts.time_greeting(dt.time(13, 0)) == SEED.reply_greetings.afternoon_greeting
    assert scripts.time_greeting(ev) == SEED.reply_greetings.evening_greeting
    replies = scripts.greeting_replies(dt.datetime(2025, 3, 12, 20, 0), customer="张先生")
    assert any(r.startswith("张先生") for r in replies)
    assert any(r.startswith(SEED.reply_greetings.evening_greeting) for r in replies)
    assert all("{" not in r for r in replies)


def test_lines_and_closings_fill_placeholders():
    assert "{" not in scripts.line("chat-welcome", agent="小李")
    assert "小李" in scripts.line("chat-welcome", agent="小李")
    assert scripts.line("hold") and scripts.line("transfer") and scripts.line("identity-check")
    closing = scripts.closings("王女士")
    assert closing[0].startswith("王女士") and "再见" in closing[-1]
    with pytest.raises(KeyError):
        scripts.line("no-such-line")


def test_cross_references_point_at_existing_entries():
    known = set(entry_ids("ecommerce.yml")) | set(entry_ids("service_rules.yml"))
    refs = [r for c in SEED.chat for r in c.follows]
    refs += [r.see for r in load("complaints.yml").complaint_rules if r.see]
    missing = [r for r in refs if r not in known]
    assert refs and not missing, missing


def test_every_line_we_teach_passes_the_phrase_checker():
    from kefu.phrases import check

    s = SEED
    texts = [o.text for o in s.openings] + [h.text for h in s.holidays] + [c.text for c in s.closings]
    texts += [ln.text for ln in s.lines] + [c.text for c in s.chat] + list(s.customer_greets_first.replies)
    texts += [st.text for p in s.procedures for st in p.steps if st.action == "say"]
    flagged = {t: [v.rule for v in check(t).violations] for t in texts if not check(t).ok}
    assert not flagged, flagged
