"""The raw SQL of the finance domain (issue 13: each domain's raw SQL in its own queries.py).

Plain SQL where the ORM cannot say it in one statement: sums across orders' and finance's tables
for the account summary and the credit check, the shipments that still need a receivable, and
the unpaid receivables of the ageing table. `{}` marks an argument (Piccolo's placeholder).
"""

from __future__ import annotations

from typing import Any

from portal.finance.tables import Receivable
from portal.orders.constants import OPEN_STATUSES, RESERVING_STATUSES

# Value of what open orders have not shipped yet (shipped units become receivables).
_RESERVING = ", ".join(f"'{s.value}'" for s in sorted(RESERVING_STATUSES))
UNSHIPPED_SQL = (
    "SELECT COALESCE(SUM((ol.quantity - ol.shipped_quantity) * ol.unit_price_amount), 0)"  # noqa: S608
    ' AS amount FROM order_line ol JOIN partner_order o ON o.id = ol."order"'
    f" WHERE o.partner = {{}} AND o.status IN ({_RESERVING})"
)

# Shipped units the receivables job has not turned into a receivable yet (at most a minute).
UNBILLED_SQL = """
SELECT COALESCE(SUM(sl.quantity * ol.unit_price_amount), 0) AS amount
FROM shipment s
JOIN partner_order o ON o.id = s."order"
JOIN shipment_line sl ON sl.shipment = s.id
JOIN order_line ol ON ol.id = sl.order_line
WHERE o.partner = {} AND NOT EXISTS (SELECT 1 FROM receivable r WHERE r.shipment_id = s.id)
"""


# Shipments without a receivable, with their value (shipped units at the order line's unit
# price, the snapshot taken when the order was placed) and the partner's current terms; for an
# order with a rebate deduction, also the value of its earlier shipments (the deduction is taken
# from the shipments in their order: receivables.deducted).
MISSING_SQL = """
SELECT s.id AS shipment_id, s.shipped_at AS shipped_at, o.id AS order_id,
       o.number AS order_number, o.partner AS partner_id, o.currency AS currency,
       SUM(sl.quantity * ol.unit_price_amount) AS amount,
       MAX(fp.payment_terms) AS payment_terms,
       o.deduction_amount AS deduction_amount,
       CASE WHEN o.deduction_amount > 0 THEN
         (SELECT COALESCE(SUM(sl2.quantity * ol2.unit_price_amount), 0)
          FROM shipment s2 JOIN shipment_line sl2 ON sl2.shipment = s2.id
          JOIN order_line ol2 ON ol2.id = sl2.order_line
          WHERE s2."order" = o.id AND s2.id < s.id)
       ELSE 0 END AS earlier_amount
FROM shipment s
JOIN partner_order o ON o.id = s."order"
JOIN shipment_line sl ON sl.shipment = s.id
JOIN order_line ol ON ol.id = sl.order_line
LEFT JOIN finance_profile fp ON fp.partner = o.partner
WHERE NOT EXISTS (SELECT 1 FROM receivable r WHERE r.shipment_id = s.id)
GROUP BY s.id, s.shipped_at, o.id, o.number, o.partner, o.currency, o.deduction_amount
ORDER BY s.id
LIMIT {}
"""


_OPEN = ", ".join(f"'{s.value}'" for s in sorted(OPEN_STATUSES))
# For hooks.credit_owed: orders' open value already holds the whole of every open order,
# shipped part included, so this is every unpaid receivable, less the receivables of orders
# still open (counted there), less the balance on account. Open orders + this =
# unshipped open orders + unpaid receivables - balance on account, the exposure of issue 16.
CREDIT_OWED_SQL = (
    "SELECT (SELECT COALESCE(SUM(r.amount - r.paid_amount), 0) FROM receivable r"  # noqa: S608
    " WHERE r.partner = {})"
    " - (SELECT COALESCE(SUM(r.amount), 0) FROM receivable r JOIN partner_order o"
    f" ON o.id = r.order_id WHERE r.partner = {{}} AND o.status IN ({_OPEN}))"
    " - (SELECT COALESCE(SUM(p.amount - p.allocated_amount), 0) FROM payment p"
    " WHERE p.partner = {})"
)


async def _scalar(sql: str, *args: Any) -> int:
    rows = await Receivable.raw(sql, *args)
    return int(rows[0]["amount"] or 0) if rows else 0


async def unshipped_amount(partner_id: int) -> int:
    """Value of the partner's open orders not shipped yet."""
    return await _scalar(UNSHIPPED_SQL, partner_id)


async def unbilled_amount(partner_id: int) -> int:
    """Value shipped to the partner that has no receivable yet."""
    return await _scalar(UNBILLED_SQL, partner_id)


async def missing_receivables(limit: int) -> list[dict[str, Any]]:
    """Up to `limit` shipments without a receivable, with value, partner and terms."""
    return await Receivable.raw(MISSING_SQL, limit)  # type: ignore[no-any-return]


