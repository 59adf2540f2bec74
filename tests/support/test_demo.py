"""The support demo data loads on an empty database and a second run adds nothing."""

from __future__ import annotations

from portal.support.demo import load_support_demo
from portal.support.tables import CaseEscalation, KbArticle, SupportCase


async def test_support_demo_loads_cases_in_every_state_and_is_idempotent(vera, alice, carol, manny):
    from portal.partners.tables import Partner

    await Partner.update({Partner.channel_manager_id: manny.id}).where(Partner.id > 0)

    first = await load_support_demo()
    second = await load_support_demo()

    statuses = {r["status"] for r in await SupportCase.select(SupportCase.status)}
    assert first["support_articles"] == 12 and second["support_articles"] == 0
    assert first["support_cases"] >= 8 and second["support_cases"] == 0
    assert {"new", "open", "waiting_on_partner", "resolved", "closed"} <= statuses
    assert await KbArticle.count() == 12
    assert await CaseEscalation.exists()
