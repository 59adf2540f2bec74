"""Customer jobs: the daily follow-up digests and the nightly segment recomputation. Both are
idempotent (a digest row per user and day; segments are recomputed from the facts)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.customers import emails
from portal.customers.segmentation import recompute_segments
from portal.lib import jobs
from portal.lib.clock import now
from portal.lib.i18n import to_local


async def send_followup_digests(ctx: dict[str, Any]) -> int:
    """Every morning: enqueue one digest job per user with follow-ups due (fixed job ids)."""
    day = to_local(now()).date()
    users = await emails.digest_recipients(day)
    for user_id in users:
        await jobs.enqueue(
            "send_followup_digest",
            user_id,
            day.isoformat(),
            job_id=f"followup-digest:{user_id}:{day.isoformat()}",
        )
    return len(users)


async def send_followup_digest(ctx: dict[str, Any], user_id: int, day: str) -> int | None:
    """Queue one user's digest for one day (ids as arguments; safe to run twice)."""
    return await emails.send_digest(user_id, dt.date.fromisoformat(day))


async def recompute_customer_segments(ctx: dict[str, Any], partner_id: int | None = None) -> int:
    """Nightly: recompute every customer's RFM segment (or one partner's); returns rows changed."""
    return await recompute_segments(partner_id=partner_id)
