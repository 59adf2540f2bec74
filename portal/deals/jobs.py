"""Deal jobs: the notification of one deal event, and the protection run (reminders, expiry).
Both re-load rows by id and are idempotent."""

from __future__ import annotations

from typing import Any

from portal.deals import events, protection


async def notify_deal_event(ctx: dict[str, Any], event_id: int) -> int:
    """The bell and e-mails of one deal event (once)."""
    return len(await events.notify_event(event_id))


async def run_deal_protection(ctx: dict[str, Any]) -> int:
    """Hourly: the 14- and 3-day reminders and the release of ended protections."""
    result = await protection.run_protection()
    return result.reminded + result.expired
