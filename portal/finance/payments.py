"""Payments recorded by vendor staff (console form, JSON API), idempotent by bank reference.

`record_payment` inserts the payment with ON CONFLICT DO NOTHING on the unique bank reference:
of 64 requests carrying the same reference at once, one inserts and every other finds that row
and answers it (or a conflict when it describes a different payment). The payment's ledger
posting and its allocation to the oldest open receivables (or, by hand, to the receivables the
vendor chose, the rest staying on account) happen in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.core.audit import record
from portal.finance import ledger
from portal.finance.constants import MAX_BANK_REFERENCE, LedgerKind, PaymentMethod
from portal.finance.tables import Payment, PaymentAllocation, Receivable
from portal.lib import clock
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.lib.money import MAX_AMOUNT_MINOR
from portal.orders.placement import in_transaction


class PaymentConflict(FormError):
    """The bank reference is already recorded for a payment that differs from this one."""

    def __init__(self, message: str) -> None:
        super().__init__({"bank_reference": message})
        self.message = message


@dataclass(frozen=True)
class PaymentInput:
    """A payment as staff enter it (amount in minor units)."""

    amount: int
    paid_on: dt.date
    bank_reference: str = ""
    method: str = PaymentMethod.BANK_TRANSFER
    note: str = ""
    # allocated by hand to these receivables, in this order (empty: the oldest open first)
    receivable_ids: tuple[int, ...] = ()


def check(data: PaymentInput) -> dict[str, str]:
    """Every field's error at once (empty: the payment may be recorded)."""
    errors: dict[str, str] = {}
    if not isinstance(data.amount, int) or isinstance(data.amount, bool) or data.amount <= 0:
        errors["amount"] = _("Enter an amount greater than zero.")
    elif data.amount > MAX_AMOUNT_MINOR:
        errors["amount"] = _("The amount is too large.")
    today = clock.today()
    if data.paid_on > today:
        errors["paid_on"] = _("A payment cannot be dated in the future.")
    elif data.paid_on < today - dt.timedelta(days=3650):
        errors["paid_on"] = _("Enter a date within the last ten years.")
    reference = data.bank_reference.strip()
    if len(reference) > MAX_BANK_REFERENCE:
        errors["bank_reference"] = _("At most %(n)s characters.", n=MAX_BANK_REFERENCE)
    elif any(ch in reference for ch in "\r\n\t"):
        errors["bank_reference"] = _("Enter a single line.")
    if data.method not in {m.value for m in PaymentMethod}:
        errors["method"] = _("Choose a payment method.")
    if len(data.note) > 300:
        errors["note"] = _("At most %(n)s characters.", n=300)
    return errors


def _same(existing: dict[str, Any], partner_id: int, data: PaymentInput) -> bool:
    return (
        int(existing["partner"]) == partner_id
        and int(existing["amount"]) == data.amount
        and existing["paid_on"] == data.paid_on
    )


async def record_payment(
    actor: CurrentUser, partner: dict[str, Any], data: PaymentInput
) -> tuple[int, bool]:
    """Record a payment from `partner` (already checked through the access door) and allocate
    it; returns (payment id, created). The same bank reference again answers the first payment
    (created False); with a different partner, amount or date it raises PaymentConflict.
    FormError for bad input."""
    if not actor.is_vendor:
        raise FormError({"": _("Only vendor staff record payments.")})
    errors = check(data)
    if errors:
        raise FormError(errors)
    partner_id = int(partner["id"])
    reference = data.bank_reference.strip() or None

    async def work() -> tuple[int, bool]:
        await ledger.lock_account(partner_id)
        rows = await (
            Payment.insert(
                Payment(
                    partner=partner_id,
                    amount=data.amount,
                    allocated_amount=0,
                    currency=partner.get("currency") or "CNY",
                    paid_on=data.paid_on,
                    method=data.method,
                    bank_reference=reference,
                    note=data.note.strip(),
                    hand_allocated=bool(data.receivable_ids),
                    recorded_by_id=actor.id,
                    recorded_by_name=actor.name,
                    created_at=now(),
                )
            )
            .on_conflict(action="DO NOTHING")
            .returning(Payment.id)
        )
        if not rows:
            existing = await (
                Payment.select(Payment.id, Payment.partner, Payment.amount, Payment.paid_on)
                .where(Payment.bank_reference == reference)
                .first()
            )
            if existing is None:  # pragma: no cover - the conflicting row is committed by now
                raise PaymentConflict(_("Try again."))
            if not _same(existing, partner_id, data):
                raise PaymentConflict(
                    _("This bank reference is already recorded for a different payment.")
                )
            return int(existing["id"]), False
        payment_id = int(rows[0]["id"])
        await ledger.post(
            partner_id,
            LedgerKind.PAYMENT,
            -data.amount,
            data.paid_on,
            currency=partner.get("currency") or "CNY",
            payment_id=payment_id,
            memo=reference or "",
            actor_id=actor.id,
        )
        if data.receivable_ids:
            chosen = await _chosen(partner_id, data.receivable_ids)
            allocated = await ledger.allocate_to(payment_id, data.amount, chosen)
        else:
            allocated = sum(m["amount"] for m in await ledger.settle(partner_id))
        await record(
            "finance.payment_recorded",
            actor=actor,
            partner_id=partner_id,
            target_type="payment",
            target_id=payment_id,
            after={
                "amount": data.amount,
                "paid_on": data.paid_on,
                "bank_reference": reference or "",
                "method": data.method,
                "allocated": allocated,
                "receivables": list(data.receivable_ids),
            },
        )
        return payment_id, True

    return await in_transaction(work)


async def _chosen(partner_id: int, ids: tuple[int, ...]) -> list[dict[str, Any]]:
    """The partner's open receivables among `ids`, in the order chosen; FormError when one is
    not the partner's or is paid already (nothing is written: the transaction rolls back)."""
    rows = await Receivable.select(Receivable.id, Receivable.amount, Receivable.paid_amount).where(
        (Receivable.partner == partner_id)
        & Receivable.id.is_in(list(ids))
        & (Receivable.paid_amount < Receivable.amount)
    )
    by_id = {int(r["id"]): r for r in rows}
    if len(by_id) != len(set(ids)):
        raise FormError({"receivable_ids": _("Choose open receivables of this partner.")})
    return [by_id[i] for i in dict.fromkeys(ids)]


async def allocations_of(payment_id: int) -> list[dict[str, Any]]:
    """The receivables a payment paid, oldest first."""
    return await (  # type: ignore[no-any-return]
        PaymentAllocation.select(
            PaymentAllocation.receivable,
            PaymentAllocation.amount,
            PaymentAllocation.receivable.order_number.as_alias("order_number"),
            PaymentAllocation.receivable.invoice_number.as_alias("invoice_number"),
        )
        .where(PaymentAllocation.payment == payment_id)
        .order_by(PaymentAllocation.id)
    )
