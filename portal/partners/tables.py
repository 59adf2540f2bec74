"""Partner organisations, their tiers and tier history, and applications to become one.

User ids of vendor staff (channel manager, reviewer, changer) are plain BigInt columns: the auth app
already depends on this one through User.partner, and Piccolo cannot order two apps that reference
each other. Users are never deleted (only disabled), so the ids stay valid.
"""

from piccolo.columns import (
    BigInt,
    Boolean,
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

from portal.auth.constants import PartnerStatus
from portal.partners.constants import ApplicationStatus, PartnerKind


class Tier(Table, tablename="tier"):
    """A rung of the partner ladder; rank 1 is the top."""

    id: Serial  # created by Piccolo; declared for type checkers

    code = Varchar(length=30, unique=True)
    name_zh = Varchar(length=60)
    name_en = Varchar(length=60)
    rank = Integer(unique=True)
    quarterly_threshold_amount = BigInt(default=0)  # revenue per quarter, minor units (fen)


class Partner(Table, tablename="partner"):
    """A dealer or distributor organisation; the tenant that owns partner data."""

    id: Serial  # created by Piccolo; declared for type checkers

    code = Varchar(length=20, unique=True, index=True)
    name = Varchar(length=200, index=True)
    name_en = Varchar(length=200, default="")
    kind = Varchar(length=20, choices=PartnerKind, index=True)
    tier = ForeignKey(Tier, on_delete=OnDelete.restrict, index=True)
    province = Varchar(length=10, index=True)
    city = Varchar(length=80, default="")
    address = Varchar(length=300, default="")
    contact_name = Varchar(length=120, default="")
    contact_phone = Varchar(length=40, default="")
    contact_email = Varchar(length=254, default="")
    credit_limit_amount = BigInt(default=0)  # minor units
    currency = Varchar(length=3, default="CNY")
    channel_manager_id = BigInt(null=True, default=None, index=True)
    status = Varchar(length=20, choices=PartnerStatus, default=PartnerStatus.ACTIVE, index=True)
    joined_on = Date()
    locale = Varchar(length=10, default="zh_CN")
    notes = Text(default="")
    created_at = Timestamptz()
    updated_at = Timestamptz()


class DeliveryAddress(Table, tablename="delivery_address"):
    """One address of the partner's address book, managed by its admins; the cart and the orders
    API pick one, and the order keeps a copy of its text (a later change never alters an order).
    The default one is preselected in the cart."""

    id: Serial  # created by Piccolo; declared for type checkers

    partner = ForeignKey(Partner, on_delete=OnDelete.cascade, index=True)
    label = Varchar(length=60)  # 上海仓库, 北京门店
    recipient = Varchar(length=120, default="")
    phone = Varchar(length=40, default="")
    address = Varchar(length=300)
    is_default = Boolean(default=False)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class TierChange(Table, tablename="tier_change"):
    """One move of a partner between tiers, with who and why; never updated."""

    id: Serial  # created by Piccolo; declared for type checkers

    partner = ForeignKey(Partner, on_delete=OnDelete.cascade, index=True)
    from_tier = ForeignKey(Tier, null=True, on_delete=OnDelete.restrict)
    to_tier = ForeignKey(Tier, on_delete=OnDelete.restrict)
    changed_by_id = BigInt(null=True, default=None)
    changed_by_name = Varchar(length=120, default="")
    reason = Text(default="")
    changed_at = Timestamptz()


class PartnerApplication(Table, tablename="partner_application"):
    """A "become a partner" request from the public form, reviewed by vendor staff."""

    id: Serial  # created by Piccolo; declared for type checkers

    company_name = Varchar(length=200)
    kind = Varchar(length=20, choices=PartnerKind)
    province = Varchar(length=10)
    city = Varchar(length=80, default="")
    address = Varchar(length=300, default="")
    contact_name = Varchar(length=120)
    contact_email = Varchar(length=254)
    contact_phone = Varchar(length=40, default="")
    website = Varchar(length=200, default="")
    message = Text(default="")
    locale = Varchar(length=10, default="zh_CN")
    status = Varchar(
        length=20, choices=ApplicationStatus, default=ApplicationStatus.PENDING, index=True
    )
    decline_reason = Text(default="")
    reviewed_by_id = BigInt(null=True, default=None)
    reviewed_at = Timestamptz(null=True, default=None)
    partner = ForeignKey(Partner, null=True, on_delete=OnDelete.set_null)
    ip = Varchar(length=64, default="")
    created_at = Timestamptz()
