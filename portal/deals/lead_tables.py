"""Leads (线索) the vendor hands to partners, each offer to a partner with its outcome (who had
it from when to when, accepted / declined with a reason / timed out), the routing rules and each
partner's capacity.

A lead's `partner` is the partner it is offered to or that accepted it (the tenant wall,
`access.lead_scope`, filters on it); before routing and after every eligible partner passed
it is empty and the lead is the vendor's alone. Its number (LD-<year>-<id>) is derived from the
row id and created_at (access.lead_number), never stored, so 10,000 imported leads are
written in a few statements. Statuses, outcomes: lead_constants.py.
"""

from piccolo.columns import (
    BigInt,
    Boolean,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from portal.deals.lead_constants import LeadSource, LeadStatus, Outcome
from portal.orders.tables import Category
from portal.partners.tables import Partner, Tier


class Lead(Table, tablename="lead"):
    """One prospective end customer the vendor passes on to a partner."""

    id: Serial  # created by Piccolo; declared for type checkers

    company = Varchar(length=200)
    contact_name = Varchar(length=120)
    phone = Varchar(length=40, default="")
    email = Varchar(length=254, default="")
    province = Varchar(length=10, index=True)
    city = Varchar(length=80, default="")
    category = ForeignKey(Category, null=True, on_delete=OnDelete.set_null, index=True)
    source = Varchar(length=20, choices=LeadSource, default=LeadSource.CONSOLE)
    note = Text(default="")
    status = Varchar(length=20, choices=LeadStatus, default=LeadStatus.NEW, index=True)
    partner = ForeignKey(Partner, null=True, on_delete=OnDelete.set_null, index=True)
    offered_at = Timestamptz(null=True, default=None)
    due_at = Timestamptz(null=True, default=None, index=True)  # the offer times out then
    accepted_at = Timestamptz(null=True, default=None)
    accepted_by_id = BigInt(null=True, default=None)
    customer_id = BigInt(null=True, default=None)  # the partner's customer it became
    deal_id = BigInt(null=True, default=None)  # the deal registered for it
    created_by_id = BigInt(null=True, default=None)
    # "campaign:<id>:<digest of the response>" for a lead from a campaign response: a unique
    # index (in the migration) lets the same response sent twice make one lead
    origin_key = Varchar(length=100, null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class LeadOffer(Table, tablename="lead_offer"):
    """One partner's turn with a lead: offered when, answered (or timed out) when, and how."""

    id: Serial

    lead = ForeignKey(Lead, on_delete=OnDelete.cascade, index=True)
    partner = ForeignKey(Partner, on_delete=OnDelete.cascade, index=True)
    rule_id = BigInt(null=True, default=None)  # the routing rule that chose the partner
    offered_at = Timestamptz()
    due_at = Timestamptz()
    ended_at = Timestamptz(null=True, default=None)
    outcome = Varchar(length=20, choices=Outcome, default=Outcome.OPEN, index=True)
    reason = Text(default="")  # the partner's decline reason
    actor_id = BigInt(null=True, default=None)  # who answered ("" = the time-out job)
    actor_name = Varchar(length=200, default="")
    notified_at = Timestamptz(null=True, default=None, index=True)


class LeadRule(Table, tablename="lead_rule"):
    """A routing rule, applied in `position` order: which leads it takes (province, city,
    product line; empty = any) and which partners may get them (kind, lowest tier, the lead's
    province only)."""

    id: Serial

    position = Integer(default=0)
    name = Varchar(length=120)
    provinces = Varchar(length=400, default="")  # province codes, comma-separated; "" = any
    city = Varchar(length=80, default="")  # "" = any city
    category = ForeignKey(Category, null=True, on_delete=OnDelete.set_null)  # None = any
    partner_kind = Varchar(length=20, default="")  # "" = any kind
    min_tier = ForeignKey(Tier, null=True, on_delete=OnDelete.set_null)  # this tier or above
    same_province = Boolean(default=True)  # only partners based in the lead's province
    is_active = Boolean(default=True)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class LeadCapacity(Table, tablename="lead_capacity"):
    """How many open leads (offered or accepted, not yet a deal) a partner holds at once."""

    id: Serial

    partner = ForeignKey(Partner, on_delete=OnDelete.cascade, unique=True)
    capacity = Integer()
    updated_at = Timestamptz()
