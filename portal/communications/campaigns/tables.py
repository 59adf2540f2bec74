"""Campaigns with their material, audience (frozen into recipients at publication), deliveries
and partner activity.

Composite unique indexes live in the communications app's second migration: one recipient row per
(campaign, partner), one delivery per (campaign, user).
"""

from piccolo.columns import (
    JSON,
    BigInt,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from portal.auth.tables import User
from portal.communications.campaigns.constants import ActivityKind, CampaignStatus
from portal.communications.constants import Audience
from portal.partners.tables import Partner


class Campaign(Table, tablename="campaign"):
    """A vendor campaign: bilingual text, a period, an audience rule, and material files."""

    id: Serial  # created by Piccolo; declared for type checkers

    title_zh = Varchar(length=200)
    title_en = Varchar(length=200, default="")
    description_zh = Text(default="")
    description_en = Text(default="")
    starts_on = Date(null=True, default=None)
    ends_on = Date(null=True, default=None)  # after this day the campaign counts as past
    audience = Varchar(length=20, choices=Audience, default=Audience.ALL)
    audience_values = JSON(default="[]")  # tier codes, kinds, province codes or partner ids
    status = Varchar(length=20, choices=CampaignStatus, default=CampaignStatus.DRAFT, index=True)
    publish_at = Timestamptz(null=True, default=None)
    published_at = Timestamptz(null=True, default=None, index=True)
    reached_partners = Integer(default=0)
    reached_users = Integer(default=0)
    created_by_id = BigInt(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class CampaignFile(Table, tablename="campaign_file"):
    """One piece of material, kept by portal.lib.storage under a server-made key."""

    id: Serial  # created by Piccolo; declared for type checkers

    campaign = ForeignKey(Campaign, on_delete=OnDelete.cascade, index=True)
    storage_key = Varchar(length=200, unique=True)
    filename = Varchar(length=200)
    content_type = Varchar(length=120)
    size = BigInt()
    sha256 = Varchar(length=64)
    uploaded_by_id = BigInt(null=True, default=None)
    uploaded_at = Timestamptz()


class CampaignRecipient(Table, tablename="campaign_recipient"):
    """A partner addressed at publish time, with its tier and region then (exact reach figures)."""

    id: Serial  # created by Piccolo; declared for type checkers

    campaign = ForeignKey(Campaign, on_delete=OnDelete.cascade)
    partner = ForeignKey(Partner, on_delete=OnDelete.cascade, index=True)
    tier_code = Varchar(length=30, default="")
    province = Varchar(length=10, default="")
    addressed_at = Timestamptz()
    first_opened_at = Timestamptz(null=True, default=None)
    first_downloaded_at = Timestamptz(null=True, default=None)


class CampaignDelivery(Table, tablename="campaign_delivery"):
    """One partner user told about a campaign; inserted with the notification and the e-mail in
    one transaction, so each user is told exactly once however often the job runs."""

    id: Serial  # created by Piccolo; declared for type checkers

    campaign = ForeignKey(Campaign, on_delete=OnDelete.cascade)
    user = ForeignKey(User, on_delete=OnDelete.cascade, index=True)
    partner_id = BigInt()
    created_at = Timestamptz()


class CampaignActivity(Table, tablename="campaign_activity"):
    """Who opened a campaign or previewed/downloaded which file, and when; never updated."""

    id: Serial  # created by Piccolo; declared for type checkers

    campaign = ForeignKey(Campaign, on_delete=OnDelete.cascade)
    file = ForeignKey(CampaignFile, null=True, default=None, on_delete=OnDelete.set_null)
    partner = ForeignKey(Partner, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(User, on_delete=OnDelete.cascade)
    kind = Varchar(length=10, choices=ActivityKind)
    at = Timestamptz(index=True)
