"""Performance jobs: keep the rollups fresh, reconcile the monthly reports, send one report.

All take ids (or nothing), re-read the database and are safe to run twice: the rollup rewrite
is idempotent, the reconciler only adds missing rows, and a report is claimed under a lease.
"""

from __future__ import annotations

import logging
from typing import Any

from arq import Retry

from portal.core import email
from portal.lib import clock
from portal.lib.clock import now
from portal.performance import deliveries, reports, rollups
from portal.performance.constants import HISTORY_MONTHS

log = logging.getLogger("portal.performance.jobs")


async def refresh_performance_rollups(ctx: dict[str, Any], months: int = 2) -> int:
    """Rewrite the rollups of the last `months` months (hourly: 2; nightly: the full history)."""
    return await rollups.refresh_rollups(rollups.recent_months(clock.today(), months))


async def refresh_all_performance_rollups(ctx: dict[str, Any]) -> int:
    """Nightly: rewrite every month of the kept history."""
    return await rollups.refresh_rollups(rollups.recent_months(clock.today(), HISTORY_MONTHS))


async def reconcile_performance_reports(ctx: dict[str, Any]) -> int:
    """Frequent: once last month's REPORT_SCHEDULE time has passed, create its missing delivery
    rows and enqueue every unsent one with its fixed job id. Catches a missed cron slot."""
    period = reports.report_month()
    if now() < reports.scheduled_at(period):
        return 0
    await rollups.refresh_rollups(period.months)  # the month is closed: final figures
    await deliveries.ensure_deliveries(period)
    return await deliveries.enqueue_due()


BUSY_RECHECK_S = 60


async def send_performance_report(ctx: dict[str, Any], delivery_id: int) -> str:
    """Render and e-mail one partner's monthly report; SMTP trouble: retried with back-off."""
    try:
        outcome = await deliveries.send_report(delivery_id)
    except Exception as exc:
        if ctx.get("inline"):
            raise
        tries = int(ctx.get("job_try", 1))
        if tries >= 6:
            raise  # the reconciler picks the row up again after its back-off
        raise Retry(defer=email.backoff(tries).total_seconds()) from exc
    if outcome == "busy" and not ctx.get("inline"):
        # Leased by another sender, perhaps one that died (arq re-runs a dead worker's jobs
        # before the lease ends): look again in a minute, or when the lease runs out if sooner,
        # instead of calling it done; a live sender has finished by then and this run ends.
        left = await deliveries.lease_left(delivery_id)
        if left is not None:
            raise Retry(defer=min(left.total_seconds(), BUSY_RECHECK_S) + 1)
    return outcome
