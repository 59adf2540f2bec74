"""Campaign drafts: edited only while draft or scheduled, at most MAX_FILES material files."""

from __future__ import annotations

import json
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.communications import audience as audience_rules
from portal.communications.campaigns.constants import MATERIAL_KINDS, CampaignStatus
from portal.communications.campaigns.schemas import CampaignForm
from portal.communications.campaigns.tables import Campaign, CampaignFile
from portal.communications.constants import Audience
from portal.core.audit import record
from portal.db import write_transaction
from portal.lib import storage
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.partners.tables import Tier
from portal.tenancy import NotFound

EDITABLE = (CampaignStatus.DRAFT, CampaignStatus.SCHEDULED)
MAX_FILES = 30


def _form_values(form: CampaignForm, tier_codes: list[str]) -> dict[Any, Any]:
    if form.starts_on and form.ends_on and form.ends_on < form.starts_on:
        raise FormError({"ends_on": _("The end date must not be before the start date.")})
    values = audience_rules.clean_values(form.audience, form.audience_values, tier_codes)
    if form.audience != Audience.ALL and not values:
        raise FormError({"audience_values": _("Choose at least one for this audience.")})
    return {
        Campaign.title_zh: form.title_zh,
        Campaign.title_en: form.title_en,
        Campaign.description_zh: form.description_zh,
        Campaign.description_en: form.description_en,
        Campaign.starts_on: form.starts_on,
        Campaign.ends_on: form.ends_on,
        Campaign.audience: str(form.audience),
        Campaign.audience_values: json.dumps(values),
    }


async def _tier_codes() -> list[str]:
    return [r["code"] for r in await Tier.select(Tier.code)]


async def create_campaign(actor: CurrentUser, form: CampaignForm) -> int:
    """A new draft campaign; raises FormError for an inconsistent period or empty audience."""
    values = _form_values(form, await _tier_codes())
    moment = now()
    async with write_transaction():
        row = Campaign(
            **{col._meta.name: v for col, v in values.items()},
            status=CampaignStatus.DRAFT,
            created_by_id=actor.id,
            created_at=moment,
            updated_at=moment,
        )
        await row.save()
        await record(
            "campaign.created",
            actor=actor,
            target_type="campaign",
            target_id=row.id,
            after={"title": form.title_zh, "audience": str(form.audience)},
        )
    return int(row.id)


async def get_campaign(campaign_id: int) -> dict[str, Any]:
    """A campaign row (console); NotFound when it does not exist."""
    row = await Campaign.select().where(Campaign.id == campaign_id).first()
    if row is None:
        raise NotFound
    row["audience_values"] = audience_rules.parse_values(row["audience_values"])
    return row


def require_editable(row: dict[str, Any]) -> None:
    if row["status"] not in EDITABLE:
        raise FormError({"": _("A published campaign can no longer be changed.")})


async def update_campaign(actor: CurrentUser, campaign_id: int, form: CampaignForm) -> None:
    """Change a draft or scheduled campaign; published ones are frozen (FormError)."""
    before = await get_campaign(campaign_id)
    require_editable(before)
    values = _form_values(form, await _tier_codes())
    async with write_transaction():
        await Campaign.update({**values, Campaign.updated_at: now()}).where(
            (Campaign.id == campaign_id) & Campaign.status.is_in(list(EDITABLE))
        )
        await record(
            "campaign.updated",
            actor=actor,
            target_type="campaign",
            target_id=campaign_id,
            before={"title": before["title_zh"], "audience": before["audience"]},
            after={"title": form.title_zh, "audience": str(form.audience)},
        )


async def add_material(
    actor: CurrentUser, campaign_id: int, data: bytes, filename: str
) -> dict[str, Any]:
    """Store one file for a campaign; raises storage.UploadRejected (nothing kept) or FormError."""
    row = await get_campaign(campaign_id)
    if row["status"] == CampaignStatus.ARCHIVED:
        raise FormError({"file": _("An archived campaign can no longer be changed.")})
    if await CampaignFile.count().where(CampaignFile.campaign == campaign_id) >= MAX_FILES:
        raise FormError({"file": _("A campaign holds at most %(n)s files.", n=MAX_FILES)})
    stored = await storage.store_upload(
        data, filename, prefix=f"campaigns/{campaign_id}", allowed=MATERIAL_KINDS
    )
    try:
        async with write_transaction():
            file_row = CampaignFile(
                campaign=campaign_id,
                storage_key=stored.key,
                filename=stored.filename,
                content_type=stored.content_type,
                size=stored.size,
                sha256=stored.sha256,
                uploaded_by_id=actor.id,
                uploaded_at=now(),
            )
            await file_row.save()
            await record(
                "campaign.file_added",
                actor=actor,
                target_type="campaign",
                target_id=campaign_id,
                after={"file": stored.filename, "size": stored.size},
            )
    except Exception:
        await storage.delete_file(stored.key)  # leave nothing behind
        raise
    return {"id": int(file_row.id), "filename": stored.filename, "size": stored.size}


async def remove_material(actor: CurrentUser, campaign_id: int, file_id: int) -> None:
    """Delete one file of a campaign (row and stored bytes); NotFound for a foreign file."""
    row = (
        await CampaignFile.select()
        .where((CampaignFile.id == file_id) & (CampaignFile.campaign == campaign_id))
        .first()
    )
    if row is None:
        raise NotFound
    async with write_transaction():
        await CampaignFile.delete().where(CampaignFile.id == file_id)
        await record(
            "campaign.file_removed",
            actor=actor,
            target_type="campaign",
            target_id=campaign_id,
            before={"file": row["filename"]},
        )
    await storage.delete_file(row["storage_key"])


async def list_files(campaign_id: int) -> list[dict[str, Any]]:
    return (
        await CampaignFile.select()
        .where(CampaignFile.campaign == campaign_id)
        .order_by(CampaignFile.id)
    )
