"""Deal registrations (商机报备), their product lines, their timeline and the orders that won them.

Every deal carries its partner: the tenant wall (`access.deal_scope`) filters on it. The match
keys (customer_key, credit_code, phone_key, email_domain) are written by the services from
`matching.py`, indexed, so the conflict check is a few index look-ups however many deals exist.
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

from portal.auth.tables import User
from portal.customers.tables import Customer
from portal.deals.constants import DealStatus, EventKind, Stage
from portal.orders.tables import Order, Product
from portal.partners.tables import Partner, Tier


class Deal(Table, tablename="deal"):
    """One registered opportunity of one partner for one end customer."""

    id: Serial  # created by Piccolo; declared for type checkers

    number = Varchar(length=20, unique=True)  # DR-<year>-<id>, from the row id
    partner = ForeignKey(Partner, on_delete=OnDelete.cascade, index=True)
    customer = ForeignKey(Customer, null=True, on_delete=OnDelete.set_null, index=True)
    owner = ForeignKey(User, null=True, on_delete=OnDelete.set_null, index=True)
    name = Varchar(length=200)  # the project
    customer_name = Varchar(length=200)  # as registered (the customer may be renamed later)
    customer_key = Varchar(length=200, default="", index=True)
    credit_code = Varchar(length=18, default="", index=True)  # unified social credit code
    customer_phone = Varchar(length=40, default="")
    phone_key = Varchar(length=40, default="", index=True)
    customer_email = Varchar(length=200, default="")
    email_domain = Varchar(length=120, default="", index=True)
    status = Varchar(length=20, choices=DealStatus, default=DealStatus.DRAFT, index=True)
    stage = Varchar(length=20, choices=Stage, default=Stage.QUALIFIED)
    estimated_amount = BigInt(default=0)  # minor units
    currency = Varchar(length=3, default="CNY")
    expected_close_on = Date(null=True, default=None)
    competitors = Varchar(length=300, default="")
    note = Text(default="")
    conflict = Boolean(default=False)  # another partner held the customer at submission
    submitted_at = Timestamptz(null=True, default=None)
    decided_at = Timestamptz(null=True, default=None)
    decided_by_id = BigInt(null=True, default=None)
    decline_reason = Text(default="")
    info_request = Text(default="")
    protection_from = Date(null=True, default=None)
    protection_until = Date(null=True, default=None, index=True)  # last protected day
    extension_reason = Text(default="")
    extension_requested_at = Timestamptz(null=True, default=None)
    extended_at = Timestamptz(null=True, default=None)
    reminded_14_at = Timestamptz(null=True, default=None)
    reminded_3_at = Timestamptz(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)
    lost_reason = Text(default="")
    created_at = Timestamptz()
    updated_at = Timestamptz()


class DealLine(Table, tablename="deal_line"):
    """A product and quantity of a deal (the overlap test of the conflict check)."""

    id: Serial

    deal = ForeignKey(Deal, on_delete=OnDelete.cascade, index=True)
    product = ForeignKey(Product, on_delete=OnDelete.restrict, index=True)
    sku = Varchar(length=40)
    quantity = Integer()
    special_price_amount = BigInt(null=True, default=None)  # minor units per unit, if granted


class DealEvent(Table, tablename="deal_event"):
    """One step of a deal, with who and when: the timeline both sides see."""

    id: Serial

    deal = ForeignKey(Deal, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=30, choices=EventKind)
    from_status = Varchar(length=20, default="")
    to_status = Varchar(length=20, default="")
    actor_id = BigInt(null=True, default=None)
    actor_name = Varchar(length=200, default="")  # "" = the portal itself (a job)
    actor_is_vendor = Boolean(default=False)
    detail = Text(default="")
    at = Timestamptz()
    notified_at = Timestamptz(null=True, default=None, index=True)


class DealOrder(Table, tablename="deal_order"):
    """An order that won a deal (a deal may be won by several orders)."""

    id: Serial

    deal = ForeignKey(Deal, on_delete=OnDelete.cascade, index=True)
    order = ForeignKey(Order, on_delete=OnDelete.cascade, index=True)


class DealAttachment(Table, tablename="deal_attachment"):
    """A file the partner attached to a deal (a quote, a tender, a drawing); the bytes are kept
    by portal.lib.storage under `key`, reached only through the deal's tenant door."""

    id: Serial

    deal = ForeignKey(Deal, on_delete=OnDelete.cascade, index=True)
    key = Varchar(length=300)
    filename = Varchar(length=255)
    content_type = Varchar(length=100)
    size = BigInt()
    sha256 = Varchar(length=64)
    uploaded_by_id = BigInt(null=True, default=None)
    uploaded_by_name = Varchar(length=200, default="")
    created_at = Timestamptz()


class TierProtection(Table, tablename="deal_tier_protection"):
    """The protection period an approval grants to partners of one tier (no row: the default)."""

    id: Serial

    tier = ForeignKey(Tier, on_delete=OnDelete.cascade, unique=True)
    days = Integer(default=90)
    updated_by_id = BigInt(null=True, default=None)
    updated_at = Timestamptz()
