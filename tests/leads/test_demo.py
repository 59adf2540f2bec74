"""The leads demo: rules, leads waiting for alice's company, one accepted, one passed on with
its reason, one timed out, one no rule places; loading the demo twice adds nothing."""

from __future__ import annotations

from portal.auth.tables import User
from portal.deals.lead_tables import Lead, LeadOffer, LeadRule
from portal.demo import load_demo


async def test_the_demo_has_leads_waiting_for_alice_and_loads_once():
    first = await load_demo()
    second = await load_demo()

    alice = await User.select(User.partner).where(User.email == "alice@partner-a.demo").first()
    rows = await Lead.select()
    assert first["leads"] == len(rows) >= 8 and second["leads"] == 0
    assert await LeadRule.count() == 3
    waiting = [r for r in rows if r["status"] == "offered" and r["partner"] == alice["partner"]]
    assert len(waiting) >= 4
    assert {r["status"] for r in rows} >= {"offered", "accepted", "expired", "new"}
    outcomes = {o["outcome"] for o in await LeadOffer.select(LeadOffer.outcome)}
    assert outcomes >= {"", "accepted", "declined", "timed_out"}
