"""Data for the support benchmarks, written into the database DATABASE_URL points at.

    DATABASE_URL=... python -m bench.support_data --cases 100000

Adds N open cases (new or open, priorities mixed, opened over the last 30 days, spread over the
demo partners and vendor staff) with deadlines computed by the real SLA policy, in bulk inserts
(run `portal demo-data` first for the users, calendar and targets).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import secrets
import time
from typing import Any

from bench.orders_data import BATCH, analyze, bulk_insert
from portal.lib.clock import now

PRIORITIES = ("urgent", "high", "normal", "normal", "normal", "low")
CATEGORIES = ("product_question", "order_delivery", "quality_complaint", "billing", "technical")
COLUMNS = [
    "number", "partner", "opened_by", "opened_by_vendor", "requester", "channel", "category",
    "priority", "status", "subject", "description", "team", "assignee_id", "reply_token",
    "tier_code", "first_response_target", "resolution_target", "fr_warn_at", "fr_due_at",
    "fr_second_at", "res_warn_at", "res_due_at", "res_second_at", "fr_level", "res_level",
    "paused_minutes", "vendor_replies", "reopen_count", "first_responded_at", "created_at",
    "updated_at",
]  # fmt: skip


async def cases(count: int, seed: int = 7) -> int:
    """`count` open cases; returns how many were written."""
    import datetime as dt

    from portal.auth.constants import VENDOR_ROLES
    from portal.auth.tables import User
    from portal.partners.tables import Partner
    from portal.support import policy

    rng = random.Random(seed)
    the_policy = await policy.load_policy()
    partners = [int(p["id"]) for p in await Partner.select(Partner.id)]
    requester = await User.select(User.id).where(User.email == "alice@partner-a.demo").first()
    assert requester, "run portal demo-data first"
    staff = [
        int(u["id"]) for u in await User.select(User.id).where(User.role.is_in(list(VENDOR_ROLES)))
    ]
    targets = {p: await policy.targets_for(p, None) for p in set(PRIORITIES)}
    moment = now()
    rows: list[tuple[Any, ...]] = []
    for n in range(count):
        priority = rng.choice(PRIORITIES)
        fr, res = targets[priority]
        created = moment - dt.timedelta(minutes=rng.randint(1, 30 * 24 * 60))
        ladder = policy.deadlines(the_policy, created, fr, res)
        answered = rng.random() < 0.6
        rows.append(
            (
                f"CS-B-{n + 1:07d}", rng.choice(partners), requester["id"], False,
                requester["id"], "portal", rng.choice(CATEGORIES), priority,
                "open" if answered else "new", f"Bench case {n + 1}", "Generated for the benchmark.",
                None, rng.choice(staff), secrets.token_hex(10), "gold", fr, res,
                ladder.fr_warn_at, ladder.fr_due_at, ladder.fr_second_at, ladder.res_warn_at,
                ladder.res_due_at, ladder.res_second_at, 0, 0, 0, 1 if answered else 0, 0,
                created + dt.timedelta(minutes=30) if answered else None, created, created,
            )
        )  # fmt: skip
        if len(rows) >= BATCH * 10:
            await bulk_insert("support_case", COLUMNS, rows)
            rows = []
    if rows:
        await bulk_insert("support_case", COLUMNS, rows)
    await analyze()
    return count


async def _main(args: argparse.Namespace) -> None:
    from portal.db import close_pool, start_pool
    from portal.partners.setup import migrate_database

    await start_pool()
    try:
        await migrate_database(quiet=True)
        started = time.perf_counter()
        await cases(args.cases)
        print(f"{args.cases:,} open cases in {time.perf_counter() - started:.1f} s", flush=True)
    finally:
        await close_pool()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    main()
