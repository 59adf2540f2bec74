"""The raw SQL of the orders domain: the prices & stock listing (partners' most used page).

The listing is two plain SQL statements rather than ORM queries: the count, and one page of
products with their category and stock sums (correlated sub-selects, evaluated for the 50 rows
shown). Only a filter or sort on availability joins the per-product stock aggregate for every
product. Measured in bench/orders_pages.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.lib.i18n import current_locale, localized
from portal.orders import stock
from portal.orders.catalog import get_product_by_sku
from portal.orders.constants import Availability, StockDisplay
from portal.orders.prices import PartnerPricing, load_pricing
from portal.orders.schemas import CatalogFilters
from portal.orders.tables import Product

STOCK_AGGREGATE = (
    "(SELECT sl.product, SUM(sl.on_hand) AS on_hand, SUM(sl.reserved) AS reserved,"
    " SUM(sl.safety_stock) AS safety FROM stock_level sl JOIN warehouse w ON w.id = sl.warehouse"
    " WHERE w.is_active = TRUE GROUP BY sl.product)"
)
ROW_STOCK = (
    "(SELECT COALESCE(SUM(sl.{column}), 0) FROM stock_level sl JOIN warehouse w"
    " ON w.id = sl.warehouse WHERE sl.product = p.id AND w.is_active = TRUE)"
)
# sort -> [(expression, direction)]; "name" is the name column of the current language.
SORTS: dict[str, list[tuple[str, str]]] = {
    "sku": [("p.sku", "")],
    "name": [("name", ""), ("p.sku", "")],
    "price": [("p.list_price_amount", ""), ("p.sku", "")],
    "-price": [("p.list_price_amount", "DESC"), ("p.sku", "")],
    "availability": [("COALESCE(s.on_hand - s.reserved, 0)", "DESC"), ("p.sku", "")],
}


def like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with % and _ taken literally (ESCAPE '\\')."""
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _as_date(value: Any) -> dt.date | None:
    """Raw SQLite rows carry dates as text; PostgreSQL gives date objects."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _catalog_sql(filters: CatalogFilters) -> tuple[str, list[tuple[str, str]], list[Any]]:
    """(FROM ... WHERE ..., sort keys, arguments) for the listing and its count."""
    where = ["1 = 1"]
    args: list[Any] = []
    if not filters.include_inactive:
        where.append("p.is_active = TRUE")
    if filters.q.strip():
        where.append(
            "(LOWER(p.sku) LIKE {} ESCAPE '\\' OR LOWER(p.name_zh) LIKE {} ESCAPE '\\'"
            " OR LOWER(p.name_en) LIKE {} ESCAPE '\\')"
        )
        args += [like_pattern(filters.q)] * 3
    if filters.category:
        where.append("c.code = {}")
        args.append(filters.category)
    joins = "LEFT JOIN category c ON c.id = p.category"
    available = "COALESCE(s.on_hand - s.reserved, 0)"
    if filters.availability in set(Availability) or filters.sort == "availability":
        joins += f" LEFT JOIN {STOCK_AGGREGATE} s ON s.product = p.id"
        if filters.availability == Availability.OUT:
            where.append(f"{available} <= 0")
        elif filters.availability == Availability.LOW:
            where.append(f"{available} > 0 AND {available} <= COALESCE(s.safety, 0)")
        elif filters.availability == Availability.IN_STOCK:
            where.append(f"{available} > COALESCE(s.safety, 0)")
    name = "p.name_zh" if current_locale.get().startswith("zh") else "p.name_en"
    keys = [
        (name if expression == "name" else expression, direction)
        for expression, direction in SORTS.get(filters.sort, SORTS["sku"])
    ]
    return f"FROM product p {joins} WHERE {' AND '.join(where)}", keys, args


def describe_item(
    row: dict[str, Any], totals: tuple[int, int, int], pricing: PartnerPricing, vendor: bool
) -> dict[str, Any]:
    """A product as the listing shows it: names, stock band, and the viewer's price."""
    on_hand, reserved, safety = totals
    available = on_hand - reserved
    row["name"] = localized(row, "name")
    row["category_name"] = localized(row, "category.name") if row.get("category.code") else ""
    row["on_hand"], row["reserved"], row["safety_stock"] = on_hand, reserved, safety
    row["available"] = available
    row["availability"] = stock.band(available, safety)
    row["show_quantity"] = vendor or row["stock_display"] == StockDisplay.EXACT
    quote = pricing.quote(row["id"], row["list_price_amount"], row["min_order_quantity"])
    row["quote"] = quote
    row["net_price_amount"] = None if vendor else quote.unit_amount
    row["price_rule"] = None if vendor else quote.rule.value
    row["price_reason"] = "" if vendor else pricing.reason(quote)
    return row


