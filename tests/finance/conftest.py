"""The finance tests spell out their dates (due dates, statement months, "tomorrow"): they run at
the default test instant on purpose, in the moved-clock run too, so every date they name is the
date they meant."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

FINANCE_NOW = dt.datetime(2026, 11, 18, 4, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def finance_clock(time_travel) -> Iterator[None]:  # type: ignore[no-untyped-def]
    time_travel.move_to(FINANCE_NOW)
    yield
