"""Importing and routing 10,000 leads, and a second routing run that must route nothing twice.

    .venv/bin/python -m bench.leads_routing [--database sqlite|postgres] [--leads 10000]

Builds the demo data (14 partners, the demo routing rules) plus a catch-all rule and a capacity
of 2,000 per partner, in a temporary folder (SQLite) or the database portal_bench_leads
(PostgreSQL, dropped first). Then writes an XLSX of N leads over every province and product line,
and times each phase of the console import: reading and checking every row
(portal.deals.lead_imports.check_file), writing them (leads.insert_leads), the first routing run
(lead_routing.route_leads) and a second run. Prints seconds per phase, leads routed per partner,
and PASS when the second run routed nothing, every lead has at most one open offer and there are
as many offers as leads routed (FAIL and exit code 1 otherwise).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.scratch import pg_url, recreate_pg_database, run_database

VENV_BIN = Path(sys.executable).parent
PG_DB = run_database("portal_bench_leads")  # unique per run: two runs never drop each other's data
PG_URL = pg_url(PG_DB)


def prepare(database: str) -> Path:
    data = Path(tempfile.mkdtemp(prefix="portal-bench-leads-"))
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


def workbook(n: int, codes: list[str], provinces: list[str]) -> bytes:
    from openpyxl import Workbook

    rng = random.Random(7)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("leads")
    sheet.append(["公司名称", "联系人", "电话", "省份", "城市", "意向产品", "备注"])
    for i in range(n):
        sheet.append(
            [
                f"基准线索客户{i}号有限公司",
                f"联系人{i}",
                f"139{i:08d}",
                rng.choice(provinces),
                "",
                rng.choice(codes),
                "批量导入",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def measure(count: int, profile: bool = False) -> int:
    from piccolo.query.functions.aggregate import Count

    import portal.worker  # noqa: F401  (registers the jobs the routing enqueues)
    from portal.auth.schemas import CurrentUser
    from portal.auth.tables import User
    from portal.db import close_pool, start_pool
    from portal.deals import lead_imports, lead_rules, leads
    from portal.deals.lead_routing import route_leads
    from portal.deals.lead_schemas import RuleForm
    from portal.deals.lead_tables import Lead, LeadOffer
    from portal.orders.tables import Category
    from portal.partners.constants import PROVINCES
    from portal.partners.tables import Partner

    await start_pool()
    try:
        admin = await User.select().where(User.email == "admin@vendor.demo").first()
        vendor = CurrentUser(
            id=admin["id"], email=admin["email"], name=admin["name"], role=admin["role"]
        )
        await lead_rules.save_rule(
            vendor,
            RuleForm(name="兜底 Catch-all", position=90, same_province=False, is_active=True),
        )
        for p in await Partner.select(Partner.id):
            await lead_rules.set_capacity(vendor, int(p["id"]), 2_000)
        drained = await route_leads(actor=vendor)  # the demo's waiting lead, placed first
        codes = [c["code"] for c in await Category.select(Category.code)]
        data = workbook(count, codes, [p for p in PROVINCES if p != "INTL"])
        before = await Lead.count()
        print(f"{count:,} leads in a {len(data) / 1024:.0f} KB XLSX", flush=True)
        print(f"(demo leads placed by the catch-all rule first: {drained.routed})")

        t0 = time.perf_counter()
        checked, clean = await lead_imports.check_file("leads.xlsx", data)
        t1 = time.perf_counter()
        ids = await leads.insert_leads(vendor, clean, await leads.category_ids(), via="import")
        t2 = time.perf_counter()
        profiler = cProfile.Profile() if profile else None
        if profiler:
            profiler.enable()
        first = await route_leads(ids, actor=vendor)
        t3 = time.perf_counter()
        if profiler:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        second = await route_leads(actor=vendor)
        t4 = time.perf_counter()

        offers = await LeadOffer.count().where(LeadOffer.lead >= min(ids))
        doubles = await (
            LeadOffer.select(LeadOffer.lead, Count(LeadOffer.id, alias="n"))
            .where((LeadOffer.outcome == "") & (LeadOffer.lead >= min(ids)))
            .group_by(LeadOffer.lead)
        )
        twice = sum(1 for r in doubles if int(r["n"]) > 1)
        print(f"check  {t1 - t0:6.2f} s  ({checked.rows:,} rows, {checked.error_count} errors)")
        print(f"write  {t2 - t1:6.2f} s  ({len(ids):,} leads; {before} demo leads before)")
        print(f"route  {t3 - t2:6.2f} s  ({first.routed:,} offered, {first.waiting:,} waiting)")
        print(f"again  {t4 - t3:6.2f} s  ({second.routed:,} offered)")
        print(f"import + routing: {t3 - t0:.2f} s")
        shares = sorted((len(v) for v in first.by_partner.values()), reverse=True)
        print(f"leads per partner: {shares}")
        ok = second.routed == 0 and twice == 0 and offers == first.routed
        print(
            f"{'PASS' if ok else 'FAIL'}: second run offered {second.routed}, "
            f"{twice} leads with two open offers, {offers:,} offers for {first.routed:,} routed"
        )
        return 0 if ok else 1
    finally:
        await close_pool()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--leads", type=int, default=10_000)
    parser.add_argument("--profile", action="store_true", help="profile the first routing run")
    args = parser.parse_args()
    data = prepare(args.database)
    try:
        code = asyncio.run(measure(args.leads, args.profile))
    finally:
        shutil.rmtree(data, ignore_errors=True)
    sys.exit(code)


if __name__ == "__main__":
    main()
