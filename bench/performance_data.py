"""Data for the performance benchmarks: N partners (each with an admin), and order lines spread
over 24 months, bulk-inserted into the database DATABASE_URL points at, then the rollups.

    python -m bench.performance_data --database postgres --partners 1000 --lines 1000000

With --database it (re)creates its own database: portal_bench_performance on PostgreSQL, or
<tmp>/portal-bench-performance/bench.db on SQLite, runs the migrations and the demo data first,
and prints the DATABASE_URL and PORTAL_DATA_DIR to use with the other performance scripts.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PG_URL = "postgresql://postgres@127.0.0.1:5432/portal_bench_performance"
SQLITE_DIR = Path(tempfile.gettempdir()) / "portal-bench-performance"
ROOT = Path(__file__).resolve().parent.parent


def bench_env(database: str) -> dict[str, str]:
    """The environment the performance scripts run the portal with."""
    url = PG_URL if database == "postgres" else f"sqlite:///{SQLITE_DIR / 'bench.db'}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "PORTAL_DATA_DIR": str(SQLITE_DIR if database == "sqlite" else SQLITE_DIR / "pg"),
        "PORTAL_MODE": "demo",
        "ARGON2_PROFILE": "test",
        "RUN_JOBS_IN_PROCESS": "false",
        "LOG_LEVEL": "warning",
    }


def recreate(database: str) -> dict[str, str]:
    import shutil

    if database == "postgres":
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-q",
                "-c",
                "DROP DATABASE IF EXISTS portal_bench_performance WITH (FORCE)",
                "-c",
                "CREATE DATABASE portal_bench_performance",
            ],
            check=True,
            capture_output=True,
        )
        shutil.rmtree(SQLITE_DIR / "pg", ignore_errors=True)
    else:
        shutil.rmtree(SQLITE_DIR, ignore_errors=True)
    SQLITE_DIR.mkdir(parents=True, exist_ok=True)
    env = bench_env(database)
    env.pop("REDIS_URL", None)
    env.pop("SMTP_URL", None)
    subprocess.run(
        [sys.executable, "-m", "portal.cli", "migrate"],
        env=env,
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    return env


async def partners(count: int) -> list[int]:
    """`count` active partners over the tiers and provinces, each with one admin user."""
    from portal.auth.constants import Role
    from portal.auth.tables import User
    from portal.lib.clock import now
    from portal.partners.tables import Partner, Tier

    tiers = {t["code"]: t["id"] for t in await Tier.select(Tier.id, Tier.code)}
    ladder = ["platinum"] * 5 + ["gold"] * 20 + ["silver"] * 35 + ["registered"] * 40
    provinces = ["SH", "BJ", "GD", "JS", "ZJ", "SC", "HB", "SD", "FJ", "HN"]
    moment = now()
    existing = await Partner.count()
    rows = [
        Partner(
            code=f"B{existing + n:05d}",
            name=f"基准伙伴{existing + n:05d}有限公司",
            name_en=f"Bench partner {existing + n:05d}",
            kind="dealer" if n % 4 else "distributor",
            tier=tiers[ladder[n % len(ladder)]],
            province=provinces[n % len(provinces)],
            city="",
            joined_on=dt.date(2022, 1, 1),
            locale="zh_CN" if n % 5 else "en",
            created_at=moment,
            updated_at=moment,
        )
        for n in range(count)
    ]
    ids: list[int] = []
    for start in range(0, len(rows), 500):
        got = await Partner.insert(*rows[start : start + 500]).returning(Partner.id)
        ids.extend(int(r["id"]) for r in got)
    users = [
        User(
            email=f"admin{pid}@bench.test",
            name=f"管理员 {pid}",
            password_hash="!",
            role=Role.PARTNER_ADMIN,
            partner=pid,
            can_sales=True,
            can_purchasing=True,
            created_at=moment,
            password_changed_at=moment,
        )
        for pid in ids
    ]
    for start in range(0, len(users), 500):
        await User.insert(*users[start : start + 500])
    return ids


async def orders(partner_ids: list[int], lines_total: int, today: dt.date) -> tuple[int, int]:
    """About `lines_total` order lines (3 per order) over the 24 months before `today`; 90 % of
    orders delivered (approved before), the rest rejected or cancelled. Returns (orders, lines)."""
    from bench.orders_data import bulk_insert
    from portal.auth.tables import User
    from portal.db import is_sqlite
    from portal.orders.tables import Order, Product
    from portal.settings import get_settings

    products = [r["id"] for r in await Product.select(Product.id).limit(30)]
    if not products:
        from bench.orders_data import catalog

        products = await catalog(30, prefix="PB")
    users = {
        int(r["partner"]): int(r["id"])
        for r in await User.select(User.id, User.partner).where(User.partner.is_in(partner_ids))
    }
    sqlite = is_sqlite()
    zone = get_settings().tz
    rng = random.Random(6)
    weight = {pid: rng.uniform(0.2, 3.0) for pid in partner_ids}
    total_weight = sum(weight.values())
    order_count = lines_total // 3
    last = await Order.select(Order.id).order_by(Order.id, ascending=False).first()
    next_id = (last["id"] if last else 0) + 1
    start = dt.datetime.combine(today.replace(day=1), dt.time(), zone) - dt.timedelta(days=730)
    span = (dt.datetime.combine(today, dt.time(), zone) - start).total_seconds()

    def stamp(value: dt.datetime | None) -> Any:
        return str(value.astimezone(dt.UTC)) if sqlite and value is not None else value

    made_orders = made_lines = 0
    headers: list[tuple[Any, ...]] = []
    lines: list[tuple[Any, ...]] = []

    async def flush() -> None:
        await bulk_insert("partner_order", ORDER_COLUMNS, headers)
        await bulk_insert("order_line", LINE_COLUMNS, lines)
        headers.clear()
        lines.clear()

    for pid in partner_ids:
        share = int(order_count * weight[pid] / total_weight) + 1
        for _n in range(share):
            order_id = next_id
            next_id += 1
            at = start + dt.timedelta(seconds=rng.random() * span)
            status = "delivered" if rng.random() < 0.9 else rng.choice(("rejected", "cancelled"))
            total = 0
            for line_no in (1, 2, 3):
                quantity, unit = rng.randint(1, 20), rng.randrange(100_00, 3_000_00, 100)
                total += quantity * unit
                lines.append(
                    (
                        order_id,
                        line_no,
                        rng.choice(products),
                        "PB",
                        "基准产品",
                        "Bench product",
                        "台",
                        quantity,
                        quantity,
                        unit,
                        unit,
                        quantity * unit,
                        "tier_discount",
                        "gold",
                        0,
                        0,
                    )
                )
            decided = at + dt.timedelta(hours=3)
            headers.append(
                (
                    order_id,
                    f"SO-{at:%Y}-{order_id:06d}",
                    pid,
                    users[pid],
                    status,
                    "CNY",
                    total,
                    3,
                    "gold",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    stamp(at),
                    stamp(decided),
                    stamp(decided),
                    stamp(decided + dt.timedelta(days=3) if status == "delivered" else None),
                )
            )
            made_orders += 1
            made_lines += 3
            if len(headers) >= 20_000:
                await flush()
    await flush()
    if not sqlite:
        await Order.raw(
            "SELECT setval(pg_get_serial_sequence('partner_order', 'id'), "
            "(SELECT MAX(id) FROM partner_order))"
        )
    return made_orders, made_lines


ORDER_COLUMNS = [
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
    "decided_at",
    "updated_at",
    "delivered_at",
]
LINE_COLUMNS = [
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
]


async def load(partner_count: int, lines_total: int) -> None:
    from bench.orders_data import analyze
    from portal.db import close_pool, start_pool
    from portal.lib.clock import today as local_today
    from portal.performance import rollups

    await start_pool()
    try:
        t0 = time.perf_counter()
        ids = await partners(partner_count)
        made_orders, made_lines = await orders(ids, lines_total, local_today())
        t1 = time.perf_counter()
        print(
            f"inserted {partner_count:,} partners, {made_orders:,} orders, {made_lines:,} lines "
            f"in {t1 - t0:.1f} s",
            flush=True,
        )
        await analyze()
        t2 = time.perf_counter()
        rows = await rollups.refresh_rollups(rollups.recent_months(local_today(), 25))
        t3 = time.perf_counter()
        print(
            f"rollups: {rows:,} partner-months for 25 months in {t3 - t2:.2f} s "
            f"({(t3 - t2) / 25 * 1000:.0f} ms per month)",
            flush=True,
        )
    finally:
        await close_pool()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgres"),
        default=None,
        help="create a fresh bench database (otherwise use DATABASE_URL)",
    )
    parser.add_argument("--partners", type=int, default=1000)
    parser.add_argument("--lines", type=int, default=1_000_000)
    args = parser.parse_args()
    if args.database and os.environ.get("BENCH_CHILD") != "1":
        env = recreate(args.database)
        env["BENCH_CHILD"] = "1"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.performance_data",
                "--partners",
                str(args.partners),
                "--lines",
                str(args.lines),
            ],
            env=env,
            check=True,
            cwd=ROOT,
        )
        print(f"DATABASE_URL={env['DATABASE_URL']} PORTAL_DATA_DIR={env['PORTAL_DATA_DIR']}")
        return
    asyncio.run(load(args.partners, args.lines))


if __name__ == "__main__":
    main()
