"""The raw SQL of the orders domain: the prices & stock listing (partners' most used page), the
pricing rules of a partner, the owed amounts the credit check adds, the demo history's numbers.

The listing is two plain SQL statements rather than ORM queries: the count, and one page of
products with their category and stock sums (correlated sub-selects, evaluated for the 50 rows
shown). Only a filter or sort on availability joins the per-product stock aggregate for every
product. Measured in bench/orders_pages.py. This module sits at the bottom of the domain (tables,
constants, schemas): catalog_listing.py and prices.py build on it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.lib import hooks
from portal.lib.i18n import current_locale
from portal.orders.constants import Availability
from portal.orders.schemas import CatalogFilters
from portal.orders.tables import Order, PriceList, Product

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


def as_date(value: Any) -> dt.date | None:
    """Raw SQLite rows carry dates as text; PostgreSQL gives date objects."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def catalog_sql(filters: CatalogFilters) -> tuple[str, list[tuple[str, str]], list[Any]]:
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


async def catalog_count(source: str, args: list[Any]) -> int:
    """How many products the listing's FROM ... WHERE ... (from `catalog_sql`) matches."""
    counted = await Product.raw(f"SELECT COUNT(*) AS n {source}", *args)
    return int(counted[0]["n"])


async def catalog_page(
    source: str, keys: list[tuple[str, str]], args: list[Any], limit: int, offset: int
) -> list[dict[str, Any]]:
    """One page of the listing with names, category and stock sums.

    The inner query picks the page (sort keys only); the outer one adds names and the stock
    sums for those rows alone, so a sort over 5,000 products never computes 5,000 sums."""
    inner_keys = ", ".join(f"{expression} AS k{n}" for n, (expression, _d) in enumerate(keys))
    inner_order = ", ".join(f"{expression} {direction}" for expression, direction in keys)
    outer_order = ", ".join(f"pg.k{n} {direction}" for n, (_e, direction) in enumerate(keys))
    stock_sums = ", ".join(
        f"{ROW_STOCK.format(column=column)} AS stock_{column}"
        for column in ("on_hand", "reserved", "safety_stock")
    )
    return list(
        await Product.raw(
            "SELECT p.id, p.sku, p.name_zh, p.name_en, p.unit, p.list_price_amount, p.currency,"  # noqa: S608 (constants and {} placeholders only)
            " p.min_order_quantity, p.pack_size, p.is_active, p.image_url, p.stock_display,"
            " p.restock_on, p.category, c.code AS category_code, c.name_zh AS category_name_zh,"
            f" c.name_en AS category_name_en, {stock_sums}"
            f" FROM (SELECT p.id AS page_id, {inner_keys} {source} ORDER BY {inner_order}"
            " LIMIT {} OFFSET {}) pg JOIN product p ON p.id = pg.page_id"
            f" LEFT JOIN category c ON c.id = p.category ORDER BY {outer_order}",
            *args,
            limit,
            offset,
        )
    )


async def pricing_heads(partner_id: int) -> list[dict[str, Any]]:
    """The partner's tier with each of its active price lists (one row with a NULL id when the
    tier has none; no row for an unknown partner)."""
    return list(
        await PriceList.raw(
            "SELECT t.code, t.name_zh, t.name_en, pl.id, pl.discount_bp, pl.valid_from,"
            " pl.valid_until FROM partner p JOIN tier t ON t.id = p.tier"
            " LEFT JOIN price_list pl ON pl.tier = p.tier AND pl.is_active = TRUE"
            " WHERE p.id = {}",
            partner_id,
        )
    )


async def pricing_rules(
    partner_id: int, product_ids: list[int] | None, price_list_id: int | None
) -> list[dict[str, Any]]:
    """The partner's contract prices, the volume breaks and the price list's items of the
    products (None: all) in one UNION ALL, each row with its `kind` (contract, break, item)."""
    # Only "{}" placeholders are put into the SQL text; every value is a bound argument.
    ids = list(product_ids or ())
    marks = ", ".join("{}" for _ in ids)
    for_products = (
        (lambda column: f" AND {column} IN ({marks})")
        if product_ids is not None
        else (lambda _c: "")
    )
    parts = [
        "SELECT 'contract' AS kind, cp.id, cp.product, cp.price_amount AS amount, cp.valid_from,"  # noqa: S608
        " cp.valid_until, 0 AS min_quantity, 0 AS discount_bp FROM contract_price cp"
        " WHERE cp.partner = {}" + for_products("cp.product"),
        "SELECT 'break', qb.id, qb.product, 0, qb.valid_from, qb.valid_until, qb.min_quantity,"  # noqa: S608
        " qb.discount_bp FROM quantity_break qb WHERE "
        + (
            f"qb.product IS NULL OR qb.product IN ({marks})" if product_ids is not None else "1 = 1"
        ),
    ]
    args: list[Any] = [partner_id, *ids, *ids]
    if price_list_id is not None:
        parts.append(
            "SELECT 'item', i.id, i.product, i.price_amount, NULL, NULL, 0, 0"  # noqa: S608
            " FROM price_list_item i WHERE i.price_list = {}" + for_products("i.product")
        )
        args += [price_list_id, *ids]
    return list(await PriceList.raw(" UNION ALL ".join(parts), *args))


def owed_term(partner_id: int) -> tuple[str, list[Any]]:
    """The domains' owed amounts (hooks.credit_owed: finance's unpaid shipped goods) as one SQL
    term and its arguments ("0" when none is wired), for the credit check's statement."""
    values = hooks.credit_owed.values
    if not values:
        return "0", []
    sql = " + ".join(f"COALESCE(({v}), 0)" for v in values)
    return sql, [partner_id] * sum(v.count("{}") for v in values)


async def owed_amount(partner_id: int) -> int:
    """The owed amounts of `owed_term`, summed now."""
    owed_sql, owed_args = owed_term(partner_id)
    owed = await Order.raw(f"SELECT {owed_sql} AS owed", *owed_args)
    return int(owed[0]["owed"] or 0) if owed else 0


# The real number from the id, zero-padded to 6 digits, portable to SQLite and PostgreSQL.
NUMBER_SQL = (
    "UPDATE partner_order SET number = {} || CASE WHEN length(CAST(id AS TEXT)) >= 6"
    " THEN CAST(id AS TEXT) ELSE substr('000000', 1, 6 - length(CAST(id AS TEXT)))"
    " || CAST(id AS TEXT) END WHERE number LIKE {}"
)


async def number_orders_from_ids(prefix: str, placeholder_pattern: str) -> None:
    """Orders numbered `placeholder_pattern` (LIKE) get `prefix` + their id on 6 digits."""
    await Order.raw(NUMBER_SQL, prefix, placeholder_pattern)