async def list_catalog(
    user: CurrentUser, filters: CatalogFilters
) -> tuple[list[dict[str, Any]], int]:
    """A page of products with the viewer's price and availability, and the total count.

    Partner users see active products with their own net price (at the minimum quantity) and
    the rule behind it; vendor staff see list prices and exact quantities.
    """
    vendor = user.is_vendor
    if not vendor:
        filters.include_inactive = False
    source, keys, args = _catalog_sql(filters)
    per_page = min(max(filters.per_page, 1), 200)
    counted = await Product.raw(f"SELECT COUNT(*) AS n {source}", *args)
    total = int(counted[0]["n"])
    # The inner query picks the page (sort keys only); the outer one adds names and the stock
    # sums for those 50 rows alone, so a sort over 5,000 products never computes 5,000 sums.
    inner_keys = ", ".join(f"{expression} AS k{n}" for n, (expression, _d) in enumerate(keys))
    inner_order = ", ".join(f"{expression} {direction}" for expression, direction in keys)
    outer_order = ", ".join(f"pg.k{n} {direction}" for n, (_e, direction) in enumerate(keys))
    stock_sums = ", ".join(
        f"{ROW_STOCK.format(column=column)} AS stock_{column}"
        for column in ("on_hand", "reserved", "safety_stock")
    )
    rows = await Product.raw(
        "SELECT p.id, p.sku, p.name_zh, p.name_en, p.unit, p.list_price_amount, p.currency,"  # noqa: S608 (constants and {} placeholders only)
        " p.min_order_quantity, p.pack_size, p.is_active, p.image_url, p.stock_display,"
        " p.restock_on, p.category, c.code AS category_code, c.name_zh AS category_name_zh,"
        f" c.name_en AS category_name_en, {stock_sums}"
        f" FROM (SELECT p.id AS page_id, {inner_keys} {source} ORDER BY {inner_order}"
        " LIMIT {} OFFSET {}) pg JOIN product p ON p.id = pg.page_id"
        f" LEFT JOIN category c ON c.id = p.category ORDER BY {outer_order}",
        *args,
        per_page,
        (max(filters.page, 1) - 1) * per_page,
    )
    pricing = await load_pricing(None if vendor else user.partner_id, [r["id"] for r in rows])
    items = []
    for row in rows:
        row["is_active"] = bool(row["is_active"])
        row["restock_on"] = _as_date(row["restock_on"])
        for key in ("code", "name_zh", "name_en"):
            row[f"category.{key}"] = row.pop(f"category_{key}")
        totals = (
            int(row.pop("stock_on_hand")),
            int(row.pop("stock_reserved")),
            int(row.pop("stock_safety_stock")),
        )
        items.append(describe_item(row, totals, pricing, vendor))
    return items, total


async def catalog_item(user: CurrentUser, sku: str) -> dict[str, Any]:
    """One product as list_catalog shows it, plus its volume breaks with the resulting prices.
    NotFound for unknown SKUs (and inactive ones, for partner users)."""
    vendor = user.is_vendor
    product = await get_product_by_sku(sku, active_only=not vendor)
    totals = await stock.totals([product["id"]])
    pricing = await load_pricing(None if vendor else user.partner_id, [product["id"]])
    item = describe_item(product, totals.get(product["id"], (0, 0, 0)), pricing, vendor)
    breaks = []
    for b in sorted(pricing.breaks_for(product["id"]), key=lambda b: b.min_quantity):
        quote = pricing.quote(product["id"], product["list_price_amount"], b.min_quantity)
        breaks.append(
            {
                "min_quantity": b.min_quantity,
                "discount_bp": b.discount_bp,
                "unit_amount": None if vendor else quote.unit_amount,
                "reason": "" if vendor else pricing.reason(quote),
            }
        )
    item["breaks"] = breaks
    return item
