"""Receivables from shipments, and invoice numbers recorded against them.

Orders sit below finance and know nothing of it, so finance observes shipments itself:
`create_missing_receivables` finds, in one query, every shipment that has no receivable yet and
creates them in batches (job `create_receivables`, every minute). It is idempotent and safe to
run twice at once: receivable.shipment_id is unique and the insert skips what already exists,
and only the rows it really inserted get a ledger posting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.core.audit import record
from portal.db import write_transaction
from portal.finance import ledger, queries
from portal.finance.constants import DEFAULT_TERMS, MAX_INVOICE_NUMBER, LedgerKind, due_on
from portal.finance.tables import Receivable
from portal.lib import clock
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _

BATCH = 500


def _instant(value: Any) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value  # type: ignore[no-any-return]


# {order id: date}: receivables of these orders are dated so rather than by their shipment.
# Only the demo data sets it (around its own shipments, so that the receivable the shipment hook
# creates in a task copied from its context is dated too), to show receivables of past months.
ISSUED_ON: ContextVar[Mapping[int, dt.date] | None] = ContextVar("issued_on", default=None)


async def create_missing_receivables() -> int:
    """A receivable (and its ledger posting) for every shipment that has none; returns how many
    were created. Balance on account is applied to the new receivables at once."""
    created = 0
    while True:
        rows = await queries.missing_receivables(BATCH)
        if not rows:
            return created
        created += await _create_batch(rows, ISSUED_ON.get() or {})
        if len(rows) < BATCH:
            return created


def deducted(value: int, deduction: int, earlier: int) -> int:
    """The part of an order's rebate deduction a shipment of `value` carries when its earlier
    shipments were worth `earlier`: the deduction is used up by the shipments in their order."""
    return max(0, min(value, deduction - earlier))


async def _create_batch(rows: list[dict[str, Any]], issued_on_for: Mapping[int, dt.date]) -> int:
    moment = now()
    new: list[Receivable] = []
    for r in rows:
        issued = issued_on_for.get(int(r["order_id"])) or (
            _instant(r["shipped_at"]).astimezone(clock.zone()).date()
        )
        terms = r["payment_terms"] or DEFAULT_TERMS
        value = int(r["amount"] or 0)
        taken = deducted(value, int(r["deduction_amount"] or 0), int(r["earlier_amount"] or 0))
        new.append(
            Receivable(
                partner=int(r["partner_id"]),
                shipment_id=int(r["shipment_id"]),
                order_id=int(r["order_id"]),
                order_number=r["order_number"],
                amount=value - taken,
                deducted_amount=taken,
                paid_amount=0,
                currency=r["currency"] or "CNY",
                payment_terms=terms,
                issued_on=issued,
                due_on=due_on(issued, terms),
                created_at=moment,
            )
        )
    issued_on = {int(n.shipment_id): n.issued_on for n in new}
    async with write_transaction():
        inserted = await (
            Receivable.insert(*new)
            .on_conflict(action="DO NOTHING")
            .returning(
                Receivable.id,
                Receivable.partner,
                Receivable.amount,
                Receivable.currency,
                Receivable.shipment_id,
                Receivable.order_number,
            )
        )
        partners = sorted({int(r["partner"]) for r in inserted})
        for partner_id in partners:  # in id order: two batches never wait on each other
            await ledger.lock_account(partner_id)
        for r in inserted:
            await ledger.post(
                int(r["partner"]),
                LedgerKind.RECEIVABLE,
                int(r["amount"]),
                issued_on[int(r["shipment_id"])],
                currency=r["currency"],
                receivable_id=int(r["id"]),
                memo=r["order_number"],
            )
        for partner_id in partners:
            await ledger.settle(partner_id)
    return len(inserted)


async def record_invoice_number(
    actor: CurrentUser, receivable: dict[str, Any], invoice_number: str
) -> dict[str, Any]:
    """Vendor staff record the invoice number (发票号) issued for a receivable; a new number
    replaces a mistyped one, and both are kept in the audit log. FormError for a bad number."""
    number = (invoice_number or "").strip()
    errors = {}
    if not number:
        errors["invoice_number"] = _("Enter the invoice number.")
    elif len(number) > MAX_INVOICE_NUMBER:
        errors["invoice_number"] = _("At most %(n)s characters.", n=MAX_INVOICE_NUMBER)
    elif any(ch.isspace() for ch in number):
        errors["invoice_number"] = _("An invoice number has no spaces.")
    if errors:
        raise FormError(errors)
    if number == receivable["invoice_number"]:
        return receivable
    today = clock.today()
    async with write_transaction():
        await Receivable.update(
            {Receivable.invoice_number: number, Receivable.invoiced_on: today}
        ).where(Receivable.id == receivable["id"])
        await record(
            "finance.invoice_recorded",
            actor=actor,
            partner_id=receivable["partner"],
            target_type="receivable",
            target_id=receivable["id"],
            before={"invoice_number": receivable["invoice_number"]},
            after={"invoice_number": number},
        )
    return {**receivable, "invoice_number": number, "invoiced_on": today}