async def unpaid_receivables(condition: str, args: list[Any]) -> list[dict[str, Any]]:
    """Every receivable with something left to pay, with its partner's code and name;
    `condition` (" AND r.partner IN ...", from tenancy.partner_ids_sql) limits the partners."""
    return await Receivable.raw(  # type: ignore[no-any-return]
        "SELECT r.partner AS partner_id, p.code AS code, p.name AS name, r.amount AS amount,"  # noqa: S608
        " r.paid_amount AS paid_amount, r.issued_on AS issued_on, r.due_on AS due_on"
        " FROM receivable r JOIN partner p ON p.id = r.partner"
        f" WHERE r.paid_amount < r.amount{condition}",
        *args,
    )


# Paid and allocated amounts re-summed from payment_allocation (the truth, append-only) for the
# rows an allocation touched: one statement per chunk instead of one UPDATE per receivable.
REFRESH_RECEIVABLES_SQL = """
UPDATE receivable SET
  paid_amount = (SELECT COALESCE(SUM(a.amount), 0) FROM payment_allocation a
                 WHERE a.receivable = receivable.id),
  paid_on = CASE WHEN (SELECT COALESCE(SUM(a.amount), 0) FROM payment_allocation a
                       WHERE a.receivable = receivable.id) >= receivable.amount
            THEN (SELECT MAX(p.paid_on) FROM payment_allocation a JOIN payment p
                  ON p.id = a.payment WHERE a.receivable = receivable.id)
            ELSE NULL END
WHERE receivable.id IN ({ids})
"""
# A rebate credit note's rebate_deduction rows (used on orders, given back) count as allocated.
REFRESH_PAYMENTS_SQL = """
UPDATE payment SET
  allocated_amount = (SELECT COALESCE(SUM(a.amount), 0) FROM payment_allocation a
                      WHERE a.payment = payment.id)
                   + (SELECT COALESCE(SUM(d.amount), 0) FROM rebate_deduction d
                      WHERE d.payment = payment.id)
WHERE payment.id IN ({ids})
"""

# Value shipped on an order so far: the part of its rebate deduction its receivables carry.
SHIPPED_VALUE_SQL = """
SELECT COALESCE(SUM(sl.quantity * ol.unit_price_amount), 0) AS amount
FROM shipment s JOIN shipment_line sl ON sl.shipment = s.id
JOIN order_line ol ON ol.id = sl.order_line
WHERE s."order" = {}
"""


async def shipped_value(order_id: int) -> int:
    """Value of the goods shipped on an order (all its shipments, at its unit prices)."""
    return await _scalar(SHIPPED_VALUE_SQL, order_id)


async def refresh_paid(receivable_ids: list[int], payment_ids: list[int]) -> None:
    """Re-sum paid_amount/paid_on of the receivables and allocated_amount of the payments."""
    for sql, ids in (
        (REFRESH_RECEIVABLES_SQL, receivable_ids),
        (REFRESH_PAYMENTS_SQL, payment_ids),
    ):
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            await Receivable.raw(sql.replace("{ids}", ", ".join("{}" for _ in chunk)), *chunk)


def rebate_base_sql(*, paid_only: bool, category: bool, partners: int | None) -> str:
    """Per partner, the net value of goods shipped in [start, end) (shipped_at between two UTC
    instants), optionally only what is paid in full, one category, some partners. Arguments:
    start, end, [category id], [partner ids...]."""
    joins = " JOIN product pr ON pr.id = ol.product" if category else ""
    where = ""
    if paid_only:
        where += (
            " AND EXISTS (SELECT 1 FROM receivable r WHERE r.shipment_id = s.id"
            " AND r.paid_amount >= r.amount)"
        )
    if category:
        where += " AND pr.category = {}"
    if partners is not None:
        where += " AND o.partner IN (" + ", ".join("{}" for _ in range(max(partners, 1))) + ")"
    return (
        "SELECT o.partner AS partner_id,"  # noqa: S608 (fixed fragments, arguments bound)
        " COALESCE(SUM(sl.quantity * ol.unit_price_amount), 0) AS base"
        ' FROM shipment s JOIN partner_order o ON o.id = s."order"'
        " JOIN shipment_line sl ON sl.shipment = s.id"
        " JOIN order_line ol ON ol.id = sl.order_line"
        f"{joins} WHERE s.shipped_at >= {{}} AND s.shipped_at < {{}}{where}"
        " GROUP BY o.partner"
    )


async def rebate_bases(
    start: Any, end: Any, *, paid_only: bool, category_id: int | None, partner_ids: list[int] | None
) -> dict[int, int]:
    """{partner id: base} over shipments in [start, end) (one aggregate statement)."""
    if partner_ids is not None and not partner_ids:
        return {}
    args: list[Any] = [start, end]
    if category_id is not None:
        args.append(category_id)
    if partner_ids is not None:
        args.extend(partner_ids)
    sql = rebate_base_sql(
        paid_only=paid_only,
        category=category_id is not None,
        partners=None if partner_ids is None else len(partner_ids),
    )
    rows = await Receivable.raw(sql, *args)
    return {int(r["partner_id"]): int(r["base"] or 0) for r in rows}
