"""Catalog, price and order factories with sensible defaults (ids back, like tests/factories)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.lib.clock import now
from portal.orders import services
from portal.orders.tables import (
    Category,
    ContractPrice,
    PriceList,
    PriceListItem,
    Product,
    QuantityBreak,
    StockLevel,
    Warehouse,
)
from tests.factories import tier_id

_seq = itertools.count(1)


async def make_warehouse(code: str = "SH", name: str = "上海仓 Shanghai") -> int:
    existing = await Warehouse.select(Warehouse.id).where(Warehouse.code == code).first()
    if existing:
        return int(existing["id"])
    rows = await Warehouse.insert(
        Warehouse(code=code, name=name, city="", is_active=True, created_at=now())
    ).returning(Warehouse.id)
    return int(rows[0]["id"])


async def make_category(
    code: str = "NET", name_zh: str = "网络设备", name_en: str = "Networking"
) -> int:
    existing = await Category.select(Category.id).where(Category.code == code).first()
    if existing:
        return int(existing["id"])
    rows = await Category.insert(
        Category(code=code, name_zh=name_zh, name_en=name_en, position=0)
    ).returning(Category.id)
    return int(rows[0]["id"])


async def make_product(
    sku: str | None = None,
    *,
    price: int = 100_00,
    stock: int | dict[str, int] | None = 100,
    safety_stock: int = 0,
    **overrides: Any,
) -> int:
    """A product priced `price` fen with `stock` units in warehouse SH (or {code: units})."""
    n = next(_seq)
    moment = now()
    data: dict[str, Any] = {
        "sku": sku or f"SKU-{n:04d}",
        "name_zh": f"测试产品 {n}",
        "name_en": f"Test product {n}",
        "unit": "pcs",
        "list_price_amount": price,
        "min_order_quantity": 1,
        "pack_size": 1,
        "is_active": True,
        "stock_display": "exact",
        "created_at": moment,
        "updated_at": moment,
    }
    data.update(overrides)
    rows = await Product.insert(Product(**data)).returning(Product.id)
    product_id = int(rows[0]["id"])
    if stock is not None:
        for code, units in ({"SH": stock} if isinstance(stock, int) else stock).items():
            await StockLevel.insert(
                StockLevel(
                    product=product_id,
                    warehouse=await make_warehouse(code),
                    on_hand=units,
                    reserved=0,
                    safety_stock=safety_stock,
                    updated_at=moment,
                )
            )
    return product_id


async def make_price_list(
    tier: str = "gold",
    discount_bp: int = 1000,
    items: dict[str, int] | None = None,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    code: str | None = None,
) -> int:
    moment = now()
    rows = await PriceList.insert(
        PriceList(
            code=code or f"PL-{tier}-{next(_seq)}",
            name=f"{tier} list",
            tier=await tier_id(tier),
            discount_bp=discount_bp,
            valid_from=valid_from,
            valid_until=valid_until,
            is_active=True,
            created_at=moment,
            updated_at=moment,
        )
    ).returning(PriceList.id)
    price_list_id = int(rows[0]["id"])
    for sku, amount in (items or {}).items():
        product = await Product.select(Product.id).where(Product.sku == sku).first()
        await PriceListItem.insert(
            PriceListItem(price_list=price_list_id, product=product["id"], price_amount=amount)
        )
    return price_list_id


async def make_contract(
    partner_id: int,
    sku: str,
    amount: int,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> int:
    product = await Product.select(Product.id).where(Product.sku == sku).first()
    rows = await ContractPrice.insert(
        ContractPrice(
            partner=partner_id,
            product=product["id"],
            price_amount=amount,
            valid_from=valid_from,
            valid_until=valid_until,
            created_at=now(),
        )
    ).returning(ContractPrice.id)
    return int(rows[0]["id"])


async def make_break(sku: str | None, min_quantity: int, discount_bp: int) -> int:
    product_id = None
    if sku:
        product = await Product.select(Product.id).where(Product.sku == sku).first()
        product_id = product["id"]
    rows = await QuantityBreak.insert(
        QuantityBreak(
            product=product_id, min_quantity=min_quantity, discount_bp=discount_bp, created_at=now()
        )
    ).returning(QuantityBreak.id)
    return int(rows[0]["id"])


async def place(user: CurrentUser, lines: dict[str, int], **kwargs: Any) -> services.Placed:
    """Place an order of {sku: quantity} as `user`."""
    return await services.place_order(
        user, [services.LineRequest(sku, q) for sku, q in lines.items()], **kwargs
    )


async def stock_of(sku: str, warehouse: str = "SH") -> tuple[int, int]:
    """(on hand, reserved) of a SKU in a warehouse."""
    row = (
        await StockLevel.select(StockLevel.on_hand, StockLevel.reserved)
        .where((StockLevel.product.sku == sku) & (StockLevel.warehouse.code == warehouse))
        .first()
    )
    return (row["on_hand"], row["reserved"]) if row else (0, 0)
