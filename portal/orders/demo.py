"""Demo catalog, prices, stock and orders for `portal demo-data` (idempotent: existing rows are
kept; orders carry fixed idempotency keys, so a second run places nothing new)."""

from __future__ import annotations

import datetime as dt

from portal.auth.schemas import CurrentUser
from portal.auth.tables import User
from portal.lib import clock
from portal.orders import catalog, price_rules, services
from portal.orders.access import get_order_for_user
from portal.orders.demo_catalog import (
    BREAKS,
    CATEGORIES,
    CONTRACTS,
    EXPLICIT,
    INACTIVE,
    ORDERS,
    PARTNER_NAMES,
    PRICE_LISTS,
    PRODUCTS,
    RESTOCK,
    SAFETY,
    WAREHOUSES,
)
from portal.orders.schemas import (
    CategoryForm,
    ContractPriceData,
    PriceListData,
    ProductData,
    QuantityBreakData,
    WarehouseForm,
)
from portal.orders.stock import ensure_level
from portal.orders.tables import Category, PriceList, Product, QuantityBreak, StockLevel, Warehouse
from portal.partners.tables import Partner, Tier


async def _actor(email: str) -> CurrentUser | None:
    row = (
        await User.select(
            User.id,
            User.email,
            User.name,
            User.role,
            User.partner,
            User.can_sales,
            User.can_purchasing,
            User.locale,
        )
        .where(User.email == email)
        .first()
    )
    if row is None:
        return None
    return CurrentUser(
        id=row["id"],
        email=row["email"],
        name=row["name"],
        role=row["role"],
        partner_id=row["partner"],
        can_sales=row["can_sales"],
        can_purchasing=row["can_purchasing"],
        locale=row["locale"],
    )


async def _partner_ids() -> dict[str, int]:
    rows = await Partner.select(Partner.id, Partner.name).where(
        Partner.name.is_in(list(PARTNER_NAMES.values()))
    )
    by_name = {r["name"]: r["id"] for r in rows}
    return {key: by_name[name] for key, name in PARTNER_NAMES.items() if name in by_name}


