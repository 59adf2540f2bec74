"""Order jobs: the status e-mail of one order event, and the sweeper that catches lost ones.
Both are idempotent (the event row holds a lease and the notified mark)."""

from __future__ import annotations

import logging
from typing import Any

from portal.lib import hooks, jobs
from portal.orders import emails

log = logging.getLogger("portal.orders.jobs")


async def notify_order_event(ctx: dict[str, Any], event_id: int) -> int | None:
    """Queue the submitter's e-mail about one order event (enqueued after the step's commit),
    after the subscribers of hooks.order_event_landed (the bell and the CSAT after delivery, the
    partner's performance rollup, receivables), all idempotent."""
    try:  # before the e-mail: a re-run by the sweeper repeats it harmlessly (idempotent)
        await hooks.order_event_landed(event_id)
    except Exception:  # the bell, receivables, rollups must never hold back the status e-mail
        log.exception("order event %s: a subscriber of order_event_landed failed", event_id)
    return await emails.notify_event(event_id)


async def sweep_order_notifications(ctx: dict[str, Any]) -> int:
    """Re-enqueue order events whose e-mail was never queued (a worker died after the commit)."""
    stale = await emails.stale_event_ids()
    for event_id in stale:
        await jobs.enqueue("notify_order_event", event_id, job_id=f"order-event:{event_id}:sweep")
    return len(stale)
