"""Reporting periods: a month ("2026-10"), a quarter ("2026-Q3") or a year ("2026").

Periods are plain values: parse and format, first day and the first day after, the previous
period, the same period a year earlier, the months inside. Time-zone handling lives in
`bounds_utc`: a period runs from local midnight to local midnight in the reporting time zone.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from portal.lib import clock
from portal.lib.i18n import _babel_locale
from portal.lib.i18n import gettext as _


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


MONTHS_IN = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}
_PATTERNS = (
    # [0-9], not \d: \d takes other scripts' digits too ("２０２６"), issue 14 point 7
    (re.compile(r"^([0-9]{4})-([0-9]{1,2})$"), PeriodKind.MONTH),
    (re.compile(r"^([0-9]{4})-?[Qq]([1-4])$"), PeriodKind.QUARTER),
    (re.compile(r"^([0-9]{4})$"), PeriodKind.YEAR),
)


class PeriodError(ValueError):
    """The text is not a period such as 2026-10, 2026-Q3 or 2026."""


@dataclass(frozen=True, order=True)
class Period:
    """One month, quarter or year; `index` is the month (1-12), quarter (1-4) or 1 for a year."""

    year: int
    kind: PeriodKind
    index: int

    @classmethod
    def parse(cls, text: str) -> Period:
        """'2026-10' | '2026-Q3' | '2026' -> Period; raises PeriodError otherwise."""
        raw = (text or "").strip()
        for pattern, kind in _PATTERNS:
            match = pattern.match(raw)
            if match:
                year = int(match[1])
                index = int(match[2]) if kind != PeriodKind.YEAR else 1
                if not 2000 <= year <= 2100 or (kind == PeriodKind.MONTH and not 1 <= index <= 12):
                    break
                return cls(year, kind, index)
        raise PeriodError(f"not a period: {raw!r}")

    @classmethod
    def containing(cls, day: dt.date, kind: PeriodKind | str = PeriodKind.MONTH) -> Period:
        kind = PeriodKind(kind)
        if kind == PeriodKind.MONTH:
            return cls(day.year, kind, day.month)
        if kind == PeriodKind.QUARTER:
            return cls(day.year, kind, (day.month - 1) // 3 + 1)
        return cls(day.year, kind, 1)

    def __str__(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{self.year}-{self.index:02d}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.year}-Q{self.index}"
        return f"{self.year}"

    @property
    def code(self) -> str:
        return str(self)

    @property
    def first_month(self) -> int:
        if self.kind == PeriodKind.MONTH:
            return self.index
        if self.kind == PeriodKind.QUARTER:
            return (self.index - 1) * 3 + 1
        return 1

    @property
    def start(self) -> dt.date:
        """The first day (inclusive)."""
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        """The first day after the period (exclusive)."""
        return add_months(self.start, MONTHS_IN[self.kind])

    @property
    def months(self) -> list[dt.date]:
        """The first day of every month inside the period."""
        return [add_months(self.start, i) for i in range(MONTHS_IN[self.kind])]

    def shift(self, steps: int) -> Period:
        """The period `steps` periods later (negative: earlier), of the same kind."""
        if self.kind == PeriodKind.YEAR:
            return Period(self.year + steps, self.kind, 1)
        per_year = 12 if self.kind == PeriodKind.MONTH else 4
        n = self.year * per_year + (self.index - 1) + steps
        return Period(n // per_year, self.kind, n % per_year + 1)

    @property
    def previous(self) -> Period:
        return self.shift(-1)

    @property
    def last_year(self) -> Period:
        """The same period one year earlier."""
        return Period(self.year - 1, self.kind, self.index)

    def trend(self, count: int = 12) -> list[Period]:
        """The `count` periods ending with this one, oldest first."""
        return [self.shift(i) for i in range(1 - count, 1)]

    def elapsed_share(self, today: dt.date) -> float:
        """How much of the period has passed on `today` (0.0 before, 1.0 after)."""
        if today >= self.end:
            return 1.0
        if today < self.start:
            return 0.0
        return (today - self.start).days / (self.end - self.start).days

    def label(self) -> str:
        """The period in the reader's words: 'October 2026', '2026 Q3', '2026'."""
        from babel.dates import format_skeleton

        if self.kind == PeriodKind.MONTH:
            return format_skeleton("yMMMM", self.start, locale=_babel_locale())
        if self.kind == PeriodKind.QUARTER:
            return _("%(year)s Q%(quarter)s", year=self.year, quarter=self.index)
        return _("Year %(year)s", year=self.year)

    def short_label(self) -> str:
        """A compact axis label: '10/26', 'Q3 26', '2026'."""
        if self.kind == PeriodKind.MONTH:
            return f"{self.index}/{self.year % 100:02d}"
        if self.kind == PeriodKind.QUARTER:
            return f"Q{self.index} {self.year % 100:02d}"
        return str(self.year)

    def is_running(self, today: dt.date) -> bool:
        """True while `today` lies inside the period (its figures are not final)."""
        return self.start <= today < self.end

    def noun(self) -> str:
        """'this month' / 'this quarter' / 'this year' in the reader's words."""
        return {
            PeriodKind.MONTH: _("this month"),
            PeriodKind.QUARTER: _("this quarter"),
            PeriodKind.YEAR: _("this year"),
        }[self.kind]


