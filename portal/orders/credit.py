"""A partner's open order value against its credit limit, kept race-free like stock.

credit_exposure.open_amount is raised by place_order with one conditional UPDATE that compares
against partner.credit_limit_amount in the same statement, so two orders racing for the last of
the credit cannot both pass; rejection, cancellation and delivery lower it in their own
transactions. `recompute` rebuilds it from the orders (tests and the console use it to check).
What the partner owes beyond its open orders (unpaid invoices, less balance on account) comes
from the domains above through hooks.credit_owed and is added in the same statement; a block on
new orders whatever the credit (receivables overdue too long) through hooks.order_hold; the
partner's unused rebate credit as a deduction on an order through hooks.order_deduction.
"""

from __future__ import annotations

from typing import Any

from piccolo.columns.combination import WhereRaw

from portal.auth.schemas import CurrentUser
from portal.lib import hooks
from portal.lib.clock import now
from portal.orders import queries
from portal.orders.constants import OPEN_STATUSES
from portal.orders.tables import CreditExposure, Order
from portal.partners.tables import Partner


async def _ensure_row(partner_id: int) -> None:
    await CreditExposure.insert(
        CreditExposure(partner=partner_id, open_amount=0, updated_at=now())
    ).on_conflict(action="DO NOTHING")


async def take(partner_id: int, amount: int) -> bool:
    """Add `amount` to the open value if the credit limit still covers it; False otherwise.
    Call inside the order's transaction."""
    matched = await _raise(partner_id, amount)
    if not matched and not await CreditExposure.exists().where(
        CreditExposure.partner == partner_id
    ):
        await _ensure_row(partner_id)  # the partner's first order
        matched = await _raise(partner_id, amount)
    return matched


async def _raise(partner_id: int, amount: int) -> bool:
    owed_sql, owed_args = queries.owed_term(partner_id)
    matched = (
        await CreditExposure.update(
            {
                CreditExposure.open_amount: CreditExposure.open_amount + amount,
                CreditExposure.updated_at: now(),
            }
        )
        .where(
            (CreditExposure.partner == partner_id)
            & WhereRaw(
                f'"credit_exposure"."open_amount" + {{}} + {owed_sql} <= '  # noqa: S608 (fragments)
                "(SELECT p.credit_limit_amount FROM partner p WHERE p.id = {})",
                amount,
                *owed_args,
                partner_id,
            )
        )
        .returning(CreditExposure.open_amount)
    )
    return bool(matched)


async def hold(partner_id: int) -> str | None:
    """Why the partner may not order at all now (finance's overdue block), or None."""
    return await hooks.order_hold(partner_id)


async def rebate_offer(partner_id: int) -> tuple[int, str] | None:
    """(unused rebate credit, reason) the partner may deduct from its next order (finance)."""
    return await hooks.order_credit_offer(partner_id)


async def deduct(
    actor: CurrentUser, partner_id: int, order_id: int, number: str, total: int
) -> tuple[int, str]:
    """Use the partner's rebate credit on the order being placed: (amount, reason). Call inside
    the order's transaction, before `take` (the credit check counts the order net of it)."""
    return await hooks.order_deduction(actor, partner_id, order_id, number, total)


async def return_deduction(actor: CurrentUser, order: dict[str, Any]) -> None:
    """Give back what the order's shipments did not use of its deduction (rejected or
    cancelled); call inside that transaction."""
    if int(order.get("deduction_amount") or 0) > 0:
        await hooks.order_deduction_return(actor, int(order["id"]))


async def give_back(partner_id: int, amount: int) -> None:
    """Lower the open value when an order closes (never below zero: CHECK constraint)."""
    await _ensure_row(partner_id)
    await CreditExposure.update(
        {
            CreditExposure.open_amount: CreditExposure.open_amount - amount,
            CreditExposure.updated_at: now(),
        }
    ).where(CreditExposure.partner == partner_id)


async def context(partner_id: int) -> dict[str, Any]:
    """Credit limit, open value and what is left, for the order pages and refusal messages."""
    partner = (
        await Partner.select(Partner.credit_limit_amount, Partner.currency)
        .where(Partner.id == partner_id)
        .first()
    )
    row = (
        await CreditExposure.select(CreditExposure.open_amount)
        .where(CreditExposure.partner == partner_id)
        .first()
    )
    limit = int(partner["credit_limit_amount"]) if partner else 0
    open_amount = int(row["open_amount"]) if row else 0
    owed_amount = await queries.owed_amount(partner_id)
    return {
        "limit_amount": limit,
        "open_amount": open_amount,
        "owed_amount": owed_amount,
        "available_amount": max(limit - open_amount - owed_amount, 0),
        "currency": partner["currency"] if partner else "CNY",
    }


async def recompute(partner_id: int) -> int:
    """The open value summed from the orders themselves (what open_amount must equal)."""
    rows = await Order.select(Order.total_amount).where(
        (Order.partner == partner_id) & Order.status.is_in(list(OPEN_STATUSES))
    )
    return sum(int(r["total_amount"]) for r in rows)