async def load_catalog(admin: CurrentUser) -> dict[str, int]:
    """Categories, warehouses, products with stock, price lists, contracts and breaks."""
    created = {"products": 0, "orders": 0}
    for code, zh, en, position in CATEGORIES:
        if not await Category.exists().where(Category.code == code):
            await catalog.save_category(
                admin, None, CategoryForm(code=code, name_zh=zh, name_en=en, position=position)
            )
    categories = {c["code"]: c["id"] for c in await Category.select(Category.id, Category.code)}
    for code, name, city in WAREHOUSES:
        if not await Warehouse.exists().where(Warehouse.code == code):
            await catalog.save_warehouse(
                admin, None, WarehouseForm(code=code, name=name, city=city, is_active=True)
            )
    warehouses = {w["code"]: w["id"] for w in await Warehouse.select(Warehouse.id, Warehouse.code)}
    today = clock.today()
    for sku, category, zh, en, unit, price, min_qty, pack, display, levels in PRODUCTS:
        if await Product.exists().where(Product.sku == sku):
            continue
        product_id = await catalog.save_product(
            admin,
            None,
            ProductData(
                sku=sku,
                name_zh=zh,
                name_en=en,
                category_id=categories[category],
                unit=unit,
                list_price_amount=price * 100,
                min_order_quantity=min_qty,
                pack_size=pack,
                is_active=sku not in INACTIVE,
                stock_display=display,
                description_zh=f"{zh}，适用于商业与园区监控项目。",
                description_en=f"{en} for commercial and campus projects.",
                image_url="",
                restock_on=today + dt.timedelta(days=RESTOCK[sku]) if sku in RESTOCK else None,
            ),
        )
        created["products"] += 1
        for code, units in levels.items():
            await catalog.set_stock(
                admin,
                product_id,
                warehouses[code],
                units,
                safety_stock=SAFETY.get(sku, 0),
                note="Demo data",
                audited=False,
            )
        for code in ("SH", "GZ", "BJ"):  # a zero row where nothing is stocked keeps pages uniform
            if code not in levels and not await StockLevel.exists().where(
                (StockLevel.product == product_id) & (StockLevel.warehouse == warehouses[code])
            ):
                await ensure_level(product_id, warehouses[code])
    tiers = {t["code"]: t["id"] for t in await Tier.select(Tier.id, Tier.code)}
    for code, tier, name, bp in PRICE_LISTS:
        if await PriceList.exists().where(PriceList.code == code) or tier not in tiers:
            continue
        price_list_id = await price_rules.save_price_list(
            admin,
            None,
            PriceListData(
                code=code,
                name=name,
                tier_id=tiers[tier],
                discount_bp=bp,
                valid_from=dt.date(today.year, 1, 1),
                valid_until=None,
                is_active=True,
            ),
        )
        for sku, amount in EXPLICIT.get(code, {}).items():
            await price_rules.set_price_list_item(admin, price_list_id, sku, amount)
    partners = await _partner_ids()
    if not await price_rules.list_contract_prices():
        for key, sku, yuan, days in CONTRACTS:
            if key in partners:
                await price_rules.add_contract_price(
                    admin,
                    ContractPriceData(
                        partner_id=partners[key],
                        sku=sku,
                        price_amount=yuan * 100,
                        valid_from=today,
                        valid_until=today + dt.timedelta(days=days),
                        note=f"HT-{today.year}-{key}",
                    ),
                )
    if not await QuantityBreak.count():
        for sku, min_quantity, bp in BREAKS:
            await price_rules.add_quantity_break(
                admin, QuantityBreakData(sku=sku or "", min_quantity=min_quantity, discount_bp=bp)
            )
    return created


async def load_orders(admin: CurrentUser) -> int:
    """Orders of partners A and B in every status, placed and moved through the services."""
    placed_count = 0
    for key, _partner, email, lines, fate in ORDERS:
        buyer = await _actor(email)
        if buyer is None or not buyer.has("purchasing"):
            continue
        try:
            placed = await services.place_order(
                buyer,
                [services.LineRequest(sku, quantity) for sku, quantity in lines.items()],
                note="演示订单 Demo order",
                idempotency_key=key,
            )
        except services.OrderRefused:
            continue  # stock or credit changed since the demo was first loaded
        if placed.replayed:
            continue
        placed_count += 1
        order = await get_order_for_user(admin, placed.order_id)
        if fate == "rejected":
            await services.reject_order(admin, order, "该型号本月停止供货，请改订 ACS-F220。")
            continue
        if fate == "cancelled":
            await services.cancel_order(buyer, order, "下错型号 / Wrong model")
            continue
        if fate == "submitted":
            continue
        await services.approve_order(admin, order)
        if fate == "approved":
            continue
        order = await get_order_for_user(admin, placed.order_id)
        if fate == "partially_shipped":
            first = (await services.list_lines(placed.order_id))[0]
            await services.ship_order(
                admin,
                order,
                carrier="顺丰速运",
                tracking_number=f"SF{placed.order_id:010d}",
                quantities={first["id"]: first["quantity"] // 2},
            )
            continue
        await services.ship_order(
            admin, order, carrier="京东物流", tracking_number=f"JD{placed.order_id:010d}"
        )
        if fate == "delivered":
            await services.deliver_order(buyer, await get_order_for_user(admin, placed.order_id))
    return placed_count


async def load_orders_demo() -> dict[str, int]:
    """The whole orders demo; returns counts of what was created."""
    admin = await _actor("admin@vendor.demo")
    if admin is None:
        return {"products": 0, "orders": 0}
    created = await load_catalog(admin)
    created["orders"] = await load_orders(admin)
    return created
