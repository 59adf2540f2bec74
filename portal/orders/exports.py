"""Exports to XLSX: products, prices and stock in the import's own columns (edit and re-import),
and orders for vendor staff. Written with portal.lib.spreadsheets (formula injection defused)."""

from __future__ import annotations

from typing import Any

from portal.auth.schemas import CurrentUser
from portal.lib.i18n import to_local
from portal.lib.spreadsheets import XLSX_TYPE, workbook, yuan
from portal.orders.schemas import OrderFilters
from portal.orders.services import list_orders, status_label
from portal.orders.tables import (
    ContractPrice,
    PriceListItem,
    Product,
    StockLevel,
)

KINDS = ("products", "prices", "stock", "orders")


async def products_xlsx() -> bytes:
    """Every product in the import's columns."""
    rows = await Product.select(*Product.all_columns(), Product.category.code).order_by(Product.sku)
    header = (
        "sku",
        "name_zh",
        "name_en",
        "category",
        "unit",
        "list_price",
        "min_order_quantity",
        "pack_size",
        "active",
        "stock_display",
        "restock_on",
        "description_zh",
        "description_en",
        "image_url",
    )
    return workbook(
        [
            (
                "products",
                header,
                (
                    (
                        r["sku"],
                        r["name_zh"],
                        r["name_en"],
                        r["category.code"] or "",
                        r["unit"],
                        yuan(r["list_price_amount"]),
                        r["min_order_quantity"],
                        r["pack_size"],
                        "yes" if r["is_active"] else "no",
                        r["stock_display"],
                        r["restock_on"],
                        r["description_zh"],
                        r["description_en"],
                        r["image_url"],
                    )
                    for r in rows
                ),
            )
        ]
    )


async def prices_xlsx() -> bytes:
    """Explicit tier prices and contract prices in the import's columns."""
    items = (
        await PriceListItem.select(
            PriceListItem.price_list.code, PriceListItem.product.sku, PriceListItem.price_amount
        )
        .order_by(PriceListItem.price_list.code)
        .order_by(PriceListItem.product.sku)
    )
    contracts = (
        await ContractPrice.select(
            ContractPrice.partner.code,
            ContractPrice.product.sku,
            ContractPrice.price_amount,
            ContractPrice.valid_from,
            ContractPrice.valid_until,
        )
        .order_by(ContractPrice.partner.code)
        .order_by(ContractPrice.product.sku)
    )
    header = ("sku", "price", "price_list", "partner", "valid_from", "valid_until")
    rows = [
        (r["product.sku"], yuan(r["price_amount"]), r["price_list.code"], "", None, None)
        for r in items
    ] + [
        (
            r["product.sku"],
            yuan(r["price_amount"]),
            "",
            r["partner.code"],
            r["valid_from"],
            r["valid_until"],
        )
        for r in contracts
    ]
    return workbook([("prices", header, rows)])


async def stock_xlsx() -> bytes:
    """Stock per product and warehouse (the import's columns, plus reserved and available)."""
    rows = (
        await StockLevel.select(
            StockLevel.product.sku,
            StockLevel.warehouse.code,
            StockLevel.on_hand,
            StockLevel.reserved,
            StockLevel.safety_stock,
        )
        .order_by(StockLevel.product.sku)
        .order_by(StockLevel.warehouse.code)
    )
    header = ("sku", "warehouse", "on_hand", "safety_stock", "reserved", "available")
    return workbook(
        [
            (
                "stock",
                header,
                (
                    (
                        r["product.sku"],
                        r["warehouse.code"],
                        r["on_hand"],
                        r["safety_stock"],
                        r["reserved"],
                        r["on_hand"] - r["reserved"],
                    )
                    for r in rows
                ),
            )
        ]
    )


async def orders_xlsx(user: CurrentUser, filters: OrderFilters, limit: int = 100_000) -> bytes:
    """The orders `user` may see (filters as in the queue), one row per order."""

    rows: list[tuple[Any, ...]] = []
    filters.per_page = 200
    filters.page = 1
    while len(rows) < limit:
        page, _total = await list_orders(user, filters)
        for r in page:
            rows.append(
                (
                    r["number"],
                    r["partner_code"],
                    r["partner_name"],
                    status_label(r["status"]),
                    to_local(r["submitted_at"]),
                    r["line_count"],
                    yuan(r["total_amount"]),
                    r["currency"],
                    r["end_customer_name"],
                    r["submitted_by_name"],
                )
            )
        if len(page) < filters.per_page:
            break
        filters.page += 1
    header = (
        "number",
        "partner_code",
        "partner",
        "status",
        "submitted_at",
        "lines",
        "total",
        "currency",
        "end_customer",
        "submitted_by",
    )
    return workbook([("orders", header, rows)])


__all__ = ["KINDS", "XLSX_TYPE", "orders_xlsx", "prices_xlsx", "products_xlsx", "stock_xlsx"]
