"""What the money pages, the API and the home cards read: a partner's account summary and
credit exposure, receivables, payments, the ledger, and the vendor's ageing per partner."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import msgspec
from piccolo.query.functions.aggregate import Sum

from portal.auth.schemas import CurrentUser
from portal.finance import queries
from portal.finance.constants import (
    AGEING_BUCKETS,
    DEFAULT_TERMS,
    ReceivableState,
    bucket_of,
)
from portal.finance.tables import FinanceProfile, LedgerEntry, Payment, Receivable
from portal.lib import clock
from portal.partners.tables import Partner
from portal.tenancy import partner_ids_sql, partner_scope, vendor_partner_ids


def state_of(row: dict[str, Any], today: dt.date) -> ReceivableState:
    """Paid, overdue (due date passed, something left) or open."""
    if int(row["paid_amount"]) >= int(row["amount"]):
        return ReceivableState.PAID
    return ReceivableState.OVERDUE if row["due_on"] < today else ReceivableState.OPEN


def decorate(row: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """A receivable row with open_amount, state, days_overdue and age_days added."""
    state = state_of(row, today)
    row["open_amount"] = int(row["amount"]) - int(row["paid_amount"])
    row["state"] = state.value
    row["days_overdue"] = (today - row["due_on"]).days if state == ReceivableState.OVERDUE else 0
    row["age_days"] = max((today - row["issued_on"]).days, 0)
    return row


async def payment_terms(partner_id: int) -> str:
    row = await (
        FinanceProfile.select(FinanceProfile.payment_terms)
        .where(FinanceProfile.partner == partner_id)
        .first()
    )
    return str(row["payment_terms"]) if row else DEFAULT_TERMS.value


class AccountSummary(msgspec.Struct, frozen=True, kw_only=True):
    """A partner's account as the money page, the home card, the API and the console's 360°
    page read it (amounts in minor units)."""

    currency: str
    owed_amount: int
    overdue_amount: int
    overdue_count: int
    open_count: int
    next_due_on: dt.date | None
    on_account_amount: int
    credit_limit_amount: int
    open_orders_amount: int
    unbilled_amount: int
    exposure_amount: int
    available_credit_amount: int
    payment_terms: str


async def account_summary(partner_id: int) -> AccountSummary:
    """What the partner owes, what is overdue, its balance on account and its credit:
    exposure = open orders (unshipped) + shipped not yet billed + unpaid receivables - balance
    on account; available = credit limit - exposure (never shown below zero)."""
    today = clock.today()
    open_rows = await Receivable.select(
        Receivable.amount, Receivable.paid_amount, Receivable.due_on
    ).where((Receivable.partner == partner_id) & (Receivable.paid_amount < Receivable.amount))
    owed = sum(int(r["amount"]) - int(r["paid_amount"]) for r in open_rows)
    overdue = sum(
        int(r["amount"]) - int(r["paid_amount"]) for r in open_rows if r["due_on"] < today
    )
    next_due = min((r["due_on"] for r in open_rows if r["due_on"] >= today), default=None)
    payments = await Payment.select(Payment.amount, Payment.allocated_amount).where(
        (Payment.partner == partner_id) & (Payment.allocated_amount < Payment.amount)
    )
    on_account = sum(int(p["amount"]) - int(p["allocated_amount"]) for p in payments)
    partner = await (
        Partner.select(Partner.credit_limit_amount, Partner.currency)
        .where(Partner.id == partner_id)
        .first()
    )
    limit = int(partner["credit_limit_amount"]) if partner else 0
    unshipped = await queries.unshipped_amount(partner_id)
    unbilled = await queries.unbilled_amount(partner_id)
    exposure = unshipped + unbilled + owed - on_account
    return AccountSummary(
        currency=partner["currency"] if partner else "CNY",
        owed_amount=owed,
        overdue_amount=overdue,
        overdue_count=sum(1 for r in open_rows if r["due_on"] < today),
        open_count=len(open_rows),
        next_due_on=next_due,
        on_account_amount=on_account,
        credit_limit_amount=limit,
        open_orders_amount=unshipped,
        unbilled_amount=unbilled,
        exposure_amount=exposure,
        available_credit_amount=max(limit - exposure, 0),
        payment_terms=await payment_terms(partner_id),
    )


@dataclass(frozen=True)
class ReceivableFilters:
    state: str = ""  # "" = unpaid (open and overdue), "open", "overdue", "paid", "all"
    partner_id: int | None = None
    page: int = 1
    per_page: int = 50


async def list_receivables(
    user: CurrentUser, filters: ReceivableFilters
) -> tuple[list[dict[str, Any]], int]:
    """Receivables in the user's scope, oldest due date first, and their total count."""
    today = clock.today()
    where = [partner_scope(user, Receivable.partner)]
    if filters.partner_id is not None:
        where.append(Receivable.partner == filters.partner_id)
    unpaid = Receivable.paid_amount < Receivable.amount
    if filters.state in ("", "open", "overdue"):
        where.append(unpaid)
    if filters.state == "open":
        where.append(Receivable.due_on >= today)
    elif filters.state == "overdue":
        where.append(Receivable.due_on < today)
    elif filters.state == "paid":
        where.append(Receivable.paid_amount >= Receivable.amount)
    query = (
        Receivable.select(
            *Receivable.all_columns(),
            Receivable.partner.code.as_alias("partner_code"),
            Receivable.partner.name.as_alias("partner_name"),
        )
        .where(*where)
        .order_by(Receivable.due_on, ascending=filters.state != "paid")
        .order_by(Receivable.id, ascending=filters.state != "paid")
        .limit(filters.per_page)
        .offset((filters.page - 1) * filters.per_page)
    )
    rows = await query
    total = await Receivable.count().where(*where)
    return [decorate(r, today) for r in rows], total


