"""Demo catalog, prices, stock and orders for `portal demo-data` (idempotent: existing rows are
kept; orders carry fixed idempotency keys, so a second run places nothing new)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.auth.tables import User
from portal.orders import catalog, prices, services
from portal.orders.access import get_order_for_user
from portal.orders.tables import Category, PriceList, Product, QuantityBreak, StockLevel, Warehouse
from portal.partners.tables import Partner, Tier

CATEGORIES = [
    ("CAM", "网络摄像机", "IP cameras", 1),
    ("NVR", "网络录像机", "Video recorders", 2),
    ("NET", "网络交换机", "Network switches", 3),
    ("ACS", "门禁考勤", "Access control", 4),
    ("ACC", "配件", "Accessories", 5),
]
WAREHOUSES = [("BJ", "北京仓", "北京"), ("GZ", "广州仓", "广州"), ("SH", "上海中心仓", "上海")]

# sku, category, 中文名, English name, unit, list price (yuan), min qty, pack, display, stock {wh: n}
PRODUCTS: list[tuple[Any, ...]] = [
    (
        "IPC-2120",
        "CAM",
        "200万像素红外筒型网络摄像机",
        "2MP IR bullet IP camera",
        "台",
        399,
        1,
        1,
        "bands",
        {"SH": 420, "GZ": 180, "BJ": 90},
    ),
    (
        "IPC-2140",
        "CAM",
        "400万像素红外筒型网络摄像机",
        "4MP IR bullet IP camera",
        "台",
        599,
        1,
        1,
        "bands",
        {"SH": 260, "GZ": 75},
    ),
    (
        "IPC-2180",
        "CAM",
        "800万像素4K筒型网络摄像机",
        "8MP 4K bullet IP camera",
        "台",
        1299,
        1,
        1,
        "exact",
        {"SH": 36, "BJ": 12},
    ),
    (
        "IPC-3240",
        "CAM",
        "400万像素半球网络摄像机",
        "4MP dome IP camera",
        "台",
        549,
        1,
        1,
        "bands",
        {"SH": 8, "GZ": 4},
    ),
    (
        "IPC-3280",
        "CAM",
        "800万像素星光半球摄像机",
        "8MP starlight dome camera",
        "台",
        1499,
        1,
        1,
        "exact",
        {"BJ": 18},
    ),
    (
        "IPC-5425",
        "CAM",
        "400万像素25倍变焦球机",
        "4MP 25x PTZ dome camera",
        "台",
        4680,
        1,
        1,
        "exact",
        {"SH": 14, "GZ": 6},
    ),
    (
        "IPC-5432",
        "CAM",
        "400万像素32倍激光球机",
        "4MP 32x laser PTZ camera",
        "台",
        8900,
        1,
        1,
        "exact",
        {},
    ),
    (
        "IPC-F120",
        "CAM",
        "200万像素鱼眼全景摄像机",
        "2MP fisheye panoramic camera",
        "台",
        899,
        1,
        1,
        "bands",
        {"SH": 55},
    ),
    (
        "IPC-W110",
        "CAM",
        "100万像素无线家用摄像机",
        "1MP Wi-Fi home camera",
        "台",
        159,
        10,
        10,
        "bands",
        {"GZ": 1200, "SH": 800},
    ),
    (
        "NVR-4104",
        "NVR",
        "4路网络硬盘录像机",
        "4-channel NVR",
        "台",
        699,
        1,
        1,
        "bands",
        {"SH": 140, "GZ": 60},
    ),
    (
        "NVR-4108",
        "NVR",
        "8路网络硬盘录像机",
        "8-channel NVR",
        "台",
        999,
        1,
        1,
        "bands",
        {"SH": 95, "BJ": 40},
    ),
    (
        "NVR-4216",
        "NVR",
        "16路双盘位网络硬盘录像机",
        "16-channel 2-bay NVR",
        "台",
        1899,
        1,
        1,
        "exact",
        {"SH": 30},
    ),
    (
        "NVR-4432",
        "NVR",
        "32路四盘位网络硬盘录像机",
        "32-channel 4-bay NVR",
        "台",
        4299,
        1,
        1,
        "exact",
        {"BJ": 7},
    ),
    (
        "NVR-8864",
        "NVR",
        "64路八盘位存储服务器",
        "64-channel 8-bay storage server",
        "台",
        12800,
        1,
        1,
        "exact",
        {"SH": 3},
    ),
    (
        "SW-1008P",
        "NET",
        "8口百兆PoE交换机",
        "8-port 100M PoE switch",
        "台",
        329,
        1,
        1,
        "bands",
        {"SH": 300, "GZ": 150},
    ),
    (
        "SW-1016P",
        "NET",
        "16口百兆PoE交换机",
        "16-port 100M PoE switch",
        "台",
        699,
        1,
        1,
        "bands",
        {"SH": 120},
    ),
    (
        "SW-2024G",
        "NET",
        "24口千兆网管交换机",
        "24-port gigabit managed switch",
        "台",
        1680,
        1,
        1,
        "exact",
        {"SH": 25, "BJ": 10},
    ),
    (
        "SW-3048X",
        "NET",
        "48口千兆万兆上联核心交换机",
        "48-port gigabit core switch, 10G uplinks",
        "台",
        6800,
        1,
        1,
        "exact",
        {"BJ": 2},
    ),
    (
        "ACS-F210",
        "ACS",
        "人脸识别门禁一体机",
        "Face recognition access terminal",
        "台",
        2380,
        1,
        1,
        "exact",
        {"SH": 22},
    ),
    (
        "ACS-C110",
        "ACS",
        "IC卡门禁控制器（单门）",
        "IC card door controller (1 door)",
        "台",
        560,
        1,
        1,
        "bands",
        {"GZ": 65},
    ),
    (
        "ACS-T300",
        "ACS",
        "指纹考勤机",
        "Fingerprint time attendance",
        "台",
        780,
        1,
        1,
        "bands",
        {"SH": 0},
    ),
    (
        "ACC-HDD4T",
        "ACC",
        "4TB 监控专用硬盘",
        "4TB surveillance hard disk",
        "块",
        599,
        1,
        1,
        "bands",
        {"SH": 500, "GZ": 200, "BJ": 100},
    ),
    (
        "ACC-HDD8T",
        "ACC",
        "8TB 监控专用硬盘",
        "8TB surveillance hard disk",
        "块",
        1199,
        1,
        1,
        "bands",
        {"SH": 160},
    ),
    (
        "ACC-BRK01",
        "ACC",
        "壁装支架",
        "Wall mount bracket",
        "个",
        39,
        20,
        20,
        "bands",
        {"SH": 3000, "GZ": 2000},
    ),
    (
        "ACC-JB01",
        "ACC",
        "防水接线盒",
        "Waterproof junction box",
        "个",
        29,
        20,
        20,
        "bands",
        {"GZ": 1600},
    ),
    (
        "ACC-PSU12",
        "ACC",
        "12V 2A 电源适配器",
        "12V 2A power adapter",
        "个",
        25,
        50,
        50,
        "bands",
        {"SH": 5000},
    ),
    (
        "ACC-CAT6",
        "ACC",
        "六类网线（305米/箱）",
        "Cat 6 cable (305 m box)",
        "箱",
        460,
        1,
        1,
        "bands",
        {"SH": 80, "BJ": 30},
    ),
    (
        "ACC-SD128",
        "ACC",
        "128GB 监控存储卡",
        "128GB surveillance microSD",
        "张",
        89,
        10,
        10,
        "exact",
        {"GZ": 600},
    ),
    (
        "IPC-2100-OLD",
        "CAM",
        "100万像素筒型摄像机（停产）",
        "1MP bullet camera (discontinued)",
        "台",
        199,
        1,
        1,
        "bands",
        {"SH": 5},
    ),
]
INACTIVE = {"IPC-2100-OLD"}
SAFETY = {"IPC-3240": 20, "IPC-2180": 10, "NVR-4432": 5, "SW-3048X": 3, "NVR-8864": 2}
RESTOCK = {"IPC-5432": 21, "ACS-T300": 10, "IPC-3240": 7}  # days from today

PRICE_LISTS = [  # code, tier code, name, discount %
    ("PLAT-2026", "platinum", "铂金价格表 2026", 2500),
    ("GOLD-2026", "gold", "金牌价格表 2026", 1800),
    ("SILVER-2026", "silver", "银牌价格表 2026", 1200),
    ("REG-2026", "registered", "注册伙伴价格表 2026", 500),
]
EXPLICIT = {
    "GOLD-2026": {"IPC-2140": 469_00, "NVR-4108": 789_00},
    "PLAT-2026": {"IPC-2140": 429_00},
}
CONTRACTS = [  # partner key, sku, yuan, days valid
    ("A", "IPC-5425", 3580, 200),
    ("A", "SW-2024G", 1250, 120),
    ("C", "NVR-4432", 3100, 365),
]
BREAKS = [(None, 100, 300), ("ACC-HDD4T", 50, 500), ("IPC-W110", 200, 800)]

# key, partner key, buyer e-mail, lines, what happens afterwards
ORDERS: list[tuple[str, str, str, dict[str, int], str]] = [
    (
        "demo-A-1",
        "A",
        "alice@partner-a.demo",
        {"IPC-2140": 40, "NVR-4108": 5, "ACC-HDD4T": 10},
        "delivered",
    ),
    ("demo-A-2", "A", "alice@partner-a.demo", {"IPC-5425": 2, "SW-2024G": 1}, "shipped"),
    (
        "demo-A-3",
        "A",
        "alice@partner-a.demo",
        {"IPC-2120": 30, "ACC-BRK01": 40},
        "partially_shipped",
    ),
    ("demo-A-4", "A", "alice@partner-a.demo", {"IPC-3240": 4, "ACC-JB01": 20}, "approved"),
    ("demo-A-5", "A", "alice@partner-a.demo", {"SW-1008P": 6, "ACC-CAT6": 2}, "submitted"),
    ("demo-A-6", "A", "alice@partner-a.demo", {"ACS-F210": 3}, "rejected"),
    ("demo-A-7", "A", "alice@partner-a.demo", {"IPC-W110": 20}, "cancelled"),
    (
        "demo-B-1",
        "B",
        "dave@partner-b.demo",
        {"IPC-2120": 50, "NVR-4104": 10, "ACC-HDD4T": 20},
        "delivered",
    ),
    ("demo-B-2", "B", "carol@partner-b.demo", {"IPC-W110": 200}, "approved"),
    ("demo-B-3", "B", "dave@partner-b.demo", {"SW-1016P": 4, "ACC-PSU12": 100}, "submitted"),
    ("demo-B-4", "B", "carol@partner-b.demo", {"NVR-4216": 2}, "cancelled"),
]
PARTNER_NAMES = {
    "A": "华东智联科技有限公司",
    "B": "岭南优品贸易有限公司",
    "C": "北京恒信达商贸有限公司",
}


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
                admin, None, {"code": code, "name_zh": zh, "name_en": en, "position": position}
            )
    categories = {c["code"]: c["id"] for c in await Category.select(Category.id, Category.code)}
    for code, name, city in WAREHOUSES:
        if not await Warehouse.exists().where(Warehouse.code == code):
            await catalog.save_warehouse(
                admin, None, {"code": code, "name": name, "city": city, "is_active": True}
            )
    warehouses = {w["code"]: w["id"] for w in await Warehouse.select(Warehouse.id, Warehouse.code)}
    today = prices.today()
    for sku, category, zh, en, unit, price, min_qty, pack, display, levels in PRODUCTS:
        if await Product.exists().where(Product.sku == sku):
            continue
        product_id = await catalog.save_product(
            admin,
            None,
            {
                "sku": sku,
                "name_zh": zh,
                "name_en": en,
                "category_id": categories[category],
                "unit": unit,
                "list_price_amount": price * 100,
                "min_order_quantity": min_qty,
                "pack_size": pack,
                "is_active": sku not in INACTIVE,
                "stock_display": display,
                "description_zh": f"{zh}，适用于商业与园区监控项目。",
                "description_en": f"{en} for commercial and campus projects.",
                "image_url": "",
                "restock_on": today + dt.timedelta(days=RESTOCK[sku]) if sku in RESTOCK else None,
            },
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
                from portal.orders.stock import ensure_level

                await ensure_level(product_id, warehouses[code])
    tiers = {t["code"]: t["id"] for t in await Tier.select(Tier.id, Tier.code)}
    for code, tier, name, bp in PRICE_LISTS:
        if await PriceList.exists().where(PriceList.code == code) or tier not in tiers:
            continue
        price_list_id = await prices.save_price_list(
            admin,
            None,
            {
                "code": code,
                "name": name,
                "tier_id": tiers[tier],
                "discount_bp": bp,
                "valid_from": dt.date(today.year, 1, 1),
                "valid_until": None,
                "is_active": True,
            },
        )
        for sku, amount in EXPLICIT.get(code, {}).items():
            await prices.set_price_list_item(admin, price_list_id, sku, amount)
    partners = await _partner_ids()
    if not await prices.list_contract_prices():
        for key, sku, yuan, days in CONTRACTS:
            if key in partners:
                await prices.add_contract_price(
                    admin,
                    {
                        "partner_id": partners[key],
                        "sku": sku,
                        "price_amount": yuan * 100,
                        "valid_from": today,
                        "valid_until": today + dt.timedelta(days=days),
                        "note": f"HT-{today.year}-{key}",
                    },
                )
    if not await QuantityBreak.count():
        for sku, min_quantity, bp in BREAKS:
            await prices.add_quantity_break(
                admin, {"sku": sku or "", "min_quantity": min_quantity, "discount_bp": bp}
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
