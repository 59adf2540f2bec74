"""Business-hours maths for SLA deadlines: pure functions, no database, no clock.

A `Calendar` says which local days are working days (weekdays, minus holidays, plus make-up
working days such as China's 调休 Saturdays), the working hours of those days, and the time zone.
Instants are aware datetimes; results are in UTC. Days are built from local wall-clock times with
zoneinfo, so a DST change (Europe/Berlin) shortens or lengthens only the night, never the
working window, and zones without DST (Asia/Shanghai) need no special case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

UTC = dt.UTC
MAX_DAYS = 3 * 366  # a calendar with no working day at all must not loop for ever


class CalendarError(ValueError):
    """The calendar cannot produce a deadline (no working time in the next three years)."""


@dataclass(frozen=True)
class Calendar:
    """Working days and hours in one time zone."""

    time_zone: str = "Asia/Shanghai"
    work_days: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday = 0
    start_minute: int = 9 * 60  # local time of day the working window opens
    end_minute: int = 18 * 60  # ... and closes (exclusive)
    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    extra_workdays: frozenset[dt.date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not 0 <= self.start_minute < self.end_minute <= 24 * 60:
            raise CalendarError("working hours must open before they close")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def minutes_per_day(self) -> int:
        return self.end_minute - self.start_minute

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.extra_workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() in self.work_days

    def window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
        """The working window of a local day as UTC instants, or None on a day off."""
        if not self.is_working_day(day):
            return None
        tz = self.tz
        start = dt.datetime.combine(day, _time(self.start_minute), tzinfo=tz)
        if self.end_minute == 24 * 60:
            end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=tz)
        else:
            end = dt.datetime.combine(day, _time(self.end_minute), tzinfo=tz)
        return start.astimezone(UTC), end.astimezone(UTC)

    def _windows_from(self, instant: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime]]:
        day = instant.astimezone(self.tz).date()
        for offset in range(MAX_DAYS):
            found = self.window(day + dt.timedelta(days=offset))
            if found is not None:
                yield found
        raise CalendarError("no working time in the next three years")


def _time(minute: int) -> dt.time:
    return dt.time(minute // 60, minute % 60)


def _aware(instant: dt.datetime) -> dt.datetime:
    if instant.tzinfo is None:
        raise ValueError("business-hours maths needs aware datetimes")
    return instant.astimezone(UTC)


def add_business_minutes(calendar: Calendar, instant: dt.datetime, minutes: int) -> dt.datetime:
    """The instant `minutes` working minutes after `instant` (which may lie outside hours)."""
    cursor = _aware(instant)
    if minutes <= 0:
        return cursor
    remaining = dt.timedelta(minutes=minutes)
    for start, end in calendar._windows_from(cursor):
        if end <= cursor:
            continue
        begin = max(start, cursor)
        available = end - begin
        if remaining <= available:
            return begin + remaining
        remaining -= available
    raise CalendarError("unreachable")  # pragma: no cover


def business_minutes_between(calendar: Calendar, start: dt.datetime, end: dt.datetime) -> int:
    """Working minutes from `start` to `end` (0 when end <= start), rounded down."""
    a, b = _aware(start), _aware(end)
    if b <= a:
        return 0
    total = dt.timedelta()
    day = a.astimezone(calendar.tz).date()
    last = b.astimezone(calendar.tz).date()
    while day <= last:
        found = calendar.window(day)
        if found is not None:
            lo, hi = max(found[0], a), min(found[1], b)
            if hi > lo:
                total += hi - lo
        day += dt.timedelta(days=1)
    return int(total.total_seconds() // 60)


def threshold(
    calendar: Calendar, start: dt.datetime, target_minutes: int, percent: int
) -> dt.datetime:
    """The instant when `percent` % of a target (business minutes) has been used."""
    return add_business_minutes(calendar, start, max(1, target_minutes * percent // 100))


def shift_after_pause(
    calendar: Calendar,
    instants: Iterable[dt.datetime | None],
    paused_at: dt.datetime,
    resumed_at: dt.datetime,
) -> list[dt.datetime | None]:
    """Deadlines moved by a pause: what was still ahead when the clock stopped is ahead again
    by the same working time after it restarts; what had already passed stays where it was."""
    out: list[dt.datetime | None] = []
    for instant in instants:
        if instant is None or _aware(instant) <= _aware(paused_at):
            out.append(instant)
            continue
        left = business_minutes_between(calendar, paused_at, instant)
        out.append(add_business_minutes(calendar, max(resumed_at, paused_at), left))
    return out


def format_minutes(minutes: int) -> tuple[int, int, int]:
    """(days, hours, minutes) of working time, for display with a 24 h day."""
    days, rest = divmod(max(minutes, 0), 24 * 60)
    return days, rest // 60, rest % 60
