"""Deals elsewhere (issue 15): the customer's 360° page lists its deals; the partner home says
how many protected deals end within 14 days."""

from __future__ import annotations

import datetime as dt

from portal.deals.tables import Deal
from portal.lib.clock import today
from tests.deals.factories import make_deal


async def test_the_customer_page_lists_its_deals(alice, vera, as_user):
    deal_id = await make_deal(
        alice.current, "三六零客户有限公司", status="approved", vendor=vera.current
    )
    row = await Deal.select(Deal.number, Deal.customer).where(Deal.id == deal_id).first()
    page = await (await as_user(alice)).get(
        f"/customers/{row['customer']}", headers={"Accept-Language": "zh-CN"}
    )
    assert page.status_code == 200
    assert (
        row["number"] in page.text
        and "保护中" in page.text
        and f'href="/deals/{deal_id}"' in page.text
    )


async def test_the_partner_home_counts_deals_ending_within_14_days(alice, vera, as_user):
    soon = await make_deal(alice.current, status="approved", vendor=vera.current)
    await make_deal(alice.current, status="approved", vendor=vera.current)  # ends in 90 days
    await Deal.update({Deal.protection_until: today() + dt.timedelta(days=5)}).where(
        Deal.id == soon
    )
    home = await (await as_user(alice)).get("/", headers={"Accept-Language": "en"})
    text = home.text
    at = text.index("Protection ends within 14 days")
    assert ">1<" in text[at : at + 300].replace(" ", "")
