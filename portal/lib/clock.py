"""The portal's only clock: every "now" and "today" of the portal comes from here.

`now()` is an aware UTC instant; `local_now()` and `today()` are in the portal's time zone
(`TIME_ZONE`, Asia/Shanghai by default), so a business date never depends on the server's zone.

Tests run on a fixed instant: the test process travels with time-machine (tests/conftest.py), and
the portal processes that tests start (servers, workers) travel to the same instant, read from
`PORTAL_CLOCK_AT`, when `PORTAL_MODE=test` (see `_travel_for_tests`).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from zoneinfo import ZoneInfo

from portal.settings import get_settings


def now() -> dt.datetime:
    """The current instant, aware, in UTC."""
    return dt.datetime.now(dt.UTC)


def zone() -> ZoneInfo:
    """The portal's time zone (settings.TIME_ZONE)."""
    return get_settings().tz


def local_now(tz: dt.tzinfo | None = None) -> dt.datetime:
    """The current instant in the portal's time zone (or in `tz`)."""
    return now().astimezone(tz or zone())


def today(tz: dt.tzinfo | None = None) -> dt.date:
    """Today's date in the portal's time zone (or in `tz`): the business date."""
    return local_now(tz).date()


def day_start(day: dt.date, tz: dt.tzinfo | None = None) -> dt.datetime:
    """The UTC instant at which `day` begins in the portal's time zone (or in `tz`).

    Date ranges over timestamps use it, so "today" and "November" mean Shanghai's day and month,
    not UTC's (they differ from 16:00 to 24:00 UTC).
    """
    return dt.datetime.combine(day, dt.time(), tz or zone()).astimezone(dt.UTC)


def _travel_for_tests() -> None:
    """In a process started by the test suite, start the clock at the suite's instant.

    Only with PORTAL_MODE=test and PORTAL_CLOCK_AT set, and never in the process that set them
    (PORTAL_CLOCK_OWNER holds its pid: it moves its clock itself). Patching time itself, not only
    this module, keeps arq's job timestamps and cookie dates in step with the test process.
    """
    at = os.environ.get("PORTAL_CLOCK_AT")
    if os.environ.get("PORTAL_MODE") != "test" or not at:
        return
    if os.environ.get("PORTAL_CLOCK_OWNER") == str(os.getpid()):
        return
    import time_machine  # a dev dependency, needed only in test mode (hence imported here)

    instant = dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
    # The test clock showed `instant` at real time PORTAL_CLOCK_REAL: start where it stands now.
    since = time.time() - float(os.environ.get("PORTAL_CLOCK_REAL") or time.time())
    time_machine.travel(instant + dt.timedelta(seconds=max(since, 0.0)), tick=True).start()


_travel_for_tests()
