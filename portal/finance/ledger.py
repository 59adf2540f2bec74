"""Postings and allocation: the only code that writes ledger_entry and payment_allocation.

Every function here runs inside the caller's write transaction. `lock_account` comes first: its
UPDATE of the partner's finance_profile row makes a second transaction for the same partner wait
on PostgreSQL (SQLite's IMMEDIATE transactions already run one at a time), so two payments, or a
payment and a new receivable, never allocate the same open amount twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.finance import queries
from portal.finance.constants import DEFAULT_TERMS, LedgerKind
from portal.finance.tables import (
    FinanceProfile,
    LedgerEntry,
    Payment,
    PaymentAllocation,
    Receivable,
)
from portal.lib.clock import now


async def ensure_profile(partner_id: int) -> None:
    """The partner's finance profile row (default terms, empty invoicing details) exists."""
    await FinanceProfile.insert(
        FinanceProfile(partner=partner_id, payment_terms=DEFAULT_TERMS, updated_at=now())
    ).on_conflict(action="DO NOTHING")


async def lock_account(partner_id: int) -> None:
    """Serialise money postings of one partner until the transaction ends (see module doc)."""
    await ensure_profile(partner_id)
    await FinanceProfile.update({FinanceProfile.postings: FinanceProfile.postings + 1}).where(
        FinanceProfile.partner == partner_id
    )


async def post(
    partner_id: int,
    kind: LedgerKind,
    amount: int,
    posted_on: dt.date,
    *,
    currency: str = "CNY",
    receivable_id: int | None = None,
    payment_id: int | None = None,
    memo: str = "",
    actor_id: int | None = None,
) -> None:
    """Append one ledger row (+ the partner owes more, - less)."""
    await LedgerEntry.insert(
        LedgerEntry(
            partner=partner_id,
            kind=kind,
            amount=int(amount),
            currency=currency,
            posted_on=posted_on,
            receivable=receivable_id,
            payment=payment_id,
            memo=memo[:300],
            actor_id=actor_id,
            at=now(),
        )
    )


async def settle(partner_id: int) -> list[dict[str, Any]]:
    """Apply the partner's unallocated payments (oldest payment first) to its open receivables
    (oldest due date first); what no receivable needs stays as balance on account. Returns the
    allocations made ({payment, receivable, amount}). Call after lock_account."""
    payments = await (
        Payment.select(Payment.id, Payment.amount, Payment.allocated_amount, Payment.paid_on)
        .where(
            (Payment.partner == partner_id)
            & (Payment.allocated_amount < Payment.amount)
            & (Payment.hand_allocated == False)  # noqa: E712 (the vendor chose where it goes)
        )
        .order_by(Payment.paid_on)
        .order_by(Payment.id)
    )
    if not payments:
        return []
    receivables = await (
        Receivable.select(Receivable.id, Receivable.amount, Receivable.paid_amount)
        .where((Receivable.partner == partner_id) & (Receivable.paid_amount < Receivable.amount))
        .order_by(Receivable.due_on)
        .order_by(Receivable.id)
    )
    made: list[dict[str, Any]] = []
    r_index = 0
    for payment in payments:
        left = int(payment["amount"]) - int(payment["allocated_amount"])
        while left > 0 and r_index < len(receivables):
            receivable = receivables[r_index]
            open_amount = int(receivable["amount"]) - int(receivable["paid_amount"])
            take = min(left, open_amount)
            made.append({"payment": payment["id"], "receivable": receivable["id"], "amount": take})
            left -= take
            receivable["paid_amount"] = int(receivable["paid_amount"]) + take
            if receivable["paid_amount"] == int(receivable["amount"]):
                r_index += 1
    await apply(made)
    return made


async def apply(made: list[dict[str, Any]]) -> None:
    """Write allocations ({payment, receivable, amount}) and bring the paid and allocated
    amounts of the rows they touch up to date, set-based: one insert per 1,000 allocations and
    one UPDATE per 1,000 receivables and payments (queries.refresh_paid), whatever their number."""
    if not made:
        return
    moment = now()
    rows = [
        PaymentAllocation(
            payment=m["payment"], receivable=m["receivable"], amount=m["amount"], at=moment
        )
        for m in made
    ]
    for start in range(0, len(rows), 1000):  # PostgreSQL takes at most 32,767 arguments
        await PaymentAllocation.insert(*rows[start : start + 1000])
    await queries.refresh_paid(
        sorted({int(m["receivable"]) for m in made}), sorted({int(m["payment"]) for m in made})
    )


async def allocate_to(payment_id: int, amount: int, receivables: list[dict[str, Any]]) -> int:
    """Apply up to `amount` of a payment to `receivables` (id, amount, paid_amount) in the order
    given (the vendor's choice); returns what was applied. The rest stays on account."""
    made: list[dict[str, Any]] = []
    left = amount
    for receivable in receivables:
        if left <= 0:
            break
        take = min(left, int(receivable["amount"]) - int(receivable["paid_amount"]))
        if take > 0:
            made.append({"payment": payment_id, "receivable": receivable["id"], "amount": take})
            left -= take
    await apply(made)
    return amount - left
