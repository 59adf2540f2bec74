"""Finance factories: a shipped order (and its receivable), payments, terms (ids back)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from portal.finance import services
from portal.finance.tables import Receivable
from portal.lib import clock
from portal.orders.access import get_order_for_user
from portal.orders.services import approve_order, ship_order
from portal.orders.tables import Order
from portal.partners.tables import Partner
from tests.orders.factories import make_product, place

_seq = itertools.count(1)


def day(offset: int = 0) -> dt.date:
    """The business date `offset` days from the test clock's today (negative: in the past)."""
    return clock.today() + dt.timedelta(days=offset)


def iso(offset: int = 0) -> str:
    """day(offset) as the ISO text forms and the API take."""
    return day(offset).isoformat()


def month(offset: int = 0) -> str:
    """The period ("YYYY-MM") `offset` months from the current one (-1: the last closed month)."""
    today = clock.today()
    index = today.year * 12 + today.month - 1 + offset
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


async def shipped_order(buyer: Any, vendor: Any, units: int = 2, price: int = 1_000_00) -> dict:
    """An order of `units` × one product of `price` fen (a contract-free list price: the tier
    discount applies), approved and shipped in full by `vendor`; its receivable is created.
    Returns {order_id, number, total, receivable_id}."""
    sku = f"FIN-{next(_seq):04d}"
    await make_product(sku, price=price, stock=1000)
    placed = await place(buyer.current, {sku: units})
    order = await get_order_for_user(vendor.current, placed.order_id)
    await approve_order(vendor.current, order)
    await ship_order(
        vendor.current, await get_order_for_user(vendor.current, placed.order_id), carrier="SF"
    )
    await services.create_missing_receivables()
    row = (
        await Order.select(Order.number, Order.total_amount)
        .where(Order.id == placed.order_id)
        .first()
    )
    receivable = (
        await Receivable.select(Receivable.id).where(Receivable.order_id == placed.order_id).first()
    )
    return {
        "order_id": placed.order_id,
        "number": row["number"],
        "total": int(row["total_amount"]),
        "receivable_id": int(receivable["id"]) if receivable else None,
    }


async def partner_code(partner_id: int) -> str:
    row = await Partner.select(Partner.code).where(Partner.id == partner_id).first()
    return str(row["code"])


async def pay(
    vendor: Any, partner_id: int, amount: int, reference: str = "", on: dt.date | None = None
):
    """Record a payment of `amount` fen from the partner; (payment id, created)."""
    partner = {"id": partner_id, "currency": "CNY"}
    data = services.PaymentInput(
        amount=amount,
        paid_on=on or day(-1),
        bank_reference=reference or f"REF-{next(_seq):05d}",
    )
    return await services.record_payment(vendor.current, partner, data)
