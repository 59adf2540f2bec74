"""The portal clock: one place for "now" and "today", in the portal's time zone, movable in tests."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from portal.lib import clock
from portal.performance import reports

PORTAL = Path(__file__).resolve().parents[2] / "portal"
# Wall-clock reads that must go through portal/lib/clock.py. Row timestamps filled by the database
# in migrations are fine (they record when, they decide nothing), so migrations are not read.
WALL_CLOCK = re.compile(
    r"datetime\.now\(|date\.today\(|\btime\.time\(|utcnow\(|utcfromtimestamp\("
    r"|current_timestamp|current_date|localtimestamp|\bnow\(\)\s*(?:at time zone|::)",
    re.IGNORECASE,
)


def test_no_module_reads_the_wall_clock_outside_the_portal_clock():
    offenders = []
    for path in PORTAL.rglob("*.py"):
        if "piccolo_migrations" in path.parts or path.name == "clock.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if WALL_CLOCK.search(line):
                offenders.append(f"{path.relative_to(PORTAL.parent)}:{number}: {line.strip()}")
    assert offenders == [], "read the time through portal.lib.clock:\n" + "\n".join(offenders)


def test_the_suite_runs_on_a_fixed_instant(time_travel):
    from tests.conftest import TEST_NOW

    assert abs(clock.now() - TEST_NOW) < dt.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("instant", "shanghai_day"),
    [
        ("2026-11-30T15:59:59Z", dt.date(2026, 11, 30)),
        ("2026-11-30T16:00:00Z", dt.date(2026, 12, 1)),  # already December in Shanghai
        ("2026-12-31T16:30:00Z", dt.date(2027, 1, 1)),  # a new year in Shanghai, not in UTC
    ],
)
def test_today_is_the_shanghai_day_not_the_utc_day(time_travel, instant, shanghai_day):
    time_travel.move_to(dt.datetime.fromisoformat(instant.replace("Z", "+00:00")), tick=False)

    assert clock.today() == shanghai_day
    assert clock.local_now().utcoffset() == dt.timedelta(hours=8)  # no daylight saving in Shanghai
    assert clock.day_start(shanghai_day) == dt.datetime.combine(
        shanghai_day - dt.timedelta(days=1), dt.time(16), dt.UTC
    )


@pytest.mark.parametrize(
    ("instant", "month"),
    [
        ("2026-11-30T16:30:00Z", "2026-11"),  # 1 December 00:30 in Shanghai: November is closed
        ("2026-11-30T15:30:00Z", "2026-10"),  # still 30 November in Shanghai
        ("2026-12-31T16:30:00Z", "2026-12"),  # New Year in Shanghai: December's report is due
        ("2027-01-15T04:00:00Z", "2026-12"),
    ],
)
def test_the_report_month_is_the_last_closed_month_in_shanghai(time_travel, instant, month):
    time_travel.move_to(dt.datetime.fromisoformat(instant.replace("Z", "+00:00")), tick=False)

    assert str(reports.report_month()) == month


def test_a_date_range_starts_at_shanghai_midnight():
    assert clock.day_start(dt.date(2027, 1, 1)) == dt.datetime(2026, 12, 31, 16, tzinfo=dt.UTC)
    assert clock.day_start(dt.date(2027, 1, 1), dt.UTC) == dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
