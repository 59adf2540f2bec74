"""Data for the order benchmarks, written into the database DATABASE_URL points at.

    DATABASE_URL=... python -m bench.orders_data pages --skus 5000 --orders 100000
    DATABASE_URL=... python -m bench.orders_data oversell --clients 64 --stock 10 --out tokens.json

`pages` adds a catalog of N SKUs (stock in three warehouses, a price list per tier, contract
prices, volume breaks) and N closed orders (1-3 lines each) for the demo partner A, in bulk
inserts (run `portal demo-data` first for the users). `oversell` adds one partner per 8 clients
with a purchasing user and an API token per client, a hot SKU with the given stock and a
plentiful SKU; it writes the tokens to a JSON file for bench/orders_oversell.py.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import time
from pathlib import Path
from typing import Any

from portal.auth.constants import Role
from portal.auth.schemas import CurrentUser
from portal.lib.clock import now

BATCH = 500
WAREHOUSES = (("SH", "上海仓"), ("GZ", "广州仓"), ("BJ", "北京仓"))
NOUNS = [
    ("网络摄像机", "IP camera"),
    ("半球摄像机", "dome camera"),
    ("球机", "PTZ camera"),
    ("录像机", "video recorder"),
    ("交换机", "switch"),
    ("硬盘", "hard disk"),
    ("门禁机", "access terminal"),
    ("支架", "bracket"),
    ("电源", "power supply"),
    ("网线", "network cable"),
]


async def _warehouses() -> dict[str, int]:
    from portal.orders.tables import Warehouse

    for code, name in WAREHOUSES:
        if not await Warehouse.exists().where(Warehouse.code == code):
            await Warehouse.insert(
                Warehouse(code=code, name=name, city="", is_active=True, created_at=now())
            )
    return {w["code"]: w["id"] for w in await Warehouse.select(Warehouse.id, Warehouse.code)}


async def catalog(skus: int, prefix: str = "B") -> list[int]:
    """`skus` active products with stock in three warehouses, tier price lists and some rules."""
    from portal.orders.tables import (
        Category,
        ContractPrice,
        PriceList,
        PriceListItem,
        Product,
        QuantityBreak,
        StockLevel,
    )
    from portal.partners.tables import Partner, Tier

    rng = random.Random(7)
    moment = now()
    if not await Category.exists().where(Category.code == "BENCH"):
        await Category.insert(
            Category(code="BENCH", name_zh="基准测试", name_en="Benchmark", position=99)
        )
    category = (await Category.select(Category.id).where(Category.code == "BENCH").first())["id"]
    warehouses = await _warehouses()
    for start in range(0, skus, BATCH):
        rows = []
        for n in range(start, min(start + BATCH, skus)):
            zh, en = NOUNS[n % len(NOUNS)]
            rows.append(
                Product(
                    sku=f"{prefix}-{n:05d}",
                    name_zh=f"{zh} {n} 型",
                    name_en=f"{en} model {n}",
                    category=category,
                    unit="台",
                    list_price_amount=rng.randrange(20_00, 20_000_00, 100),
                    currency="CNY",
                    min_order_quantity=1,
                    pack_size=1,
                    is_active=True,
                    stock_display="exact" if n % 3 else "bands",
                    created_at=moment,
                    updated_at=moment,
                )
            )
        await Product.insert(*rows)
    ids = [
        r["id"]
        for r in await Product.select(Product.id)
        .where(Product.sku.like(f"{prefix}-%"))
        .order_by(Product.id)
    ]
    levels = []
    for n, product_id in enumerate(ids):
        for code, warehouse_id in warehouses.items():
            on_hand = 0 if n % 17 == 0 else rng.randrange(0, 500)
            levels.append(
                StockLevel(
                    product=product_id,
                    warehouse=warehouse_id,
                    on_hand=on_hand,
                    reserved=0,
                    safety_stock=10 if code == "SH" else 0,
                    updated_at=moment,
                )
            )
    for start in range(0, len(levels), BATCH):
        await StockLevel.insert(*levels[start : start + BATCH])
    tiers = {t["code"]: t["id"] for t in await Tier.select(Tier.id, Tier.code)}
    for code, bp in (("platinum", 2500), ("gold", 1800), ("silver", 1200), ("registered", 500)):
        list_code = f"BENCH-{code.upper()}"
        if await PriceList.exists().where(PriceList.code == list_code):
            continue
        rows = await PriceList.insert(
            PriceList(
                code=list_code,
                name=list_code,
                tier=tiers[code],
                discount_bp=bp,
                is_active=True,
                created_at=moment,
                updated_at=moment,
            )
        ).returning(PriceList.id)
        items = [
            PriceListItem(
                price_list=rows[0]["id"],
                product=p,
                price_amount=rng.randrange(10_00, 9_000_00, 100),
            )
            for p in ids[::25]
        ]
        for start in range(0, len(items), BATCH):
            await PriceListItem.insert(*items[start : start + BATCH])
    partner = await Partner.select(Partner.id).order_by(Partner.id).first()
    if partner:
        await ContractPrice.insert(
            *[
                ContractPrice(
                    partner=partner["id"],
                    product=p,
                    price_amount=rng.randrange(10_00, 5_000_00, 100),
                    valid_until=dt.date.today() + dt.timedelta(days=365),
                    created_at=moment,
                )
                for p in ids[::50]
            ]
        )
    await QuantityBreak.insert(
        QuantityBreak(product=None, min_quantity=100, discount_bp=300, created_at=moment)
    )
    return ids


async def bulk_insert(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Many rows at once, below the ORM (Piccolo builds an object per row: ~1 ms each): sqlite3's
    executemany on SQLite, COPY on PostgreSQL."""
    from portal.db import engine, is_sqlite
    from portal.settings import get_settings

    if is_sqlite():
        import sqlite3

        def write() -> None:
            with sqlite3.connect(
                get_settings().database_url.split(":///", 1)[1], timeout=30
            ) as conn:
                marks = ", ".join("?" for _ in columns)
                names = ", ".join(f'"{c}"' for c in columns)
                conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)

        await asyncio.to_thread(write)
        return
    pool = engine().pool  # type: ignore[attr-defined]
    async with pool.acquire() as conn:
        await conn.copy_records_to_table(table, columns=columns, records=rows)


