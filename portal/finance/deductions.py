"""Rebate credit as a deduction on the partner's next order (返利抵扣).

A settled rebate is a credit note on the account (a payment of method "rebate"); whatever of it
no receivable has used yet may be deducted from an order the partner places, which then shows
the deduction as its own line with the reason. Orders sit below finance, so place_order asks
through `hooks.order_deduction` inside its own transaction (`take`), the cart through
`hooks.order_credit_offer` (`offer`), and rejecting or cancelling the order gives back the part
its shipments did not carry through `hooks.order_deduction_return` (`give_back`).

Taking credit starts with `ledger.lock_account` (two orders of one partner wait for each other on
PostgreSQL; SQLite's IMMEDIATE transactions run one at a time), and each credit note's share is
taken with one conditional UPDATE (`allocated_amount + n <= amount`, the CHECK constraint behind
it), so the same credit is never used twice. Every use and give-back is a rebate_deduction row
and a ledger row, never updated or deleted. The order's receivables are net of the deduction
(receivables.deducted), so the statement adds up: credit note -X, deduction +X, goods - X.
"""

from __future__ import annotations

from typing import Any

from piccolo.columns.combination import WhereRaw

from portal.auth.schemas import CurrentUser
from portal.core.audit import record
from portal.finance import ledger, queries
from portal.finance.constants import LedgerKind, PaymentMethod
from portal.finance.tables import LedgerEntry, Payment, RebateDeduction
from portal.lib import clock
from portal.lib.clock import now


async def _open_notes(partner_id: int) -> list[dict[str, Any]]:
    """The partner's credit notes with something unused, oldest first, with their reason (the
    memo of the note's ledger row: the programme's name and period)."""
    notes = await (
        Payment.select(Payment.id, Payment.amount, Payment.allocated_amount, Payment.note)
        .where(
            (Payment.partner == partner_id)
            & (Payment.method == PaymentMethod.REBATE)
            & (Payment.allocated_amount < Payment.amount)
        )
        .order_by(Payment.paid_on)
        .order_by(Payment.id)
    )
    if not notes:
        return []
    memos = {
        int(r["payment"]): str(r["memo"])
        for r in await LedgerEntry.select(LedgerEntry.payment, LedgerEntry.memo).where(
            LedgerEntry.payment.is_in([int(n["id"]) for n in notes])
            & (LedgerEntry.kind == LedgerKind.REBATE)
        )
    }
    for note in notes:
        note["reason"] = memos.get(int(note["id"])) or str(note["note"])
    return notes  # type: ignore[no-any-return]


def _reason(reasons: list[str]) -> str:
    return ", ".join(dict.fromkeys(r for r in reasons if r))[:300]


async def offer(partner_id: int) -> tuple[int, str] | None:
    """(unused rebate credit, reason) the partner may deduct from its next order, or None."""
    notes = await _open_notes(partner_id)
    amount = sum(int(n["amount"]) - int(n["allocated_amount"]) for n in notes)
    if amount <= 0:
        return None
    return amount, _reason([n["reason"] for n in notes])


async def take(
    actor: CurrentUser, partner_id: int, order_id: int, order_number: str, total: int
) -> tuple[int, str]:
    """Use the partner's unused rebate credit, oldest credit note first, on an order worth
    `total`: (amount deducted, never above `total` or the credit, and the reason). Runs inside
    the order's write transaction; nothing to use answers (0, "")."""
    if total <= 0:
        return 0, ""
    await ledger.lock_account(partner_id)
    left = total
    used: list[str] = []
    today = clock.today()
    moment = now()
    for note in await _open_notes(partner_id):
        share = min(left, int(note["amount"]) - int(note["allocated_amount"]))
        if share <= 0:
            break
        matched = await (
            Payment.update({Payment.allocated_amount: Payment.allocated_amount + share})
            .where(
                (Payment.id == note["id"])
                & WhereRaw('"payment"."allocated_amount" + {} <= "payment"."amount"', share)
            )
            .returning(Payment.id)
        )
        if not matched:  # used meanwhile (the account lock makes this the second wall)
            continue
        await RebateDeduction.insert(
            RebateDeduction(
                key=f"use:{order_id}:{note['id']}",
                partner=partner_id,
                payment=int(note["id"]),
                order_id=order_id,
                order_number=order_number,
                amount=share,
                actor_id=actor.id,
                at=moment,
            )
        )
        await ledger.post(
            partner_id,
            LedgerKind.REBATE_USED,
            share,
            today,
            payment_id=int(note["id"]),
            memo=f"{note['reason']} → {order_number}",
            actor_id=actor.id,
        )
        used.append(note["reason"])
        left -= share
        if left == 0:
            break
    amount = total - left
    if amount:
        await record(
            "finance.rebate_deducted",
            actor=actor,
            partner_id=partner_id,
            target_type="order",
            target_id=order_id,
            after={"amount": amount, "order": order_number},
        )
    return amount, _reason(used)


async def give_back(actor: CurrentUser, order_id: int) -> int:
    """The part of an order's deduction its shipments did not carry, back on the credit notes
    it came from (the order was rejected or cancelled); returns how much. Runs inside that
    transaction; a second call gives nothing more (the "return:" keys are unique)."""
    uses = await (
        RebateDeduction.select()
        .where((RebateDeduction.order_id == order_id) & (RebateDeduction.amount > 0))
        .order_by(RebateDeduction.id)
    )
    if not uses:
        return 0
    partner_id = int(uses[0]["partner"])
    await ledger.lock_account(partner_id)
    carried = min(sum(int(u["amount"]) for u in uses), await queries.shipped_value(order_id))
    today = clock.today()
    moment = now()
    given = 0
    for use in uses:
        share = max(0, int(use["amount"]) - carried)
        carried = max(0, carried - int(use["amount"]))
        if share == 0:
            continue
        inserted = await (
            RebateDeduction.insert(
                RebateDeduction(
                    key=f"return:{order_id}:{use['payment']}",
                    partner=partner_id,
                    payment=int(use["payment"]),
                    order_id=order_id,
                    order_number=use["order_number"],
                    amount=-share,
                    actor_id=actor.id,
                    at=moment,
                )
            )
            .on_conflict(action="DO NOTHING")
            .returning(RebateDeduction.id)
        )
        if not inserted:
            continue  # given back before
        await Payment.update({Payment.allocated_amount: Payment.allocated_amount - share}).where(
            Payment.id == use["payment"]
        )
        await ledger.post(
            partner_id,
            LedgerKind.REBATE_RETURNED,
            -share,
            today,
            payment_id=int(use["payment"]),
            memo=str(use["order_number"]),
            actor_id=actor.id,
        )
        given += share
    if given:
        await ledger.settle(partner_id)  # back on account: it pays open receivables again
        await record(
            "finance.rebate_deduction_returned",
            actor=actor,
            partner_id=partner_id,
            target_type="order",
            target_id=order_id,
            after={"amount": given},
        )
    return given