async def list_payments(
    user: CurrentUser, partner_id: int, limit: int = 50
) -> list[dict[str, Any]]:
    """A partner's payments, newest first, with the unallocated part (balance on account)."""
    rows = await (
        Payment.select(*Payment.all_columns(), Payment.partner.code.as_alias("partner_code"))
        .where((Payment.partner == partner_id) & partner_scope(user, Payment.partner))
        .order_by(Payment.paid_on, ascending=False)
        .order_by(Payment.id, ascending=False)
        .limit(limit)
    )
    for r in rows:
        r["unallocated_amount"] = int(r["amount"]) - int(r["allocated_amount"])
    return rows  # type: ignore[no-any-return]


async def list_ledger(user: CurrentUser, partner_id: int, limit: int = 100) -> list[dict[str, Any]]:
    """The partner's latest ledger rows, newest posting date first, each with the running balance
    after it (in posting-date order, as the statements add up)."""
    where = (LedgerEntry.partner == partner_id) & partner_scope(user, LedgerEntry.partner)
    rows = await (
        LedgerEntry.select(
            *LedgerEntry.all_columns(),
            LedgerEntry.receivable.order_number.as_alias("order_number"),
            LedgerEntry.receivable.invoice_number.as_alias("invoice_number"),
            LedgerEntry.payment.bank_reference.as_alias("bank_reference"),
        )
        .where(where)
        .order_by(LedgerEntry.posted_on, ascending=False)
        .order_by(LedgerEntry.id, ascending=False)
        .limit(limit)
    )
    total = await LedgerEntry.select(Sum(LedgerEntry.amount).as_alias("a")).where(where).first()
    balance = int((total or {}).get("a") or 0)
    for r in rows:
        r["balance_after"] = balance
        balance -= int(r["amount"])
    return rows  # type: ignore[no-any-return]


async def ageing(user: CurrentUser) -> dict[str, Any]:
    """Unpaid receivables per partner in the user's scope by age since issue (0–30, 31–60,
    61–90, 90+ days), with the overdue part, biggest total first, and the column totals."""
    today = clock.today()
    ids = await vendor_partner_ids(user)
    condition, args = partner_ids_sql(ids, "r.partner")
    rows = await queries.unpaid_receivables(condition, args)
    keys = [b[0] for b in AGEING_BUCKETS]
    partners: dict[int, dict[str, Any]] = {}
    totals: dict[str, int] = dict.fromkeys([*keys, "total", "overdue"], 0)
    for r in rows:
        issued, due = _date(r["issued_on"]), _date(r["due_on"])
        left = int(r["amount"]) - int(r["paid_amount"])
        entry = partners.setdefault(
            int(r["partner_id"]),
            {"partner_id": int(r["partner_id"]), "code": r["code"], "name": r["name"]}
            | dict.fromkeys([*keys, "total", "overdue"], 0),
        )
        key = bucket_of((today - issued).days)
        for target in (entry, totals):
            target[key] += left
            target["total"] += left
            if due < today:
                target["overdue"] += left
    ordered = sorted(partners.values(), key=lambda e: (-e["total"], e["code"]))
    return {"partners": ordered, "totals": totals, "buckets": AGEING_BUCKETS}


def _date(value: Any) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value  # type: ignore[no-any-return]
