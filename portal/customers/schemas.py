"""Forms, filters and the JSON API's input and output Structs for customers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

from portal.customers.constants import (
    Channel,
    CompanySize,
    CustomerKind,
    Direction,
    Duplicates,
    Outcome,
    Source,
)
from portal.lib.inputs import ONE_LINE, Id

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=ONE_LINE)]
Short = Annotated[str, msgspec.Meta(max_length=80)]
Phone = Annotated[str, msgspec.Meta(max_length=40)]
Email = Annotated[str, msgspec.Meta(max_length=200)]
Notes = Annotated[str, msgspec.Meta(max_length=10_000)]
Summary = Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]


class CustomerForm(msgspec.Struct, kw_only=True):
    """The customer form (create and edit); the first contact person is part of it."""

    kind: CustomerKind = CustomerKind.COMPANY
    name: Name
    industry: Short = ""
    size: CompanySize = CompanySize.UNKNOWN
    region: Short = ""
    city: Short = ""
    source: Source = Source.OTHER
    owner_id: Id | None = None
    tags: Annotated[str, msgspec.Meta(max_length=700)] = ""
    notes: Notes = ""
    contact_name: Annotated[str, msgspec.Meta(max_length=100)] = ""
    contact_title: Annotated[str, msgspec.Meta(max_length=100)] = ""
    contact_phone: Phone = ""
    contact_email: Email = ""
    contact_wechat: Annotated[str, msgspec.Meta(max_length=60)] = ""
    allow_duplicate: bool = False


class ContactForm(msgspec.Struct, kw_only=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    title: Annotated[str, msgspec.Meta(max_length=100)] = ""
    phone: Phone = ""
    email: Email = ""
    wechat: Annotated[str, msgspec.Meta(max_length=60)] = ""


class InteractionForm(msgspec.Struct, kw_only=True):
    """A contact to log; `occurred_at` is local "YYYY-MM-DDTHH:MM" (empty = now)."""

    channel: Channel
    direction: Direction = Direction.OUTBOUND
    occurred_at: Annotated[str, msgspec.Meta(max_length=30)] = ""
    summary: Summary
    outcome: Outcome = Outcome.NONE
    followup_on: dt.date | None = None
    assignee_id: Id | None = None


class QuickLogForm(InteractionForm, kw_only=True):
    customer_id: Id


class BulkTagForm(msgspec.Struct, kw_only=True):
    tag: Annotated[str, msgspec.Meta(min_length=1, max_length=30)]
    ids: list[Id] = []
    remove: bool = False


class VisibilityForm(msgspec.Struct, kw_only=True):
    members_see_all: bool = False


class DigestForm(msgspec.Struct, kw_only=True):
    daily_digest: bool = False


class ImportOptionsForm(msgspec.Struct, kw_only=True):
    on_duplicate: Duplicates = Duplicates.SKIP


class CustomerFilters(msgspec.Struct, kw_only=True):
    q: str = ""
    segment: str = ""
    tag: str = ""
    owner: str = ""  # "me", "none" or a user id
    source: str = ""
    followup: str = ""  # "overdue", "today", "week"
    sort: str = "recent"  # recent, name, last_contact, revenue, followup
    page: int = 1
    per_page: int = 50


# JSON API


class ContactIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=ONE_LINE)]
    title: Annotated[str, msgspec.Meta(max_length=100)] = ""
    phone: Phone = ""
    email: Email = ""
    wechat: Annotated[str, msgspec.Meta(max_length=60)] = ""


class CustomerIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """POST /api/v1/customers. A duplicate (phone, e-mail or name) answers 409 with the
    existing ids unless allow_duplicate is true."""

    name: Name
    kind: CustomerKind = CustomerKind.COMPANY
    industry: Short = ""
    size: CompanySize = CompanySize.UNKNOWN
    region: Short = ""
    city: Short = ""
    source: Source = Source.WEBSITE
    owner_id: Id | None = None
    tags: Annotated[
        list[Annotated[str, msgspec.Meta(max_length=30)]], msgspec.Meta(max_length=20)
    ] = []
    notes: Notes = ""
    contacts: Annotated[list[ContactIn], msgspec.Meta(max_length=20)] = []
    allow_duplicate: bool = False


class CustomerPatch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """PATCH /api/v1/customers/{id}: only the fields given change (contacts: see POST)."""

    name: Name | msgspec.UnsetType = msgspec.UNSET
    kind: CustomerKind | msgspec.UnsetType = msgspec.UNSET
    industry: Short | msgspec.UnsetType = msgspec.UNSET
    size: CompanySize | msgspec.UnsetType = msgspec.UNSET
    region: Short | msgspec.UnsetType = msgspec.UNSET
    city: Short | msgspec.UnsetType = msgspec.UNSET
    source: Source | msgspec.UnsetType = msgspec.UNSET
    owner_id: Id | msgspec.UnsetType | None = msgspec.UNSET
    tags: list[Annotated[str, msgspec.Meta(max_length=30)]] | msgspec.UnsetType = msgspec.UNSET
    notes: Notes | msgspec.UnsetType = msgspec.UNSET


class ContactOut(msgspec.Struct, kw_only=True):
    id: int
    name: str
    title: str
    phone: str
    email: str
    wechat: str


class CustomerOut(msgspec.Struct, kw_only=True):
    id: int
    name: str
    kind: str
    industry: str = ""
    size: str = ""
    region: str = ""
    city: str = ""
    source: str = ""
    owner_id: int | None = None
    owner_name: str = ""
    tags: list[str] = []
    notes: str = ""
    segment: str = ""
    rfm: str = ""
    last_contact_at: dt.datetime | None = None
    next_followup_on: dt.date | None = None
    interaction_count: int = 0
    order_count: int = 0
    revenue_amount: int = 0
    contacts: list[ContactOut] = []
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None


class SharedCustomerOut(msgspec.Struct, kw_only=True):
    """What vendor staff see of a customer the partner shared on an order: name and contact."""

    id: int
    name: str
    partner_name: str
    contact_name: str
    contact_phone: str
    contact_email: str
    shared: bool = True


class CustomerListOut(msgspec.Struct, kw_only=True):
    items: list[CustomerOut]
    page: int
    per_page: int
    total: int


class InteractionIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    channel: Channel
    summary: Summary
    direction: Direction = Direction.INBOUND
    # RFC 3339 (2026-11-18T10:00:00+08:00); a time without an offset is read as local time
    occurred_at: (
        Annotated[dt.datetime, msgspec.Meta(extra_json_schema={"format": "date-time"})] | None
    ) = None
    outcome: Outcome = Outcome.NONE
    followup_on: dt.date | None = None
    assignee_id: Id | None = None


class InteractionOut(msgspec.Struct, kw_only=True):
    id: int
    customer_id: int
    channel: str
    direction: str
    occurred_at: dt.datetime
    summary: str
    outcome: str
    user_name: str
    followup_on: dt.date | None = None
    assignee_id: int | None = None
    followup_done_at: dt.datetime | None = None


class InteractionListOut(msgspec.Struct, kw_only=True):
    items: list[InteractionOut]
    page: int
    per_page: int
    total: int


class DuplicateOut(msgspec.Struct, kw_only=True):
    id: int
    name: str
    reason: str
