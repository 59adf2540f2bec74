"""The doors of campaigns: the only way a handler reaches a campaign or one of its files.

Partner users reach a campaign only when their partner was addressed (a row in the recipient
table) and it is published; otherwise NotFound, exactly as for an id that does not exist. Vendor
staff reach every one (they are the vendor's own content).
"""

from __future__ import annotations

from typing import Any

from portal.auth.schemas import CurrentUser
from portal.communications.campaigns.constants import CampaignStatus
from portal.communications.campaigns.tables import Campaign, CampaignFile, CampaignRecipient
from portal.tenancy import NotFound


async def get_campaign_for_user(user: CurrentUser, campaign_id: int) -> dict[str, Any]:
    """A published campaign addressed to the user's partner (any campaign for vendor staff)."""
    where: Any = Campaign.id == campaign_id
    if user.is_vendor:
        pass
    elif user.is_partner and user.partner_id is not None:
        where = (
            where
            & (Campaign.status == CampaignStatus.PUBLISHED)
            & Campaign.id.is_in(
                CampaignRecipient.select(CampaignRecipient.campaign).where(
                    (CampaignRecipient.partner == user.partner_id)
                    & (CampaignRecipient.campaign == campaign_id)
                )
            )
        )
    else:
        raise NotFound
    row = await Campaign.select().where(where).first()
    if row is None:
        raise NotFound
    return row


async def get_campaign_file_for_user(
    user: CurrentUser, campaign_id: int, file_id: int
) -> dict[str, Any]:
    """A file of a campaign the user may reach; NotFound otherwise."""
    await get_campaign_for_user(user, campaign_id)
    row = (
        await CampaignFile.select()
        .where((CampaignFile.id == file_id) & (CampaignFile.campaign == campaign_id))
        .first()
    )
    if row is None:
        raise NotFound
    return row
