"""Forms and the JSON API's shapes for receivables and payments (msgspec Structs)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec
from msgspec import Meta

from portal.finance.constants import MAX_BANK_REFERENCE, MAX_INVOICE_NUMBER


class PaymentForm(msgspec.Struct, kw_only=True):
    """The console's "record a payment" form (amount as typed: "12,345.60")."""

    amount: Annotated[str, Meta(max_length=30)] = ""
    paid_on: dt.date | None = None
    method: str = "bank_transfer"
    bank_reference: Annotated[str, Meta(max_length=MAX_BANK_REFERENCE)] = ""
    note: Annotated[str, Meta(max_length=300)] = ""


class InvoiceNumberForm(msgspec.Struct, kw_only=True):
    invoice_number: Annotated[str, Meta(max_length=MAX_INVOICE_NUMBER)] = ""


class TermsForm(msgspec.Struct, kw_only=True):
    payment_terms: str = ""


class PaymentIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """POST /api/v1/payments: amount in minor units (fen)."""

    partner_code: Annotated[str, Meta(min_length=1, max_length=20)]
    amount: Annotated[int, Meta(gt=0)]
    paid_on: dt.date
    bank_reference: Annotated[str, Meta(min_length=1, max_length=MAX_BANK_REFERENCE)]
    method: str = "bank_transfer"
    note: Annotated[str, Meta(max_length=300)] = ""


class InvoiceIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """POST /api/v1/receivables/{id}/invoice."""

    invoice_number: Annotated[str, Meta(min_length=1, max_length=MAX_INVOICE_NUMBER)]


class AllocationOut(msgspec.Struct, kw_only=True):
    receivable_id: int
    order_number: str
    amount: int


class PaymentOut(msgspec.Struct, kw_only=True):
    id: int
    partner_code: str
    amount: int
    currency: str
    paid_on: dt.date
    method: str
    bank_reference: str | None
    allocated_amount: int
    unallocated_amount: int  # balance on account
    allocations: list[AllocationOut]
    created: bool  # False: this bank reference was recorded before (the same payment)


class ReceivableOut(msgspec.Struct, kw_only=True):
    id: int
    partner_code: str
    order_id: int
    order_number: str
    shipment_id: int
    amount: int
    paid_amount: int
    open_amount: int
    currency: str
    issued_on: dt.date
    due_on: dt.date
    paid_on: dt.date | None
    payment_terms: str
    state: str  # open, overdue, paid
    days_overdue: int
    invoice_number: str
    invoiced_on: dt.date | None


class AccountOut(msgspec.Struct, kw_only=True):
    owed_amount: int
    overdue_amount: int
    on_account_amount: int
    credit_limit_amount: int
    exposure_amount: int
    available_credit_amount: int


class ReceivableListOut(msgspec.Struct, kw_only=True):
    items: list[ReceivableOut]
    total: int
    page: int
    per_page: int
    account: AccountOut | None = None  # a partner's own summary (partner users only)
