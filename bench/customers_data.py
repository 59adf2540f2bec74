"""Bulk customer data for the customer benchmarks: one partner with N customers (each with one
contact person) and M contacts spread over two years, open follow-ups, tags and segments.

    DATABASE_URL=... .venv/bin/python -m bench.customers_data --customers 50000 --interactions 500000

Writes below the ORM (bench.orders_data.bulk_insert: executemany on SQLite, COPY on PostgreSQL)
and prints the ids of a typical customer and of the busiest one as JSON on the last line.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import time
from typing import Any

from bench.orders_data import analyze, bulk_insert

CHANNELS = (
    ["phone"] * 35
    + ["wechat"] * 30
    + ["visit"] * 12
    + ["email"] * 12
    + ["chat", "exhibition", "other"] * 3
)
SEGMENTS = ["high_value", "potential", "steady", "at_risk", "new", "dormant"]
TAGS = ["VIP", "2026 展会", "政府项目", "连锁", "老客户", "需要报价"]
CITIES = ["上海", "杭州", "苏州", "南京", "宁波", "无锡", "合肥", "广州", "深圳"]
WORDS = [
    "星河",
    "云帆",
    "恒达",
    "博远",
    "海润",
    "锦程",
    "新视界",
    "东方",
    "绿源",
    "天宇",
    "瑞丰",
    "仁济",
]
KINDS = ["科技有限公司", "贸易有限公司", "电子有限公司", "物流有限公司", "工程有限公司"]


async def generate(partner_email: str, customers: int, interactions: int) -> dict[str, int]:
    from portal.auth.tables import User
    from portal.customers.services import name_key
    from portal.customers.tables import Customer
    from portal.db import is_sqlite
    from portal.lib.clock import now

    user = await User.select(User.id, User.partner).where(User.email == partner_email).first()
    assert user and user["partner"], f"{partner_email} is not a partner user (run portal demo-data)"
    partner = user["partner"]
    owners = [r["id"] for r in await User.select(User.id).where(User.partner == partner)]
    rng = random.Random(5)
    sqlite = is_sqlite()
    moment = now()
    today = moment.date()

    def stamp(value: Any) -> Any:
        return str(value) if sqlite and value is not None else value

    last = await Customer.select(Customer.id).order_by(Customer.id, ascending=False).first()
    first_id = (last["id"] if last else 0) + 1
    per_customer = [0] * customers
    busiest = customers // 2
    # about ten contacts per customer, and one busy customer with a thousand more
    for _ in range(max(interactions - 1000, 0)):
        per_customer[rng.randrange(customers)] += 1
    per_customer[busiest] += 1000
    rows = []
    contacts = []
    for n in range(customers):
        cid = first_id + n
        name = f"{rng.choice(CITIES)}{rng.choice(WORDS)}{rng.choice(KINDS)} {n:05d}"
        created = moment - dt.timedelta(days=rng.randint(1, 900))
        last_contact = moment - dt.timedelta(days=rng.randint(0, 700)) if per_customer[n] else None
        followup = today + dt.timedelta(days=rng.randint(-20, 20)) if rng.random() < 0.2 else None
        phone = f"13{rng.randint(100000000, 999999999)}"
        tags = rng.sample(TAGS, rng.choice([0, 0, 1, 2]))
        rows.append(
            (
                cid,
                partner,
                "company",
                name,
                name_key(name),
                "制造业",
                "",
                "上海",
                rng.choice(CITIES),
                "other",
                rng.choice(owners),
                ("," + ",".join(tags) + ",") if tags else "",
                "",
                "联系人",
                phone,
                f"c{cid}@bench.cn",
                rng.choice(SEGMENTS),
                "",
                None,
                stamp(last_contact),
                followup,
                per_customer[n],
                0,
                rng.randrange(0, 500_000_00, 100),
                None,
                None,
                stamp(created),
                stamp(created),
            )
        )
        contacts.append(
            (cid, partner, "联系人", "", phone, phone, f"c{cid}@bench.cn", "", 0, stamp(created))
        )
    await bulk_insert(
        "customer",
        ["id", "partner", "kind", "name", "name_key", "industry", "size", "region", "city", "source",
         "owner", "tags", "notes", "contact_name", "contact_phone", "contact_email", "segment", "rfm",
         "segment_on", "last_contact_at", "next_followup_on", "interaction_count", "order_count",
         "revenue_amount", "last_order_at", "created_by_id", "created_at", "updated_at"],
        rows,
    )  # fmt: skip
    await bulk_insert(
        "customer_contact",
        ["customer", "partner", "name", "title", "phone", "phone_key", "email", "wechat", "position", "created_at"],
        contacts,
    )  # fmt: skip
    batch: list[tuple[Any, ...]] = []
    for n, count in enumerate(per_customer):
        for _ in range(count):
            at = moment - dt.timedelta(days=rng.random() * 730)
            owner = rng.choice(owners)
            fu = (at.date() + dt.timedelta(days=3)) if rng.random() < 0.1 else None
            batch.append(
                (first_id + n, partner, owner, "Bench", rng.choice(CHANNELS), "outbound", stamp(at),
                 "电话沟通报价事宜，客户要求下周回复。", "", fu, owner if fu else None,
                 stamp(at + dt.timedelta(days=2)) if fu and rng.random() < 0.7 else None, None, "bench", stamp(at))
            )  # fmt: skip
            if len(batch) >= 50_000:
                await _interactions(batch)
                batch = []
    if batch:
        await _interactions(batch)
    if not sqlite:
        await Customer.raw(
            "SELECT setval(pg_get_serial_sequence('customer', 'id'), (SELECT MAX(id) FROM customer))"
        )
    return {"typical": first_id + 1, "busiest": first_id + busiest, "partner": partner}


async def _interactions(batch: list[tuple[Any, ...]]) -> None:
    await bulk_insert(
        "customer_interaction",
        ["customer", "partner", "user", "user_name", "channel", "direction", "occurred_at", "summary",
         "outcome", "followup_on", "assignee", "followup_done_at", "followup_done_by_id", "source", "created_at"],
        batch,
    )  # fmt: skip


async def _main(args: argparse.Namespace) -> None:
    from portal.db import close_pool, start_pool
    from portal.partners.setup import migrate_database

    await start_pool()
    try:
        await migrate_database(quiet=True)
        started = time.perf_counter()
        ids = await generate(args.partner_email, args.customers, args.interactions)
        await analyze()
        print(
            f"{args.customers:,} customers and {args.interactions:,} contacts in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
        print(json.dumps(ids))
    finally:
        await close_pool()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=50_000)
    parser.add_argument("--interactions", type=int, default=500_000)
    parser.add_argument("--partner-email", default="alice@partner-a.demo")
    asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    main()
