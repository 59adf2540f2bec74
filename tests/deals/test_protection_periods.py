"""Protection period per tier (issue 15): 90 days unless the vendor sets another for the tier,
on the console page where the tiers are configured; approval uses the partner's tier."""

from __future__ import annotations

import datetime as dt

from portal.deals import periods, services
from portal.deals.tables import Deal, TierProtection
from portal.lib.clock import today
from portal.partners.tables import Partner
from tests.deals.factories import make_deal
from tests.personas import post_form


async def tier_of(partner_id: int) -> int:
    return int((await Partner.select(Partner.tier).where(Partner.id == partner_id).first())["tier"])


async def test_approval_protects_for_90_days_by_default(alice, vera):
    deal_id = await make_deal(alice.current, status="submitted")
    until = await services.approve_deal(vera.current, deal_id)
    assert until == today() + dt.timedelta(days=89)


async def test_approval_uses_the_period_of_the_partners_tier(alice, carol, vera, partner_a):
    await periods.set_protection_days(vera.current, {await tier_of(partner_a): 120})
    mine = await make_deal(alice.current, status="submitted")
    assert await services.approve_deal(vera.current, mine) == today() + dt.timedelta(days=119)
    if await tier_of(carol.current.partner_id) != await tier_of(partner_a):
        other = await make_deal(carol.current, status="submitted", sku="DEAL-NVR")
        assert await services.approve_deal(vera.current, other) == today() + dt.timedelta(days=89)
    row = await Deal.select(Deal.protection_until).where(Deal.id == mine).first()
    assert row["protection_until"] == today() + dt.timedelta(days=119)


async def test_vera_sets_the_period_on_the_settings_page_and_the_review_form_offers_it(
    alice, vera, partner_a, as_user
):
    tier = await tier_of(partner_a)
    client = await as_user(vera)
    page = await client.get("/console/performance/settings", headers={"Accept-Language": "en"})
    assert "Deal protection by tier" in page.text and f'name="protect_{tier}" ' in page.text
    fields = {f"protect_{t['id']}": str(t["days"]) for t in await periods.protection_days_by_tier()}
    answer = await post_form(
        client, "/console/deals/protection", {**fields, f"protect_{tier}": "60"}
    )
    assert answer.status_code == 303
    assert await TierProtection.select(TierProtection.days).where(
        TierProtection.tier == tier
    ).first() == {"days": 60}
    deal_id = await make_deal(alice.current, status="submitted")
    review = await client.get(f"/console/deals/{deal_id}")
    assert 'name="days"' in review.text and 'value="60"' in review.text
    bad = await post_form(client, "/console/deals/protection", {**fields, f"protect_{tier}": "400"})
    assert bad.status_code == 303
    assert await TierProtection.select(TierProtection.days).where(
        TierProtection.tier == tier
    ).first() == {"days": 60}
