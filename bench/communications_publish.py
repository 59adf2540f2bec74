"""Publishing a campaign to 1,000 partners with 3 users each: the fan-out (recipients,
deliveries, bell notifications, e-mails stored and their delivery jobs queued) timed, with the
peak Python memory (tracemalloc) and the process's peak RSS.

    .venv/bin/python -m bench.communications_publish [--database sqlite|postgres|both]
                                                     [--partners 1000] [--users 3]

Builds its data in a temporary folder (SQLite) or the database portal_bench_comms (PostgreSQL,
dropped first). Delivery jobs are queued into Redis (database 14, flushed before and after) when
Redis listens on 127.0.0.1:6379, otherwise counted without running (a stand-in queue), so only
the publish step is measured, not the sending of 3,000 e-mails.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from bench.scratch import pg_url, recreate_pg_database, run_database
from portal.communications.campaigns import editing as campaign_editing
from portal.communications.campaigns import publishing as campaign_publishing

PG_DB = run_database("portal_bench_comms")  # unique per run: two runs never drop each other's data
PG_URL = pg_url(PG_DB)
REDIS_URL = "redis://127.0.0.1:6379/14"


def redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def prepare_env(database: str) -> None:
    """Environment for a fresh database; call before importing anything from portal."""
    data = Path(tempfile.mkdtemp(prefix="portal-bench-comms-"))
    os.environ.update(
        {
            "PORTAL_MODE": "dev",
            "PORTAL_DATA_DIR": str(data),
            "ARGON2_PROFILE": "test",
            "LOG_LEVEL": "warning",
            "DEFAULT_LOCALE": "zh_CN",
        }
    )
    if database == "postgres":
        recreate_pg_database(PG_DB)  # this run's own, dropped at its end
        os.environ["DATABASE_URL"] = PG_URL
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{data / 'bench.db'}"


async def build_partners(partners: int, users_per_partner: int) -> list[int]:
    """Bulk-insert partners (spread over tiers and provinces) and their users; returns ids."""
    import datetime as dt

    from portal.auth.tables import User
    from portal.lib.clock import now
    from portal.partners.constants import PROVINCES
    from portal.partners.tables import Partner, Tier

    tiers = [r["id"] for r in await Tier.select(Tier.id).order_by(Tier.rank)]
    provinces = list(PROVINCES)
    moment = now()
    rows = [
        Partner(
            code=f"B{i:05d}",
            name=f"基准伙伴 {i} 有限公司",
            name_en=f"Bench partner {i}",
            kind="dealer" if i % 3 else "distributor",
            tier=tiers[i % len(tiers)],
            province=provinces[i % len(provinces)],
            joined_on=dt.date(2024, 1, 1),
            locale="zh_CN" if i % 4 else "en",
            created_at=moment,
            updated_at=moment,
        )
        for i in range(partners)
    ]
    for start in range(0, len(rows), 500):
        await Partner.insert(*rows[start : start + 500])
    ids = [int(r["id"]) for r in await Partner.select(Partner.id).order_by(Partner.id)]
    users = [
        User(
            email=f"u{pid}-{n}@bench.test",
            name=f"User {pid}-{n}",
            password_hash="x",
            role="partner_admin" if n == 0 else "partner_member",
            partner=pid,
            created_at=moment,
            password_changed_at=moment,
        )
        for pid in ids
        for n in range(users_per_partner)
    ]
    for start in range(0, len(users), 500):
        await User.insert(*users[start : start + 500])
    return ids


async def vendor_admin() -> object:
    from portal.auth.schemas import CurrentUser
    from portal.auth.tables import User
    from portal.lib.clock import now

    row = User(
        email="bench-admin@vendor.test",
        name="Bench admin",
        password_hash="x",
        role="vendor_admin",
        created_at=now(),
        password_changed_at=now(),
    )
    await row.save()
    return CurrentUser(id=row.id, email=row.email, name=row.name, role="vendor_admin", ip="")


async def run(database: str, partners: int, users: int) -> dict[str, float]:
    from portal.communications.campaigns.schemas import CampaignForm
    from portal.communications.campaigns.tables import CampaignDelivery
    from portal.core.tables import Notification, OutboundEmail
    from portal.db import close_pool, start_pool
    from portal.lib import jobs
    from portal.lib.clock import now
    from portal.partners.setup import migrate_database

    await migrate_database(quiet=True)
    await start_pool()
    counted: list[tuple[str, tuple[object, ...]]] = []
    use_redis = redis_up()
    if use_redis:
        import redis.asyncio as aioredis

        client = aioredis.from_url(REDIS_URL)
        await client.flushdb()
        from portal.settings import override

        ctx = override(redis_url=REDIS_URL)
        ctx.__enter__()
    else:

        async def fake_enqueue(name: str, *args: object, job_id: str | None = None) -> None:
            counted.append((name, args))

        jobs.enqueue = fake_enqueue  # type: ignore[assignment]
    print(f"[{database}] building {partners:,} partners x {users} users ...", flush=True)
    await build_partners(partners, users)
    actor = await vendor_admin()

    async def scheduled(title: str) -> int:
        campaign_id = await campaign_editing.create_campaign(
            actor,  # type: ignore[arg-type]
            CampaignForm(title_zh=title, title_en=title, description_zh="说明" * 50),
        )
        await campaign_publishing.schedule_campaign(actor, campaign_id, now())  # type: ignore[arg-type]
        if not use_redis:
            counted.clear()  # schedule_campaign enqueued the publish job: we run it ourselves
        return campaign_id

    # one campaign timed without tracing (tracemalloc slows Python down), one traced for memory
    campaign_id = await scheduled("基准活动 A")
    started = time.perf_counter()
    told = await campaign_publishing.publish_campaign(campaign_id)
    seconds = time.perf_counter() - started
    traced_id = await scheduled("基准活动 B")
    tracemalloc.start()
    await campaign_publishing.publish_campaign(traced_id)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    again_started = time.perf_counter()
    again = await campaign_publishing.publish_campaign(campaign_id)
    again_seconds = time.perf_counter() - again_started
    if use_redis:
        queued = sum(1 for k in await client.keys("arq:job:*") if b"email:" in k)
        await client.flushdb()
        await client.aclose()
        ctx.__exit__(None, None, None)
        await jobs.close()
    else:
        queued = sum(1 for name, _args in counted if name == "deliver_email")
    mine = CampaignDelivery.campaign == campaign_id
    figures = {
        "users told": told,
        "deliveries": await CampaignDelivery.count().where(mine),
        "notifications": await Notification.count().where(
            Notification.dedup_key == f"campaign:{campaign_id}"
        ),
        "e-mails stored (2 runs)": await OutboundEmail.count(),
        "delivery jobs queued (2 runs)": queued,
        "publish seconds": seconds,
        "users per second": told / seconds if seconds else 0,
        "peak traced MB": peak / 1024 / 1024,
        "peak RSS MB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "second run users told": again,
        "second run seconds": again_seconds,
    }
    await close_pool()
    print(f"[{database}] queue: {'Redis (arq)' if use_redis else 'counted in process'}")
    for name, value in figures.items():
        shown = f"{value:,.3f}" if isinstance(value, float) else f"{value:,}"
        print(f"[{database}]   {name:<30} {shown:>12}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--partners", type=int, default=1000)
    parser.add_argument("--users", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.database == "both":
        for database in ("sqlite", "postgres"):  # a fresh process each: settings are global
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.communications_publish",
                    "--database",
                    database,
                    "--partners",
                    str(args.partners),
                    "--users",
                    str(args.users),
                ],
                check=True,
            )
        return
    prepare_env(args.database)
    asyncio.run(run(args.database, args.partners, args.users))


if __name__ == "__main__":
    main()
