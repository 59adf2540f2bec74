"""The raw SQL of the deals domain: pipeline value by product line (a deal line's quantity at
the product's list price, summed per catalog category), which the ORM cannot say in one
grouped statement (a product of two columns, COUNT DISTINCT)."""

from __future__ import annotations

from typing import Any

from portal.deals.tables import Deal

# Only "{}" placeholders go into the SQL text; every value is a bound argument.
PRODUCT_LINES_SQL = """
SELECT c.id AS category_id, c.name_zh AS name_zh, c.name_en AS name_en,
       COUNT(DISTINCT d.id) AS n,
       COALESCE(SUM(dl.quantity * p.list_price_amount), 0) AS amount
FROM deal_line dl
JOIN deal d ON d.id = dl.deal
JOIN product p ON p.id = dl.product
LEFT JOIN category c ON c.id = p.category
WHERE d.status IN ({statuses}){scope}
GROUP BY c.id, c.name_zh, c.name_en
ORDER BY amount DESC
"""


async def pipeline_by_product_line(
    statuses: list[str],
    partner_ids: list[int] | None,
    partner_id: int | None = None,
    pattern: str = "",
) -> list[dict[str, Any]]:
    """Open deals and their registered value at list prices per product line (category; None:
    products without one), for the partners in `partner_ids` (None: every partner); `pattern`
    (a LIKE pattern) narrows them as the pipeline's search does: project, customer or number."""
    args: list[Any] = list(statuses)
    scope = ""
    if pattern:
        scope += (
            " AND (LOWER(d.name) LIKE {} OR LOWER(d.customer_name) LIKE {}"
            " OR LOWER(d.number) LIKE {})"
        )
        args += [pattern.lower()] * 3
    if partner_ids is not None:
        if not partner_ids:
            return []
        scope += f" AND d.partner IN ({', '.join('{}' for _ in partner_ids)})"
        args += partner_ids
    if partner_id is not None:
        scope += " AND d.partner = {}"
        args.append(partner_id)
    sql = PRODUCT_LINES_SQL.format(statuses=", ".join("{}" for _ in statuses), scope=scope)
    return list(await Deal.raw(sql, *args))
