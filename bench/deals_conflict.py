"""Speed of the deal conflict check against many registrations.

    .venv/bin/python -m bench.deals_conflict [--database sqlite|postgres] [--deals 200000] [--probes 2000]

Builds the demo data plus N submitted/approved deals (one to three product lines each, keys of
random customers: name, credit code, phone, e-mail domain) spread over the demo partners, in a
temporary folder (SQLite) or the database portal_bench_deals (PostgreSQL, dropped first), then
times `portal.deals.conflicts.conflicting_ids` (the query run at every submission) for probes
of which half name a registered customer (written another way) and one of its products; prints p50/p99/max in ms and
how many probes found a conflict.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.scratch import pg_url, recreate_pg_database, run_database

VENV_BIN = Path(sys.executable).parent
PG_DB = run_database("portal_bench_deals")  # unique per run: two runs never drop each other's data
PG_URL = pg_url(PG_DB)
DEAL_COLUMNS = [
    "id", "number", "partner", "name", "customer_name", "customer_key", "credit_code",
    "customer_phone", "phone_key", "customer_email", "email_domain", "status", "stage",
    "estimated_amount", "currency", "competitors", "note", "conflict", "decline_reason",
    "info_request", "extension_reason", "lost_reason", "submitted_at", "created_at",
    "updated_at",
]  # fmt: skip
LINE_COLUMNS = ["deal", "product", "sku", "quantity"]


def prepare(database: str) -> Path:
    data = Path(tempfile.mkdtemp(prefix="portal-bench-deals-"))
    url = f"sqlite:///{data / 'bench.db'}" if database == "sqlite" else PG_URL
    if database == "postgres":
        recreate_pg_database(PG_DB)  # this run's own, dropped at its end
    os.environ.update(
        {
            "PORTAL_DATA_DIR": str(data),
            "DATABASE_URL": url,
            "RUN_JOBS_IN_PROCESS": "false",
            "ARGON2_PROFILE": "test",
            "PORTAL_MODE": "demo",
            "LOG_LEVEL": "warning",
        }
    )
    os.environ.pop("REDIS_URL", None)
    print(f"Preparing {database}: demo data ...", flush=True)
    subprocess.run([str(VENV_BIN / "portal"), "demo-data"], check=True, capture_output=True)
    return data


def customer(rng: random.Random, n: int) -> dict[str, str]:
    return {
        "name": f"测试终端客户{n}号有限公司",
        "key": f"测试终端客户{n}号",
        "code": f"91{n:016d}"[:18],
        "phone": f"139{n:08d}",
        "domain": f"customer{n}.example",
    }


async def load(deals: int, seed: int = 11) -> tuple[list[int], list[tuple[int, str]], int]:
    from bench.orders_data import BATCH, analyze, bulk_insert
    from portal.deals.tables import Deal
    from portal.lib.clock import now
    from portal.orders.tables import Product
    from portal.partners.tables import Partner

    rng = random.Random(seed)
    partners = [int(p["id"]) for p in await Partner.select(Partner.id)]
    products = [(int(p["id"]), p["sku"]) for p in await Product.select(Product.id, Product.sku)]
    start = (
        int(
            (await Deal.select(Deal.id).order_by(Deal.id, ascending=False).first() or {"id": 0})[
                "id"
            ]
        )
        + 1
    )
    moment = now()
    rows: list[tuple[Any, ...]] = []
    lines: list[tuple[Any, ...]] = []
    for n in range(deals):
        deal_id = start + n
        c = customer(rng, n)
        rows.append(
            (deal_id, f"DR-2026-{deal_id:07d}", rng.choice(partners), f"项目 {n}", c["name"],
             c["key"], c["code"] if n % 3 == 0 else "", c["phone"], c["phone"],
             f"buyer@{c['domain']}", c["domain"], rng.choice(("submitted", "approved")),
             "qualified", 100_000_00, "CNY", "", "", False, "", "", "", "", moment, moment,
             moment)
        )  # fmt: skip
        for product_id, sku in rng.sample(products, rng.randint(1, 3)):
            lines.append((deal_id, product_id, sku, rng.randint(1, 100)))
        if len(rows) >= BATCH * 20:
            await bulk_insert("deal", DEAL_COLUMNS, rows)
            rows = []
    if rows:
        await bulk_insert("deal", DEAL_COLUMNS, rows)
    for i in range(0, len(lines), BATCH * 20):
        await bulk_insert("deal_line", LINE_COLUMNS, lines[i : i + BATCH * 20])
    await analyze()
    return partners, products, start


async def measure(deals: int, probes: int) -> None:
    from portal.db import close_pool, start_pool
    from portal.deals import matching
    from portal.deals.conflicts import conflicting_ids
    from portal.deals.tables import Deal, DealLine

    await start_pool()
    try:
        started = time.perf_counter()
        partners, products, start = await load(deals)
        print(f"loaded {deals:,} deals in {time.perf_counter() - started:.1f} s", flush=True)
        print(f"{await Deal.count():,} deals, {await DealLine.count():,} lines")
        rng = random.Random(3)
        timings: list[float] = []
        found = 0
        for i in range(probes):
            n = rng.randrange(deals) if i % 2 == 0 else deals + i  # half known customers
            c = customer(rng, n)
            name = c["name"].replace("有限公司", " 有限公司")  # written another way
            probe = {
                "id": -1,
                "partner": rng.choice(partners),
                "customer_key": matching.customer_key(name),
                "credit_code": "",
                "phone_key": matching.phone_key("+86 " + c["phone"]) if i % 4 == 0 else "",
                "email_domain": "",
            }
            product_ids = [p for p, _sku in rng.sample(products, 2)]
            if i % 2 == 0:  # a known customer: one of its registered products among the two
                known = await DealLine.select(DealLine.product).where(DealLine.deal == start + n)
                product_ids[0] = int(known[0]["product"])
            t0 = time.perf_counter()
            ids = await conflicting_ids(probe, product_ids)
            timings.append((time.perf_counter() - t0) * 1000)
            found += bool(ids)
        timings.sort()
        p50 = statistics.median(timings)
        p99 = timings[int(len(timings) * 0.99) - 1]
        print(
            f"\nconflict check over {deals:,} registrations, {probes:,} probes: "
            f"p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {timings[-1]:.2f} ms; "
            f"{found:,} probes found a conflict"
        )
    finally:
        await close_pool()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--deals", type=int, default=200_000)
    parser.add_argument("--probes", type=int, default=2000)
    args = parser.parse_args()
    data = prepare(args.database)
    try:
        asyncio.run(measure(args.deals, args.probes))
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
