"""The deals demo: every status, one conflict waiting for review, one protection ending this
week; loading the demo twice adds nothing."""

from __future__ import annotations

import datetime as dt

from portal.deals.tables import Deal, DealLine
from portal.demo import load_demo
from portal.lib.clock import today


async def test_the_demo_has_deals_in_every_status_and_loads_once():
    first = await load_demo()
    second = await load_demo()

    rows = await Deal.select()
    assert first["deals"] == len(rows) >= 10 and second["deals"] == 0
    assert {r["status"] for r in rows} == {
        "draft", "submitted", "info_requested", "approved", "declined", "won", "lost"
    }  # fmt: skip
    assert any(r["conflict"] and r["status"] == "submitted" for r in rows)
    week = today() + dt.timedelta(days=7)
    assert any(r["status"] == "approved" and r["protection_until"] <= week for r in rows)
    priced = await DealLine.select(DealLine.deal).where(DealLine.special_price_amount.is_not_null())
    assert priced  # the protected demo deals carry deal prices to order against
