"""The prices & stock listing as partners and vendor staff see it (the partners' most used page):
a page of products with the viewer's price, the rule behind it and the availability band, and one
product with its volume breaks. The SQL is in queries.py; the prices come from prices.py."""

from __future__ import annotations

from typing import Any

from portal.auth.schemas import CurrentUser
from portal.lib.i18n import localized
from portal.orders import queries, stock
from portal.orders.catalog import get_product_by_sku
from portal.orders.constants import StockDisplay
from portal.orders.prices import PartnerPricing, load_pricing
from portal.orders.schemas import CatalogFilters


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
    source, keys, args = queries.catalog_sql(filters)
    per_page = min(max(filters.per_page, 1), 200)
    total = await queries.catalog_count(source, args)
    rows = await queries.catalog_page(
        source, keys, args, per_page, (max(filters.page, 1) - 1) * per_page
    )
    pricing = await load_pricing(None if vendor else user.partner_id, [r["id"] for r in rows])
    items = []
    for row in rows:
        row["is_active"] = bool(row["is_active"])
        row["restock_on"] = queries.as_date(row["restock_on"])
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
