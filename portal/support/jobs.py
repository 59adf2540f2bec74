"""Support jobs: the minute SLA check, the e-mails of case events and escalation steps, closing
resolved cases after the reopen window, and the CSAT request. Every job re-loads rows by id and is
idempotent."""

from __future__ import annotations

from typing import Any

from portal.lib import clock, jobs
from portal.support import cases, emails, escalation, services


async def check_case_deadlines(ctx: dict[str, Any]) -> int:
    """Every minute: write the escalation steps that are due, then notify them."""
    result = await escalation.check_deadlines()
    for step_id in await escalation.unnotified():
        await jobs.enqueue("notify_case_escalation", step_id, job_id=f"case-escalation:{step_id}")
    return result.escalations


async def notify_case_event(ctx: dict[str, Any], event_id: int) -> int:
    """The e-mails (and bell notifications) of one case event."""
    return len(await emails.notify_event(event_id))


async def notify_case_escalation(ctx: dict[str, Any], escalation_id: int) -> int:
    """The e-mails of one escalation step (assignee, team lead or vendor admins)."""
    return len(await emails.notify_escalation(escalation_id))


async def sweep_case_notifications(ctx: dict[str, Any]) -> int:
    """Re-enqueue case events whose e-mails were never queued (a worker died after the commit)."""
    stale = await emails.stale_event_ids()
    stamp = f"{clock.now():%Y%m%d%H%M}"
    for event_id in stale:
        await jobs.enqueue("notify_case_event", event_id, job_id=f"case-event:{event_id}:{stamp}")
    return len(stale)


async def close_resolved_cases(ctx: dict[str, Any]) -> int:
    """Hourly: resolved cases whose reopen window passed are closed (and asked for a CSAT)."""
    return len(await cases.close_expired_resolutions())


async def request_case_csat(ctx: dict[str, Any], case_id: int) -> int | None:
    """Ask the requester of a closed case for a CSAT through the feedback feature, once."""

    return await services.request_csat_for_case(case_id)
