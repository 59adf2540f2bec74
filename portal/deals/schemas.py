"""Input forms, filters and API shapes for deals (msgspec Structs)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated

import msgspec
from msgspec import Meta

from portal.deals.constants import Stage
from portal.lib.inputs import ONE_LINE, Id

Name = Annotated[str, Meta(max_length=200, pattern=ONE_LINE)]
Text = Annotated[str, Meta(max_length=4000)]


@dataclass
class DealData:
    """A deal as the services take it, from the form or the API (already typed)."""

    name: str
    customer_id: Id | None = None
    customer_name: str = ""  # a new customer, created on the spot, when no customer_id
    credit_code: str = ""
    customer_phone: str = ""
    customer_email: str = ""
    lines: list[tuple[str, int]] = field(default_factory=list)  # (sku, quantity)
    estimated_amount: int = 0  # minor units
    expected_close_on: dt.date | None = None
    competitors: str = ""
    stage: Stage = Stage.QUALIFIED
    note: str = ""


class DealForm(msgspec.Struct, kw_only=True):
    """The partner's registration form; `lines` are "SKU quantity" lines, amount as text."""

    name: Name
    customer_id: Id | None = None
    customer_name: Name = ""
    credit_code: Annotated[str, Meta(max_length=40)] = ""
    customer_phone: Annotated[str, Meta(max_length=40)] = ""
    customer_email: Annotated[str, Meta(max_length=200)] = ""
    lines: Text = ""
    estimated_amount: Annotated[str, Meta(max_length=30)] = ""
    expected_close_on: dt.date | None = None
    competitors: Annotated[str, Meta(max_length=300)] = ""
    stage: Stage = Stage.QUALIFIED
    note: Text = ""


class ApproveForm(msgspec.Struct, kw_only=True):
    days: Annotated[int, Meta(ge=1, le=365)] = 90
    note: Text = ""


class ReasonForm(msgspec.Struct, kw_only=True):
    reason: Annotated[str, Meta(min_length=1, max_length=2000)]


class NoteForm(msgspec.Struct, kw_only=True):
    reason: Annotated[str, Meta(max_length=2000)] = ""


class ExtendForm(msgspec.Struct, kw_only=True):
    days: Annotated[int, Meta(ge=1, le=365)] = 30


class StageForm(msgspec.Struct, kw_only=True):
    stage: Stage


class WinForm(msgspec.Struct, kw_only=True):
    order_ids: Annotated[str, Meta(max_length=500)] = ""  # "12, 15"


class DealFilters(msgspec.Struct, kw_only=True):
    status: str = ""  # "" = every status, "open", or one status
    stage: str = ""
    q: str = ""
    partner_id: Id | None = None
    expiring: bool = False  # protected and ending within 14 days
    page: int = 1
    per_page: int = 50


# JSON API


class LineIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    sku: Annotated[str, Meta(min_length=1, max_length=40)]
    quantity: Annotated[int, Meta(ge=1, le=10_000_000)]


class DealIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Annotated[str, Meta(min_length=1, max_length=200)]
    customer_id: Id | None = None
    customer_name: Name = ""
    credit_code: Annotated[str, Meta(max_length=40)] = ""
    customer_phone: Annotated[str, Meta(max_length=40)] = ""
    customer_email: Annotated[str, Meta(max_length=200)] = ""
    lines: list[LineIn] = []
    estimated_amount: Annotated[int, Meta(ge=0, le=10**15)] = 0
    expected_close_on: dt.date | None = None
    competitors: Annotated[str, Meta(max_length=300)] = ""
    stage: Stage = Stage.QUALIFIED
    note: Text = ""
    submit: bool = False  # submit for review at once


class DealPatch(msgspec.Struct, kw_only=True, omit_defaults=True, forbid_unknown_fields=True):
    name: Annotated[str, Meta(min_length=1, max_length=200)] | None = None
    credit_code: Annotated[str, Meta(max_length=40)] | None = None
    customer_phone: Annotated[str, Meta(max_length=40)] | None = None
    customer_email: Annotated[str, Meta(max_length=200)] | None = None
    lines: list[LineIn] | None = None
    estimated_amount: Annotated[int, Meta(ge=0, le=10**15)] | None = None
    expected_close_on: dt.date | None = None
    competitors: Annotated[str, Meta(max_length=300)] | None = None
    stage: Stage | None = None
    note: Text | None = None


class ApproveIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    days: Annotated[int, Meta(ge=1, le=365)] | None = None
    note: Text = ""


class ReasonIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    reason: Annotated[str, Meta(min_length=1, max_length=2000)]


class ExtendIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    reason: Annotated[str, Meta(max_length=2000)] = ""  # the partner's request
    days: Annotated[int, Meta(ge=1, le=365)] | None = None  # vendor staff granting it


class WinIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    order_ids: list[Id] = []


class LineOut(msgspec.Struct, kw_only=True):
    sku: str
    quantity: int


class EventOut(msgspec.Struct, kw_only=True):
    kind: str
    at: dt.datetime
    actor: str
    from_status: str
    to_status: str
    detail: str


class AttachmentOut(msgspec.Struct, kw_only=True):
    name: str
    size: int  # bytes
    url: str  # the download, for a signed-in partner seller or vendor staff member


class DealOut(msgspec.Struct, kw_only=True):
    id: int
    number: str
    status: str
    stage: str
    name: str
    customer_id: int | None
    customer_name: str
    partner_code: str
    estimated_amount: int
    currency: str
    expected_close_on: dt.date | None
    conflict: bool
    conflict_message: str | None
    protection_from: dt.date | None
    protection_until: dt.date | None
    extension_requested: bool
    decline_reason: str
    info_request: str
    lost_reason: str
    lines: list[LineOut]
    order_ids: list[int]
    created_at: dt.datetime
    updated_at: dt.datetime
    events: list[EventOut] | None = None  # the deal's detail only
    attachments: list[AttachmentOut] | None = None  # the deal's detail only


class DealListOut(msgspec.Struct, kw_only=True):
    items: list[DealOut]
    total: int
    page: int
    per_page: int
