"""Case numbers come from the row id: cases opened at the same moment never share a number."""

from __future__ import annotations

import asyncio
import datetime as dt

from portal.lib import clock
from portal.support.tables import SupportCase
from tests.support.factories import make_case

AT_ONCE = 20


async def test_cases_opened_at_once_get_distinct_numbers(alice, carol):
    # given two partners opening many cases at the same moment (on PostgreSQL: in parallel
    # connections; on SQLite: queued write transactions)
    opened = await asyncio.gather(
        *(make_case(alice if n % 2 else carol) for n in range(AT_ONCE)), return_exceptions=True
    )

    # then every case was stored, each with a number of its own
    errors = [e for e in opened if isinstance(e, BaseException)]
    assert not errors, errors
    rows = await SupportCase.select(SupportCase.id, SupportCase.number)
    assert len(rows) == AT_ONCE
    assert len({r["number"] for r in rows}) == AT_ONCE
    year = clock.local_now().year
    assert all(r["number"] == f"CS-{year}-{r['id']:06d}" for r in rows)


async def test_the_year_of_a_case_number_is_the_portals(alice, time_travel):
    # given it is already New Year's Day in Shanghai, still 31 December in UTC
    time_travel.move_to(dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC))

    case_id = await make_case(alice)

    row = await SupportCase.select(SupportCase.number).where(SupportCase.id == case_id).first()
    assert row["number"] == f"CS-2027-{case_id:06d}"
