"""The monthly rollup of order revenue per partner, and the raw aggregate it is built from.

Revenue counts approved and later orders (approved, partially shipped, shipped, delivered) in
the month of their approval (`decided_at`, local time of the portal). Leaderboards and scorecards
read the rollup (one small query) instead of aggregating orders on every page view.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from piccolo.query.functions.aggregate import Count, Max, Sum

from portal.db import write_transaction
from portal.lib.clock import now
from portal.orders.constants import OrderStatus
from portal.orders.tables import Order, OrderEvent
from portal.performance.periods import add_months, bounds_utc
from portal.performance.tables import MonthlyRollup
from portal.settings import get_settings

REVENUE_STATUSES = (
    OrderStatus.APPROVED,
    OrderStatus.PARTIALLY_SHIPPED,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
)


async def order_totals(
    partner_ids: Sequence[int] | None, start: dt.date, end: dt.date
) -> dict[int, tuple[int, int]]:
    """{partner id: (revenue minor units, orders)} for approvals in [start, end), one query."""
    lo, hi = bounds_utc(start, end, get_settings().tz)
    where = [
        Order.status.is_in(list(REVENUE_STATUSES)),
        Order.decided_at >= lo,
        Order.decided_at < hi,
    ]
    if partner_ids is not None:
        if not partner_ids:
            return {}
        where.append(Order.partner.is_in(list(partner_ids)))
    rows = await (
        Order.select(
            Order.partner, Sum(Order.total_amount, alias="revenue"), Count(Order.id, alias="n")
        )
        .where(*where)
        .group_by(Order.partner)
    )
    return {int(r["partner"]): (int(r["revenue"] or 0), int(r["n"] or 0)) for r in rows}


async def refresh_rollups(
    months: Sequence[dt.date], partner_ids: Sequence[int] | None = None
) -> int:
    """Rewrite the rollup rows of the given months (first days); returns the rows written.

    Each month is aggregated first, then replaced in one short write transaction (delete +
    insert), so readers see either the old or the new month, and running it twice is harmless.
    """
    written = 0
    for month in sorted(set(months)):
        totals = await order_totals(partner_ids, month, add_months(month, 1))
        moment = now()
        rows = [
            MonthlyRollup(
                partner=pid,
                month=month,
                revenue_amount=revenue,
                order_count=count,
                computed_at=moment,
            )
            for pid, (revenue, count) in sorted(totals.items())
        ]
        async with write_transaction():
            delete = MonthlyRollup.delete().where(MonthlyRollup.month == month)
            if partner_ids is not None:
                delete = delete.where(MonthlyRollup.partner.is_in(list(partner_ids) or [0]))
            await delete
            for start in range(0, len(rows), 500):
                await MonthlyRollup.insert(*rows[start : start + 500])
        written += len(rows)
    return written


async def refresh_for_order_event(event_id: int) -> int:
    """Refresh the rollup of the order's partner for the month its revenue counts in, when one
    of its events lands (subscribed to hooks.order_event_landed): the scorecard's figure and the
    orders behind it agree as soon as the status e-mail goes out. Idempotent."""
    row = await (
        OrderEvent.select(
            OrderEvent.order.partner.as_alias("partner"),
            OrderEvent.order.decided_at.as_alias("decided_at"),
        )
        .where(OrderEvent.id == event_id)
        .first()
    )
    if row is None or row["decided_at"] is None:
        return 0  # not decided yet: it counts in no month's revenue
    decided = row["decided_at"]
    if isinstance(decided, str):
        decided = dt.datetime.fromisoformat(decided)
    month = decided.astimezone(get_settings().tz).date().replace(day=1)
    return await refresh_rollups([month], [int(row["partner"])])


async def computed_at(partner_id: int, start: dt.date, end: dt.date) -> dt.datetime | None:
    """When the partner's rollup rows of [start, end) were last computed ("as of HH:MM")."""
    row = await (
        MonthlyRollup.select(Max(MonthlyRollup.computed_at, alias="at"))
        .where(
            (MonthlyRollup.partner == partner_id)
            & (MonthlyRollup.month >= start)
            & (MonthlyRollup.month < end)
        )
        .first()
    )
    value = row["at"] if row else None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value


def recent_months(today: dt.date, count: int) -> list[dt.date]:
    """The first days of the `count` months ending with the month of `today`."""
    first = today.replace(day=1)
    return [add_months(first, -i) for i in range(count - 1, -1, -1)]


async def rollup_totals(
    partner_ids: Sequence[int] | None, start: dt.date, end: dt.date
) -> dict[int, tuple[int, int]]:
    """{partner id: (revenue, orders)} summed from the rollup for the months in [start, end)."""
    where = [MonthlyRollup.month >= start, MonthlyRollup.month < end]
    if partner_ids is not None:
        if not partner_ids:
            return {}
        where.append(MonthlyRollup.partner.is_in(list(partner_ids)))
    rows = await (
        MonthlyRollup.select(
            MonthlyRollup.partner,
            Sum(MonthlyRollup.revenue_amount, alias="revenue"),
            Sum(MonthlyRollup.order_count, alias="n"),
        )
        .where(*where)
        .group_by(MonthlyRollup.partner)
    )
    return {int(r["partner"]): (int(r["revenue"] or 0), int(r["n"] or 0)) for r in rows}


async def window_totals(
    partner_ids: Sequence[int] | None, start: dt.date, end: dt.date
) -> dict[int, tuple[int, int]]:
    """{partner id: (revenue, orders)} for [start, end), `start` a first of month: the whole
    months from the rollup, a trailing part of a month (the same days as a running month)
    aggregated from the orders themselves (one more small query)."""
    whole_end = end.replace(day=1)
    totals = await rollup_totals(partner_ids, start, whole_end) if whole_end > start else {}
    if whole_end == end:
        return totals
    out = dict(totals)
    for pid, (revenue, count) in (await order_totals(partner_ids, whole_end, end)).items():
        before = out.get(pid, (0, 0))
        out[pid] = (before[0] + revenue, before[1] + count)
    return out


async def monthly_series(
    partner_ids: Sequence[int] | None, start: dt.date, end: dt.date
) -> dict[int, dict[dt.date, tuple[int, int]]]:
    """{partner id: {month: (revenue, orders)}} from the rollup, for trend charts."""
    where = [MonthlyRollup.month >= start, MonthlyRollup.month < end]
    if partner_ids is not None:
        where.append(MonthlyRollup.partner.is_in(list(partner_ids) or [0]))
    rows = await MonthlyRollup.select(
        MonthlyRollup.partner,
        MonthlyRollup.month,
        MonthlyRollup.revenue_amount,
        MonthlyRollup.order_count,
    ).where(*where)
    out: dict[int, dict[dt.date, tuple[int, int]]] = {}
    for r in rows:
        month = r["month"]
        if isinstance(month, str):
            month = dt.date.fromisoformat(month)
        out.setdefault(int(r["partner"]), {})[month] = (
            int(r["revenue_amount"]),
            int(r["order_count"]),
        )
    return out
