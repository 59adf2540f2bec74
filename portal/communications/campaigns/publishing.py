"""Campaign scheduling and the publish fan-out; a campaign is published (and told) once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.communications import audience as audience_rules
from portal.communications import emails
from portal.communications.campaigns import queries
from portal.communications.campaigns.constants import CampaignStatus
from portal.communications.campaigns.editing import EDITABLE, get_campaign, require_editable
from portal.communications.campaigns.tables import Campaign, CampaignRecipient
from portal.core import email, notifications
from portal.core.audit import record
from portal.db import write_transaction
from portal.lib import jobs
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.lib.i18n import localized
from portal.settings import get_settings
from portal.tenancy import NotFound


async def schedule_campaign(actor: CurrentUser, campaign_id: int, publish_at: dt.datetime) -> None:
    """Publish at a time (the job picks it up when due); a time in the past means now."""
    row = await get_campaign(campaign_id)
    require_editable(row)
    if not (row["title_zh"] or "").strip():
        raise FormError({"": _("Give the campaign a title first.")})
    async with write_transaction():
        await Campaign.update(
            {
                Campaign.status: CampaignStatus.SCHEDULED,
                Campaign.publish_at: publish_at,
                Campaign.updated_at: now(),
            }
        ).where((Campaign.id == campaign_id) & Campaign.status.is_in(list(EDITABLE)))
        await record(
            "campaign.scheduled",
            actor=actor,
            target_type="campaign",
            target_id=campaign_id,
            after={"publish_at": publish_at},
        )
    if publish_at <= now():
        await enqueue_publish(campaign_id)


async def enqueue_publish(campaign_id: int) -> None:
    await jobs.enqueue("publish_campaign", campaign_id, job_id=f"campaign-publish:{campaign_id}")


async def unschedule_campaign(actor: CurrentUser, campaign_id: int) -> None:
    """Back to draft before the publish time."""
    async with write_transaction():
        changed = (
            await Campaign.update(
                {
                    Campaign.status: CampaignStatus.DRAFT,
                    Campaign.publish_at: None,
                    Campaign.updated_at: now(),
                }
            )
            .where((Campaign.id == campaign_id) & (Campaign.status == CampaignStatus.SCHEDULED))
            .returning(Campaign.id)
        )
        if not changed:
            raise FormError({"": _("Only a scheduled campaign can be taken back.")})
        await record(
            "campaign.unscheduled", actor=actor, target_type="campaign", target_id=campaign_id
        )


async def archive_campaign(actor: CurrentUser, campaign_id: int) -> None:
    """Withdraw a campaign: partners no longer see it; its figures stay."""
    async with write_transaction():
        changed = (
            await Campaign.update(
                {Campaign.status: CampaignStatus.ARCHIVED, Campaign.updated_at: now()}
            )
            .where((Campaign.id == campaign_id) & (Campaign.status != CampaignStatus.ARCHIVED))
            .returning(Campaign.id)
        )
        if not changed:
            raise NotFound
        await record(
            "campaign.archived", actor=actor, target_type="campaign", target_id=campaign_id
        )


async def due_campaign_ids() -> list[int]:
    """Scheduled campaigns whose publish time has come (for the every-minute job)."""
    rows = await Campaign.select(Campaign.id).where(
        (Campaign.status == CampaignStatus.SCHEDULED) & (Campaign.publish_at <= now())
    )
    return [int(r["id"]) for r in rows]


def _email_context(row: dict[str, Any], link: str) -> Any:
    def context_for(locale: str) -> dict[str, Any]:
        return {
            "title": localized(row, "title", locale),
            "description": localized(row, "description", locale)[:600],
            "starts_on": row["starts_on"],
            "ends_on": row["ends_on"],
            "link": link,
        }

    return context_for


async def publish_campaign(campaign_id: int) -> int:
    """Publish a due campaign once: freeze the audience, tell each user once (bell + e-mail).

    Returns the number of users told now (0 when it was published already or is not due).
    """

    row = await Campaign.select().where(Campaign.id == campaign_id).first()
    if row is None or row["status"] != CampaignStatus.SCHEDULED:
        return 0
    link = f"{get_settings().base_url}/campaigns/{campaign_id}"
    rendered = emails.render_per_locale("campaign_published", _email_context(row, link))
    title_en = localized(row, "title", "en")
    title_zh = localized(row, "title", "zh_CN")
    where, args = audience_rules.condition(
        row["audience"], audience_rules.parse_values(row["audience_values"])
    )
    moment = now()
    async with write_transaction():
        claimed = (
            await Campaign.update(
                {
                    Campaign.status: CampaignStatus.PUBLISHED,
                    Campaign.published_at: moment,
                    Campaign.updated_at: moment,
                }
            )
            .where(
                (Campaign.id == campaign_id)
                & (Campaign.status == CampaignStatus.SCHEDULED)
                & (Campaign.publish_at <= moment)
            )
            .returning(Campaign.id)
        )
        if not claimed:
            return 0
        await queries.freeze_audience(campaign_id, where, args, moment)
        user_ids = await queries.record_deliveries(campaign_id, moment)
        await notifications.ring_each(
            queries.DELIVERED_USERS_SQL,
            campaign_id,
            kind="campaign",
            title_en=title_en,
            title_zh=title_zh,
            link=f"/campaigns/{campaign_id}",
            ref=f"campaign:{campaign_id}",
        )
        email_ids = await email.queue_bulk(
            "campaign_published", rendered, await emails.addresses(user_ids)
        )
        partners = await CampaignRecipient.count().where(CampaignRecipient.campaign == campaign_id)
        await Campaign.update(
            {Campaign.reached_partners: partners, Campaign.reached_users: len(user_ids)}
        ).where(Campaign.id == campaign_id)
        await record(
            "campaign.published",
            target_type="campaign",
            target_id=campaign_id,
            actor_email="system",
            after={"partners": partners, "users": len(user_ids)},
        )
    await email.enqueue_delivery(email_ids)
    return len(user_ids)
