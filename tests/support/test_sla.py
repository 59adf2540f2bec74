"""Business-hours maths: weekends, holidays, make-up working days, time zones, DST, pauses."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from portal.support.sla import (
    Calendar,
    CalendarError,
    add_business_minutes,
    business_minutes_between,
    shift_after_pause,
    threshold,
)

SH = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
SHANGHAI = Calendar("Asia/Shanghai")


def at(day: str, hhmm: str, tz: ZoneInfo = SH) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=tz)


def test_minutes_inside_one_working_day_are_added_as_they_are():
    assert add_business_minutes(SHANGHAI, at("2026-11-26", "10:00"), 90) == at(
        "2026-11-26", "11:30"
    )


def test_time_past_closing_continues_the_next_morning():
    due = add_business_minutes(SHANGHAI, at("2026-11-26", "17:30"), 60)
    assert due == at("2026-11-27", "09:30")


def test_a_case_opened_on_friday_evening_is_due_on_monday():
    due = add_business_minutes(SHANGHAI, at("2026-11-27", "17:00"), 120)
    assert due == at("2026-11-30", "10:00")


def test_a_case_opened_at_night_starts_counting_at_opening_time():
    assert add_business_minutes(SHANGHAI, at("2026-11-26", "03:00"), 30) == at(
        "2026-11-26", "09:30"
    )


def test_a_weekend_counts_no_business_minutes():
    assert (
        business_minutes_between(SHANGHAI, at("2026-11-28", "08:00"), at("2026-11-29", "20:00"))
        == 0
    )


def test_business_minutes_between_spans_days_and_weekends():
    start, end = at("2026-11-27", "17:00"), at("2026-11-30", "10:00")
    assert business_minutes_between(SHANGHAI, start, end) == 120


def test_holidays_are_skipped():
    calendar = Calendar("Asia/Shanghai", holidays=frozenset({dt.date(2026, 11, 30)}))
    due = add_business_minutes(calendar, at("2026-11-27", "17:00"), 120)
    assert due == at("2026-12-01", "10:00")


def test_a_make_up_working_saturday_counts():
    calendar = Calendar("Asia/Shanghai", extra_workdays=frozenset({dt.date(2026, 11, 28)}))
    due = add_business_minutes(calendar, at("2026-11-27", "17:00"), 120)
    assert due == at("2026-11-28", "10:00")


def test_results_are_in_utc_and_respect_the_calendars_zone():
    due = add_business_minutes(SHANGHAI, dt.datetime(2026, 11, 26, 1, 0, tzinfo=dt.UTC), 60)
    assert due.tzinfo == dt.UTC
    assert due == dt.datetime(2026, 11, 26, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai


def test_berlin_working_window_keeps_its_wall_clock_hours_across_the_dst_change():
    berlin = Calendar("Europe/Berlin")
    # Friday 23 Oct 2026 17:00 CEST + 2 h -> Monday 26 Oct 10:00 CET (clocks went back on Sunday)
    due = add_business_minutes(berlin, at("2026-10-23", "17:00", BERLIN), 120)
    assert due == at("2026-10-26", "10:00", BERLIN)
    assert due.utcoffset() == dt.timedelta(0)
    assert due == dt.datetime(2026, 10, 26, 9, 0, tzinfo=dt.UTC)


def test_berlin_spring_forward_day_has_a_full_working_day():
    berlin = Calendar("Europe/Berlin", work_days=frozenset(range(7)))
    minutes = business_minutes_between(
        berlin, at("2026-03-29", "00:00", BERLIN), at("2026-03-30", "00:00", BERLIN)
    )
    assert minutes == 9 * 60


def test_between_is_zero_when_the_end_is_before_the_start():
    assert (
        business_minutes_between(SHANGHAI, at("2026-11-26", "12:00"), at("2026-11-26", "10:00"))
        == 0
    )


def test_adding_then_measuring_gives_the_same_minutes():
    start = at("2026-11-25", "16:20")
    for minutes in (1, 59, 540, 541, 2000):
        due = add_business_minutes(SHANGHAI, start, minutes)
        assert business_minutes_between(SHANGHAI, start, due) == minutes


def test_a_pause_moves_a_deadline_by_the_paused_working_time():
    due = at("2026-11-26", "15:00")
    paused, resumed = at("2026-11-26", "11:00"), at("2026-11-27", "10:00")
    # 4 h were left when the clock stopped; they are left again after it restarts
    [moved] = shift_after_pause(SHANGHAI, [due], paused, resumed)
    assert moved == at("2026-11-27", "14:00")


def test_a_pause_leaves_passed_deadlines_where_they_were():
    passed = at("2026-11-26", "10:00")
    [same] = shift_after_pause(
        SHANGHAI, [passed], at("2026-11-26", "11:00"), at("2026-11-27", "10:00")
    )
    assert same == passed


def test_thresholds_are_shares_of_the_target():
    start = at("2026-11-26", "09:00")
    assert threshold(SHANGHAI, start, 100, 80) == at("2026-11-26", "10:20")


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        add_business_minutes(SHANGHAI, dt.datetime(2026, 11, 26, 10, 0), 10)


def test_a_calendar_without_working_days_refuses_to_compute():
    never = Calendar("Asia/Shanghai", work_days=frozenset())
    with pytest.raises(CalendarError):
        add_business_minutes(never, at("2026-11-26", "10:00"), 10)


def test_working_hours_must_open_before_they_close():
    with pytest.raises(CalendarError):
        Calendar("Asia/Shanghai", start_minute=600, end_minute=500)
