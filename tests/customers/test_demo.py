"""The customer demo: partners A and B get customers, a year of contacts, open follow-ups and
several segments; loading twice adds nothing."""

from __future__ import annotations

from piccolo.query.functions.aggregate import Count

from portal.auth.constants import Role
from portal.customers.demo import load_customers_demo
from portal.customers.tables import Customer, Interaction
from tests.factories import make_user


async def test_the_demo_gives_both_partners_customers_and_loads_once(partner_a, partner_b):
    await make_user(Role.PARTNER_ADMIN, partner_a, "alice@partner-a.demo", "Alice", can_sales=True)
    await make_user(Role.PARTNER_MEMBER, partner_a, "bob@partner-a.demo", "Bob", can_sales=True)
    await make_user(Role.PARTNER_ADMIN, partner_b, "carol@partner-b.demo", "Carol")

    first = await load_customers_demo()
    second = await load_customers_demo()

    assert first["customers"] == 78 and second == {"customers": 0, "interactions": 0}
    per_partner = {
        r["partner"]: r["n"]
        for r in await Customer.select(Customer.partner, Count(Customer.id, alias="n")).group_by(
            Customer.partner
        )
    }
    assert per_partner == {partner_a: 48, partner_b: 30}
    channels = {r["channel"] for r in await Interaction.select(Interaction.channel).distinct()}
    assert {"phone", "wechat", "visit", "email"} <= channels
    open_followups = await Interaction.count().where(
        Interaction.followup_on.is_not_null() & Interaction.followup_done_at.is_null()
    )
    assert open_followups >= 10
    segments = {r["segment"] for r in await Customer.select(Customer.segment).distinct()}
    assert {"new", "dormant", "steady"} <= segments  # at risk and high value need orders