async def orders(partner_email: str, count: int, product_ids: list[int]) -> None:
    """`count` closed orders (delivered, some cancelled or rejected) with 1-3 lines each, spread
    over the last two years, submitted by the user with `partner_email`."""
    from portal.auth.tables import User
    from portal.db import is_sqlite
    from portal.orders.tables import Order, Product

    user = await User.select(User.id, User.partner).where(User.email == partner_email).first()
    assert user and user["partner"], f"{partner_email} is not a partner user (run portal demo-data)"
    skus = {r["id"]: r["sku"] for r in await Product.select(Product.id, Product.sku)}
    rng = random.Random(11)
    start_at = now() - dt.timedelta(days=730)
    step = dt.timedelta(days=730) / max(count, 1)
    last = await Order.select(Order.id).order_by(Order.id, ascending=False).first()
    first_id = (last["id"] if last else 0) + 1
    sqlite = is_sqlite()

    def stamp(value: dt.datetime | None) -> Any:
        # sqlite3 stores what it is given: write the ISO text Piccolo writes and reads back.
        return str(value) if sqlite and value is not None else value

    headers: list[tuple[Any, ...]] = []
    lines: list[tuple[Any, ...]] = []
    for n in range(count):
        order_id = first_id + n
        at = start_at + step * n
        status = "delivered" if n % 20 else ("cancelled" if n % 40 else "rejected")
        total = 0
        picked = rng.sample(product_ids, rng.randint(1, 3))
        for line_no, product_id in enumerate(picked, start=1):
            quantity, unit = rng.randint(1, 50), rng.randrange(10_00, 5_000_00, 100)
            total += quantity * unit
            lines.append(
                (
                    order_id,
                    line_no,
                    product_id,
                    skus[product_id],
                    "基准产品",
                    "Bench product",
                    "台",
                    quantity,
                    quantity if status == "delivered" else 0,
                    unit,
                    unit,
                    quantity * unit,
                    "tier_discount",
                    "gold",
                    0,
                    0,
                )
            )
        headers.append(
            (
                order_id,
                f"SO-{at:%Y}-B{order_id:07d}",
                user["partner"],
                user["id"],
                status,
                "CNY",
                total,
                len(picked),
                "gold",
                "",
                "",
                "",
                "",
                "",
                "",
                stamp(at),
                stamp(at),
                stamp(at if status == "delivered" else None),
            )
        )
    await bulk_insert(
        "partner_order",
        [
            "id",
            "number",
            "partner",
            "submitted_by",
            "status",
            "currency",
            "total_amount",
            "line_count",
            "tier_code",
            "note",
            "delivery_address",
            "end_customer_name",
            "request_hash",
            "reject_reason",
            "cancel_reason",
            "submitted_at",
            "updated_at",
            "delivered_at",
        ],
        headers,
    )
    await bulk_insert(
        "order_line",
        [
            "order",
            "line_no",
            "product",
            "sku",
            "name_zh",
            "name_en",
            "unit",
            "quantity",
            "shipped_quantity",
            "list_price_amount",
            "unit_price_amount",
            "line_amount",
            "price_rule",
            "tier_code",
            "price_discount_bp",
            "break_discount_bp",
        ],
        lines,
    )
    if not sqlite:  # explicit ids: move the sequence past them
        await Order.raw(
            "SELECT setval(pg_get_serial_sequence('partner_order', 'id'), (SELECT MAX(id) FROM partner_order))"
        )


