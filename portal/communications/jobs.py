"""Communications jobs: publish a campaign, open a feedback request, and the every-minute
sweeper that starts due ones; reminders; the notices of hooks.alert. All take ids and are safe to
run twice (the claim is a conditional UPDATE in the fan-out's own transaction)."""

from __future__ import annotations

from typing import Any

from portal.communications import notices
from portal.communications.campaigns import publishing as campaign_publishing
from portal.communications.feedback import delivery as feedback_delivery
from portal.lib import jobs


async def publish_campaign(ctx: dict[str, Any], campaign_id: int) -> int:
    """Publish one due campaign (enqueued by the console or by publish_due_communications)."""
    return await campaign_publishing.publish_campaign(campaign_id)


async def open_feedback_request(ctx: dict[str, Any], request_id: int) -> int:
    """Open one due feedback request and invite its audience."""
    return await feedback_delivery.open_request(request_id)


async def publish_due_communications(ctx: dict[str, Any]) -> int:
    """Every minute: publish scheduled campaigns and open scheduled requests whose time came."""

    due = 0
    for campaign_id in await campaign_publishing.due_campaign_ids():
        await jobs.enqueue(
            "publish_campaign", campaign_id, job_id=f"campaign-publish:{campaign_id}"
        )
        due += 1
    for request_id in await feedback_delivery.due_request_ids():
        await jobs.enqueue(
            "open_feedback_request", request_id, job_id=f"feedback-open:{request_id}"
        )
        due += 1
    return due


async def send_feedback_reminders(ctx: dict[str, Any]) -> int:
    """Hourly: remind users who have not answered, N days before the due date (once each)."""
    return await feedback_delivery.send_due_reminders()


async def send_notice(ctx: dict[str, Any], kind: str, object_id: int) -> int:
    """Tell the people concerned of one event raised through hooks.alert (bell and e-mail, once
    per recipient however often it runs); the number of e-mails stored now."""
    return len(await notices.send_notice(kind, object_id))
