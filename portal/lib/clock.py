"""The current time in UTC (one place, so tests and jobs agree)."""

import datetime as dt


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