async def analyze() -> None:
    """Planner statistics after a bulk load, as a database in service has them (PostgreSQL's
    autovacuum gathers them on its own after a while; SQLite only when asked)."""
    from portal.db import engine, is_sqlite
    from portal.orders.tables import Order

    if is_sqlite():
        await Order.raw("ANALYZE")
        return
    async with engine().pool.acquire() as conn:  # type: ignore[attr-defined]
        await conn.execute("VACUUM ANALYZE")  # VACUUM cannot run inside a transaction block


async def oversell_setup(clients: int, stock: int, out: str) -> None:
    """Partners (8 clients each) with purchasing users, one API token per client, a HOT SKU with
    `stock` units and a PLENTY SKU with 1,000,000."""
    from portal.auth.services import create_user
    from portal.auth.sessions import create_api_token
    from portal.orders.tables import Product, StockLevel
    from portal.partners.schemas import NewPartner
    from portal.partners.services import create_partner, ensure_default_tiers, tier_by_code

    await ensure_default_tiers()
    gold = await tier_by_code("gold")
    warehouses = await _warehouses()
    moment = now()
    for sku, units in (("HOT-1", stock), ("PLENTY-1", 1_000_000)):
        rows = await Product.insert(
            Product(
                sku=sku,
                name_zh=sku,
                name_en=sku,
                unit="台",
                list_price_amount=100_00,
                stock_display="exact",
                created_at=moment,
                updated_at=moment,
            )
        ).returning(Product.id)
        await StockLevel.insert(
            StockLevel(
                product=rows[0]["id"],
                warehouse=warehouses["SH"],
                on_hand=units,
                reserved=0,
                updated_at=moment,
            )
        )
    tokens = []
    partner_id = 0
    for n in range(clients):
        if n % 8 == 0:
            partner_id = await create_partner(
                None,
                NewPartner(
                    name=f"压测伙伴 {n // 8}",
                    kind="dealer",
                    tier_id=gold["id"],
                    province="SH",
                    credit_limit_amount=10**13,
                    tier_reason="bench",
                ),
            )
        email = f"buyer{n}@bench.test"
        user_id = await create_user(
            email=email,
            name=f"Buyer {n}",
            password="bench-password-123",
            role=Role.PARTNER_ADMIN,
            partner_id=partner_id,
        )
        user = CurrentUser(
            id=user_id,
            email=email,
            name=f"Buyer {n}",
            role=Role.PARTNER_ADMIN,
            partner_id=partner_id,
        )
        tokens.append(await create_api_token(user, "bench"))
    await asyncio.to_thread(Path(out).write_text, json.dumps(tokens))


async def _main(args: argparse.Namespace) -> None:
    from portal.db import close_pool, start_pool
    from portal.partners.setup import migrate_database

    await start_pool()
    try:
        await migrate_database(quiet=True)
        started = time.perf_counter()
        if args.command == "pages":
            ids = await catalog(args.skus)
            print(f"{len(ids)} products in {time.perf_counter() - started:.1f} s", flush=True)
            await orders(args.partner_email, args.orders, ids)
            print(f"{args.orders} orders in {time.perf_counter() - started:.1f} s", flush=True)
            await analyze()
        else:
            await oversell_setup(args.clients, args.stock, args.out)
    finally:
        await close_pool()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    pages = sub.add_parser("pages")
    pages.add_argument("--skus", type=int, default=5000)
    pages.add_argument("--orders", type=int, default=100_000)
    pages.add_argument("--partner-email", default="alice@partner-a.demo")
    oversell = sub.add_parser("oversell")
    oversell.add_argument("--clients", type=int, default=64)
    oversell.add_argument("--stock", type=int, default=10)
    oversell.add_argument("--out", required=True)
    asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    main()