@dataclass(frozen=True)
class Window:
    """The days of a period that figures cover: all of it, or (a running period and the periods
    it is compared with) its first days only. `end` is exclusive."""

    period: Period
    start: dt.date
    end: dt.date

    @property
    def partial(self) -> bool:
        return self.end < self.period.end

    def label(self) -> str:
        """'October 2026' for the whole period, 'Dec 1 – 2, 2026' for its first days."""
        from babel.dates import format_interval

        if not self.partial:
            return self.period.label()
        last = self.end - dt.timedelta(days=1)
        return format_interval(self.start, last, "yMMMd", locale=_babel_locale())


def same_day(day: dt.date, months: int) -> dt.date:
    """`day` moved by `months` months, kept inside the month (31 March - 1 month: 28 February)."""
    first = add_months(day, months)
    last = add_months(first, 1) - dt.timedelta(days=1)
    return first.replace(day=min(day.day, last.day))


def window(period: Period, today: dt.date, compared_with: Period | None = None) -> Window:
    """The days figures of `period` cover on `today`; with `compared_with`, the days of that
    other period that match them.

    A closed period is covered whole (and compared whole). A running period counts to date,
    today included, and is compared with the same days of the other period: on 2 December,
    1–2 December against 1–2 November (or against 1 July – 2 September for a quarter).
    """
    target = compared_with or period
    if not period.is_running(today):
        return Window(target, target.start, target.end)
    months = (target.start.year - period.start.year) * 12 + (
        target.start.month - period.start.month
    )
    cut = same_day(today, months) + dt.timedelta(days=1)
    return Window(target, target.start, min(max(cut, target.start), target.end))


def add_months(day: dt.date, months: int) -> dt.date:
    n = day.year * 12 + (day.month - 1) + months
    return dt.date(n // 12, n % 12 + 1, 1)


def bounds_utc(start: dt.date, end: dt.date, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """Local midnights of [start, end) as aware UTC datetimes."""
    return (
        clock.day_start(start, zone),
        clock.day_start(end, zone),
    )


def current(kind: PeriodKind | str, today: dt.date) -> Period:
    return Period.containing(today, kind)


def last_closed(kind: PeriodKind | str, today: dt.date) -> Period:
    """The last period of this kind that has ended on `today`: what pages open on."""
    return Period.containing(today, kind).previous


def last_complete_month(today: dt.date) -> Period:
    """The month before the one containing `today` (what the monthly report covers)."""
    return Period.containing(today, PeriodKind.MONTH).previous
