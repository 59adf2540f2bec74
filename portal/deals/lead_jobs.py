"""Lead jobs: the routing run (offers past their due time handed on, waiting leads routed) and
the notices of new offers. Both are set-based and idempotent: a second run finds nothing."""

from __future__ import annotations

from typing import Any

from portal.deals import lead_answers, lead_routing


async def run_lead_routing(ctx: dict[str, Any]) -> int:
    """Every minute: time out unanswered offers (recorded in the history), route their leads
    and the leads still waiting to the next eligible partner; how many leads were offered."""
    timed_out = await lead_answers.expire_offers()
    waiting = await lead_routing.route_leads()
    return timed_out.routed + waiting.routed


async def notify_lead_offers(ctx: dict[str, Any]) -> int:
    """The bell and e-mails of offers not told yet (one notice per partner)."""
    return len(await lead_answers.notify_offers())
