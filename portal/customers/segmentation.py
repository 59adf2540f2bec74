"""Keeping each customer's RFM segment and order figures current (nightly job, and after a
contact is logged). The maths is in segments.py; this module reads the aggregates in a fixed
number of grouped queries and writes only the rows that changed, grouped by new value."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from piccolo.query.functions.aggregate import Count, Max, Min, Sum

from portal.customers import segments
from portal.customers.listing import forget_cached
from portal.customers.tables import Customer, Interaction
from portal.db import write_transaction
from portal.lib.clock import now
from portal.lib.i18n import to_local
from portal.orders.constants import OrderStatus
from portal.orders.tables import Order

# Orders that count as revenue: approved and later, by approval date (issue 6's definition).
REVENUE_STATUSES = [
    OrderStatus.APPROVED,
    OrderStatus.PARTIALLY_SHIPPED,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
]
BATCH = 500  # ids per UPDATE ... WHERE id IN (...)


def _as_datetime(value: Any) -> dt.datetime | None:
    """Aggregates over timestamps come back as text on SQLite."""
    if value is None or isinstance(value, dt.datetime):
        return value
    parsed = dt.datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


async def _order_stats(
    where: list[Any], since: dt.datetime | None = None
) -> dict[int, dict[str, Any]]:
    conditions = [
        Order.end_customer_id.is_not_null(),
        Order.status.is_in(REVENUE_STATUSES),
        Order.decided_at.is_not_null(),
        *where,
    ]
    if since is not None:
        conditions.append(Order.decided_at >= since)
    rows = await (
        Order.select(
            Order.end_customer_id,
            Count(Order.id, alias="n"),
            Sum(Order.total_amount, alias="amount"),
            Min(Order.decided_at, alias="first_at"),
            Max(Order.decided_at, alias="last_at"),
        )
        .where(*conditions)
        .group_by(Order.end_customer_id)
    )
    return {int(r["end_customer_id"]): r for r in rows}


async def recompute_segments(
    partner_id: int | None = None,
    customer_ids: list[int] | None = None,
    today: dt.date | None = None,
) -> int:
    """Recompute segment, RFM code, order count, revenue and last order of the customers of one
    partner, of the given ids, or of everyone; returns how many rows changed. Idempotent."""

    moment = now()
    today = today or to_local(moment).date()
    year_ago = moment - dt.timedelta(days=365)
    two_years_ago = moment - dt.timedelta(days=730)
    c_where: list[Any] = []
    o_where: list[Any] = []
    i_where: list[Any] = []
    if partner_id is not None:
        c_where.append(Customer.partner == partner_id)
        o_where.append(Order.partner == partner_id)
        i_where.append(Interaction.partner == partner_id)
    if customer_ids is not None:
        if not customer_ids:
            return 0
        c_where.append(Customer.id.is_in(customer_ids))
        o_where.append(Order.end_customer_id.is_in(customer_ids))
        i_where.append(Interaction.customer.is_in(customer_ids))
    customers = await Customer.select(
        Customer.id,
        Customer.created_at,
        Customer.last_contact_at,
        Customer.segment,
        Customer.rfm,
        Customer.order_count,
        Customer.revenue_amount,
        Customer.last_order_at,
    ).where(*c_where)
    if not customers:
        return 0
    lifetime = await _order_stats(o_where)
    this_year = await _order_stats(o_where, since=year_ago)
    two_years = await _order_stats(o_where, since=two_years_ago)
    contacts = {
        int(r["customer"]): int(r["n"])
        for r in await Interaction.select(Interaction.customer, Count(Interaction.id, alias="n"))
        .where(Interaction.occurred_at >= year_ago, *i_where)
        .group_by(Interaction.customer)
    }
    segment_groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    order_updates: list[tuple[int, int, int, dt.datetime | None]] = []
    for c in customers:
        cid = c["id"]
        life = lifetime.get(cid)
        year = this_year.get(cid)
        both = two_years.get(cid)
        last_order = _as_datetime(life["last_at"]) if life else None
        first_order = _as_datetime(life["first_at"]) if life else None
        last_contact = c["last_contact_at"]
        latest = max((d for d in (last_order, last_contact) if d is not None), default=None)
        revenue_year = int(year["amount"] or 0) if year else 0
        revenue_two = int(both["amount"] or 0) if both else 0
        scored = segments.score(
            segments.Activity(
                created_on=to_local(c["created_at"]).date(),
                last_activity_on=to_local(latest).date() if latest else None,
                first_order_on=to_local(first_order).date() if first_order else None,
                orders_total=int(life["n"]) if life else 0,
                orders_year=int(year["n"]) if year else 0,
                contacts_year=contacts.get(cid, 0),
                revenue_year=revenue_year,
                revenue_previous_year=revenue_two - revenue_year,
            ),
            today,
        )
        if scored.segment != c["segment"] or scored.code != c["rfm"]:
            segment_groups[(scored.segment.value, scored.code)].append(cid)
        order_count = int(life["n"]) if life else 0
        revenue = int(life["amount"] or 0) if life else 0
        if (
            order_count != c["order_count"]
            or revenue != c["revenue_amount"]
            or last_order != c["last_order_at"]
        ):
            order_updates.append((cid, order_count, revenue, last_order))
    changed = set()
    async with write_transaction():
        for (segment, code), ids in segment_groups.items():
            for n in range(0, len(ids), BATCH):
                chunk = ids[n : n + BATCH]
                await Customer.update(
                    {Customer.segment: segment, Customer.rfm: code, Customer.segment_on: today}
                ).where(Customer.id.is_in(chunk))
                changed.update(chunk)
        for cid, count, revenue, last in order_updates:
            await Customer.update(
                {
                    Customer.order_count: count,
                    Customer.revenue_amount: revenue,
                    Customer.last_order_at: last,
                }
            ).where(Customer.id == cid)
            changed.add(cid)
    if changed:
        forget_cached()  # the segment tabs
    return len(changed)
