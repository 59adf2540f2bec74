"""Lead forms (console, partner) and the shapes of /api/v1/leads (msgspec Structs)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec
from msgspec import Meta

from portal.lib.inputs import Id

Short = Annotated[str, Meta(max_length=200)]
Text = Annotated[str, Meta(max_length=4000)]


class LeadForm(msgspec.Struct, kw_only=True):
    """The console's new-lead form."""

    company: Annotated[str, Meta(min_length=1, max_length=200)]
    contact_name: Annotated[str, Meta(min_length=1, max_length=120)]
    phone: Annotated[str, Meta(max_length=40)] = ""
    email: Annotated[str, Meta(max_length=254)] = ""
    province: Annotated[str, Meta(min_length=1, max_length=10)]
    city: Annotated[str, Meta(max_length=80)] = ""
    product_interest: Annotated[str, Meta(max_length=40)] = ""
    source: Annotated[str, Meta(max_length=20)] = "console"
    note: Text = ""


class DeclineForm(msgspec.Struct, kw_only=True):
    reason: Annotated[str, Meta(max_length=1000)] = ""


class RuleForm(msgspec.Struct, kw_only=True):
    """A routing rule as the console edits it."""

    name: Annotated[str, Meta(min_length=1, max_length=120)]
    position: Annotated[int, Meta(ge=0, le=10_000)] = 10
    provinces: Annotated[str, Meta(max_length=400)] = ""
    city: Annotated[str, Meta(max_length=80)] = ""
    category_id: Id | None = None
    partner_kind: Annotated[str, Meta(max_length=20)] = ""
    min_tier_id: Id | None = None
    same_province: bool = False
    is_active: bool = False


class CapacityForm(msgspec.Struct, kw_only=True):
    partner_id: Id
    capacity: Annotated[int, Meta(ge=0, le=10_000)]


# JSON API


class LeadIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A lead from the vendor's website form or a call centre (vendor API token)."""

    company: Annotated[str, Meta(min_length=1, max_length=200)]
    contact_name: Annotated[str, Meta(min_length=1, max_length=120)]
    phone: Annotated[str, Meta(max_length=40)] = ""
    province: Annotated[str, Meta(min_length=1, max_length=10)]
    email: Annotated[str, Meta(max_length=254)] = ""
    city: Annotated[str, Meta(max_length=80)] = ""
    product_interest: Annotated[str, Meta(max_length=40)] = ""  # a product category code
    source: Annotated[str, Meta(max_length=20)] = "api"
    note: Text = ""


class LeadDeclineIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    reason: Annotated[str, Meta(min_length=1, max_length=1000)]


class OfferOut(msgspec.Struct, kw_only=True):
    partner_code: str
    partner_name: str
    offered_at: dt.datetime
    due_at: dt.datetime
    ended_at: dt.datetime | None
    outcome: str  # "" (waiting), accepted, declined, timed_out
    reason: str


class LeadOut(msgspec.Struct, kw_only=True):
    id: int
    number: str
    status: str  # new, offered, accepted, declined, expired, converted
    company: str
    contact_name: str
    phone: str
    email: str
    province: str
    city: str
    product_interest: str | None
    source: str
    note: str
    partner_code: str | None
    offered_at: dt.datetime | None
    due_at: dt.datetime | None
    accepted_at: dt.datetime | None
    customer_id: int | None
    deal_id: int | None
    created_at: dt.datetime
    history: list[OfferOut] | None = None


class DeclinedOut(msgspec.Struct, kw_only=True):
    id: int
    number: str
    outcome: str  # "declined": the lead went on to the next eligible partner


class LeadListOut(msgspec.Struct, kw_only=True):
    items: list[LeadOut]
    total: int
    page: int
    per_page: int
