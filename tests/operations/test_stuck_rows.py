"""The console's delivery log and e-mail log show stuck rows in red, with the reason, in both
languages: a row claimed longer than its lease, or due long ago with no worker taking it."""

from __future__ import annotations

import datetime as dt

from portal.core import email
from portal.core.tables import OutboundEmail
from portal.lib.clock import now
from portal.performance import deliveries
from portal.performance.periods import Period
from portal.performance.tables import ReportDelivery

OCT = Period.parse("2026-10")


async def _deliveries(partner_a: int, partner_b: int) -> None:
    await deliveries.ensure_deliveries(OCT, [partner_a, partner_b])
    # partner A's sender died 25 minutes after its 10-minute lease began; B is being sent now
    await ReportDelivery.update(
        {
            ReportDelivery.status: "sending",
            ReportDelivery.lease_until: now() - dt.timedelta(minutes=25),
        }
    ).where(ReportDelivery.partner == partner_a)
    await ReportDelivery.update(
        {
            ReportDelivery.status: "sending",
            ReportDelivery.lease_until: now() + dt.timedelta(minutes=9),
        }
    ).where(ReportDelivery.partner == partner_b)


async def test_the_delivery_log_shows_a_delivery_claimed_past_its_lease_in_red(
    as_user, vera, partner_a, partner_b
):
    await _deliveries(partner_a, partner_b)

    page = await (await as_user(vera)).get("/console/performance/deliveries?period=2026-10")

    assert page.status_code == 200
    assert page.text.count('class="row-stuck"') == 1
    stuck_row = page.text.split('class="row-stuck"', 1)[1].split("</tr>", 1)[0]
    assert "Claimed longer than its lease: the lease ran out 25 min ago" in stuck_row
    assert "Stuck" in stuck_row


async def test_the_delivery_log_gives_the_reason_in_chinese(as_user, vera, partner_a, partner_b):
    await _deliveries(partner_a, partner_b)
    client = await as_user(vera)

    page = await client.get(
        "/console/performance/deliveries?period=2026-10", headers={"Accept-Language": "zh-CN"}
    )

    assert "租约已于 25 分钟前到期" in page.text and "卡住" in page.text


async def test_the_email_log_shows_claimed_and_forgotten_emails_in_red(as_user, vera):
    ids = [
        await email.queue_email(
            "a@example.com", "password_reset", {"link": "x", "name": "A", "minutes": 60}, "en"
        )
        for _ in range(3)
    ]
    await OutboundEmail.update(  # claimed by a sender that was killed 12 minutes ago
        {OutboundEmail.lease_until: now() - dt.timedelta(minutes=12)}
    ).where(OutboundEmail.id == ids[0])
    await OutboundEmail.update(  # due for an hour: nothing consumes the queue
        {OutboundEmail.next_attempt_at: now() - dt.timedelta(hours=1)}
    ).where(OutboundEmail.id == ids[1])

    page = await (await as_user(vera)).get("/console/emails/")

    assert page.text.count('class="row-stuck"') == 2
    assert "the lease ran out 12 min ago" in page.text
    assert "Due for 60 min and no worker has taken it" in page.text
