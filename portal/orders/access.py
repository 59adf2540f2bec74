"""The tenant door for orders: the only way a handler or job reaches an order row."""

from __future__ import annotations

from typing import Any

import msgspec

from portal.auth.schemas import CurrentUser
from portal.orders.tables import Order
from portal.tenancy import NotFound, partner_scope

ORDER_COLUMNS = (
    *Order.all_columns(exclude=[Order.request_hash]),
    Order.partner.name.as_alias("partner_name"),
    Order.partner.code.as_alias("partner_code"),
    Order.partner.locale.as_alias("partner_locale"),
    Order.partner.currency.as_alias("partner_currency"),
    Order.partner.credit_limit_amount.as_alias("credit_limit_amount"),
    Order.partner.channel_manager_id.as_alias("channel_manager_id"),
    Order.submitted_by.name.as_alias("submitted_by_name"),
    Order.submitted_by.email.as_alias("submitted_by_email"),
)


async def get_order_for_user(user: CurrentUser, order_id: int) -> dict[str, Any]:
    """The order with its partner and submitter names, if `user` may see it; NotFound otherwise.

    Vendor admins see every order, channel managers their assigned partners' orders, partner
    users only their own partner's orders (so another partner's id answers 404, not 403).
    """
    row = await (
        Order.select(*ORDER_COLUMNS)
        .where((Order.id == order_id) & partner_scope(user, Order.partner))
        .first()
    )
    if row is None:
        raise NotFound
    return row


class OrderRef(msgspec.Struct, frozen=True, kw_only=True):
    """An order as other domains see it (support cases, deals linking their orders)."""

    id: int
    number: str
    partner_id: int
    status: str


async def order_ref_for_user(user: CurrentUser, order_id: int) -> OrderRef:
    """The order's reference for another domain, if `user` may see it; NotFound otherwise."""
    row = await (
        Order.select(Order.id, Order.number, Order.partner, Order.status)
        .where((Order.id == order_id) & partner_scope(user, Order.partner))
        .first()
    )
    if row is None:
        raise NotFound
    return OrderRef(
        id=int(row["id"]),
        number=str(row["number"]),
        partner_id=int(row["partner"]),
        status=str(row["status"]),
    )


async def recent_orders_for_user(user: CurrentUser, limit: int = 50) -> list[dict[str, Any]]:
    """The latest orders `user` may see (id, number, submitted_at), newest first."""
    return await (
        Order.select(Order.id, Order.number, Order.submitted_at)
        .where(partner_scope(user, Order.partner))
        .order_by(Order.id, ascending=False)
        .limit(limit)
    )


# The customer 360° rule (customers.access, through portal.lib.hooks.customer_shared_by): a
# partner shares an end customer with the vendor by attaching it to one of its orders.
CUSTOMER_SHARED_BY_ORDER = (
    'EXISTS (SELECT 1 FROM partner_order o WHERE o.end_customer_id = "customer"."id"'
    ' AND o.partner = "customer"."partner")'
)


async def order_numbers_for_user(user: CurrentUser, ids: list[int]) -> dict[int, str]:
    """id -> order number of the orders among `ids` that `user` may see (others are left out)."""
    if not ids:
        return {}
    rows = await Order.select(Order.id, Order.number).where(
        Order.id.is_in(ids) & partner_scope(user, Order.partner)
    )
    return {int(r["id"]): str(r["number"]) for r in rows}
