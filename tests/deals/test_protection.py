"""The protection job: reminders 14 and 3 days before the end (once each), expiry, the partner
told by bell and e-mail in their language; a second run changes nothing."""

from __future__ import annotations

import datetime as dt

from portal.core.tables import Notification, OutboundEmail
from portal.deals import protection, services
from portal.deals.tables import Deal, DealEvent
from portal.lib import jobs
from portal.lib.clock import now, today
from tests.deals.factories import make_deal


async def _kinds(deal_id: int) -> list[str]:
    return [
        e["kind"]
        for e in await DealEvent.select().where(DealEvent.deal == deal_id).order_by(DealEvent.id)
    ]


async def test_approval_rings_the_bell_and_mails_the_partner_in_chinese(alice, vera):
    deal_id = await make_deal(alice.current, status="submitted")
    await services.approve_deal(vera.current, deal_id)
    await jobs.drain()
    bells = await Notification.select().where(Notification.user == alice.id)
    assert any("DR-" in b["title_zh"] and "批准" in b["title_zh"] for b in bells)
    mails = await OutboundEmail.select().where(
        (OutboundEmail.to_address == alice.email) & (OutboundEmail.kind == "deal_event")
    )
    assert len(mails) == 1
    assert "保护" in mails[0]["body_text"]


async def test_reminders_once_each_then_expiry(alice, vera, time_travel):
    deal_id = await make_deal(alice.current, status="approved", vendor=vera.current)
    until = (await Deal.select(Deal.protection_until).where(Deal.id == deal_id).first())[
        "protection_until"
    ]
    start, first_day = now(), today()  # the portal's day is today(), in its time zone

    def on(day: dt.date) -> dt.datetime:
        return start + dt.timedelta(days=(day - first_day).days)

    time_travel.move_to(on(until - dt.timedelta(days=20)))
    assert (await protection.run_protection()).reminded == 0
    time_travel.move_to(on(until - dt.timedelta(days=13)))
    assert (await protection.run_protection()).reminded == 1
    assert (await protection.run_protection()).reminded == 0  # once
    time_travel.move_to(on(until - dt.timedelta(days=2)))
    assert (await protection.run_protection()).reminded == 1
    time_travel.move_to(on(until))
    assert (await protection.run_protection()).expired == 0  # the last day is still protected
    time_travel.move_to(on(until + dt.timedelta(days=1)))
    first = await protection.run_protection()
    second = await protection.run_protection()
    assert (first.expired, second.expired) == (1, 0)
    await jobs.drain()
    assert await _kinds(deal_id) == [
        "created",
        "submitted",
        "approved",
        "reminder",
        "reminder",
        "expired",
    ]
    mails = await OutboundEmail.count().where(
        (OutboundEmail.to_address == alice.email) & (OutboundEmail.kind == "deal_event")
    )
    assert mails == 4  # approved, two reminders, expired
