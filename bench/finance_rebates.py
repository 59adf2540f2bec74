"""Issue 16's measured money figures: a statement over a long ledger, and the rebate accrual
recompute over a large order history, on SQLite or PostgreSQL (in this process, no server).

    .venv/bin/python -m bench.finance_rebates [--database sqlite|postgres] [--partners 1000]
                                              [--lines 1000000] [--ledger 10000] [--runs 5]

Builds its own database (portal_bench_finance_rebates on PostgreSQL, or
<tmp>/portal-bench-finance-rebates/bench.db on SQLite; dropped and re-created), then:

1. Statement: partner S gets `ledger` ledger rows bulk-inserted, (a) spread over the last 24
   months (last month's statement: its opening balance sums the earlier rows) and (b) partner T
   all of them in last month (a statement of `ledger` lines). statements.statement() (what the
   page, the API and the files read), the XLSX, and the PDF of (a) (of (b) only with
   --dense-pdf: thousands of lines); median and max in ms over `runs` calls.
2. Rebates: `partners` partners and about `lines` order lines over 24 months
   (bench.performance_data's generator), every delivered order shipped in full (one shipment
   per order, its lines as shipment lines, set-based). A yearly programme for the current year
   over every partner with a growth bonus (two aggregates: this year and last year) and a
   quarterly one; rebates.recompute_accruals(): the first run (an accrual row per partner) and
   the reruns (nothing moved, nothing appended), median in ms.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import scratch

ROOT = Path(__file__).resolve().parent.parent
# this run's own database and folder (bench/scratch.py): two runs side by side never collide
PG_DB = scratch.run_database("portal_bench_finance_rebates")
PG_URL = scratch.pg_url(PG_DB)
SQLITE_DIR = Path(tempfile.mkdtemp(prefix="portal-bench-finance-rebates-"))
atexit.register(shutil.rmtree, SQLITE_DIR, True)


def recreate(database: str) -> dict[str, str]:
    """A fresh, migrated database of this script's own (never another bench's)."""
    if database == "postgres":
        scratch.recreate_pg_database(PG_DB)  # dropped when the run ends
    shutil.rmtree(SQLITE_DIR, ignore_errors=True)
    SQLITE_DIR.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": PG_URL
        if database == "postgres"
        else f"sqlite:///{SQLITE_DIR / 'bench.db'}",
        "PORTAL_DATA_DIR": str(SQLITE_DIR),
        "PORTAL_MODE": "demo",
        "ARGON2_PROFILE": "test",
        "RUN_JOBS_IN_PROCESS": "false",
        "LOG_LEVEL": "warning",
    }
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


def ms(values: list[float]) -> str:
    return f"median {statistics.median(values):8.1f} ms   max {max(values):8.1f} ms"


async def ledger_rows(partner_id: int, count: int, days: int) -> None:
    """`count` postings (goods shipped +, payments -) over the `days` days before this month."""
    from bench.orders_data import bulk_insert
    from portal.db import is_sqlite
    from portal.lib import clock

    first = clock.today().replace(day=1)
    moment = clock.now()
    at: Any = str(moment.astimezone(dt.UTC)) if is_sqlite() else moment
    rows = []
    for n in range(count):
        posted = first - dt.timedelta(days=1 + (n * days) // count)
        kind, amount = ("receivable", 12_345_00 + n) if n % 2 else ("payment", -12_000_00)
        rows.append((partner_id, kind, amount, "CNY", posted, None, None, f"B-{n:06d}", None, at))
    await bulk_insert(
        "ledger_entry",
        [
            "partner",
            "kind",
            "amount",
            "currency",
            "posted_on",
            "receivable",
            "payment",
            "memo",
            "actor_id",
            "at",
        ],
        rows,
    )


async def bench_statement(count: int, runs: int, dense_pdf: bool) -> None:
    from bench.performance_data import partners
    from portal.finance import statement_files, statements
    from portal.finance.tables import LedgerEntry
    from portal.partners.tables import Partner

    spread, dense = await partners(2)
    await ledger_rows(spread, count, 730)
    await ledger_rows(dense, count, 1)  # every row on the last day of last month
    period = statements.recent_periods(1)[0]
    for label, partner_id, pdf_runs in (
        (f"(a) {count:,} rows over 24 months", spread, runs),
        (f"(b) {count:,} rows in last month", dense, 1 if dense_pdf else 0),
    ):
        total = await LedgerEntry.count().where(LedgerEntry.partner == partner_id)
        partner = await Partner.select().where(Partner.id == partner_id).first()
        reads, xlsx, pdf = [], [], []
        data = b""
        detail: dict[str, Any] = {}
        for _ in range(runs):
            began = time.perf_counter()
            detail = await statements.statement(partner_id, period)
            reads.append((time.perf_counter() - began) * 1000)
        detail["partner"] = partner
        for _ in range(runs):
            began = time.perf_counter()
            statement_files.render_xlsx(detail, "zh_CN")
            xlsx.append((time.perf_counter() - began) * 1000)
        for _ in range(pdf_runs):
            began = time.perf_counter()
            data = await statement_files.render_pdf(detail, "zh_CN")
            pdf.append((time.perf_counter() - began) * 1000)
        print(f"statement {label}: ledger {total:,} rows, {len(detail['lines']):,} lines shown")
        print(f"  statements.statement()  {ms(reads)}")
        print(f"  XLSX                    {ms(xlsx)}")
        if pdf:
            print(f"  PDF ({len(data) // 1024:,} KB)  {ms(pdf)}  ({len(pdf)} run(s))")
        else:
            print("  PDF                     not rendered (--dense-pdf renders it)")
        sums = detail["opening_amount"] + sum(int(x["amount"]) for x in detail["lines"])
        assert sums == detail["closing_amount"], "the statement does not add up"


async def ship_everything() -> tuple[int, int]:
    """One shipment per delivered order, at its decision time + 1 day, carrying every line."""
    from portal.orders.tables import Order, Shipment, ShipmentLine

    await Order.raw(
        'INSERT INTO shipment ("order", carrier, tracking_number, note, shipped_at)'
        " SELECT id, 'SF', '', '', decided_at FROM partner_order WHERE status = 'delivered'"
    )
    await Order.raw(
        "INSERT INTO shipment_line (shipment, order_line, quantity)"
        " SELECT s.id, ol.id, ol.quantity FROM shipment s JOIN order_line ol"
        ' ON ol."order" = s."order"'
    )
    return await Shipment.count(), await ShipmentLine.count()


async def bench_rebates(partner_count: int, lines: int, runs: int) -> None:
    from bench.orders_data import analyze
    from bench.performance_data import orders, partners
    from portal.auth.schemas import CurrentUser
    from portal.finance import rebates
    from portal.finance.tables import RebateAccrual
    from portal.lib import clock
    from portal.orders.tables import OrderLine

    began = time.perf_counter()
    ids = await partners(partner_count)
    made_orders, made_lines = await orders(ids, lines, clock.today())
    shipments, shipment_lines = await ship_everything()
    await analyze()
    print(
        f"\nrebates: {partner_count:,} partners, {made_orders:,} orders, {made_lines:,} order "
        f"lines ({await OrderLine.count():,} in the database), {shipments:,} shipments with "
        f"{shipment_lines:,} lines, built in {time.perf_counter() - began:.0f} s"
    )
    vera = CurrentUser(id=0, email="vera@bench.test", name="Vera", role="vendor_admin")
    today = clock.today()
    for name, period, bonus in (
        ("年度返利", f"{today.year}", "1"),
        ("季度返利", f"{today.year}-Q{(today.month - 1) // 3 + 1}", ""),
    ):
        await rebates.create_programme(
            vera,
            rebates.ProgrammeInput(
                name=name, period=period, bands="500000:2, 1000000:3", growth_bonus=bonus
            ),
        )
    timings = []
    appended = []
    for _ in range(runs + 1):
        began = time.perf_counter()
        appended.append(await rebates.recompute_accruals())
        timings.append((time.perf_counter() - began) * 1000)
    print(
        f"  recompute_accruals, first run   {timings[0]:8.1f} ms  ({appended[0]:,} accrual "
        f"rows appended, {await RebateAccrual.count():,} in all)"
    )
    print(
        f"  recompute_accruals, reruns      {ms(timings[1:])}  "
        f"(appended {sum(appended[1:])} rows: nothing moved)"
    )


async def child(args: argparse.Namespace) -> None:
    from portal.db import close_pool, start_pool

    await start_pool()
    try:
        await bench_statement(args.ledger, args.runs, args.dense_pdf)
        await bench_rebates(args.partners, args.lines, args.runs)
    finally:
        await close_pool()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="postgres")
    parser.add_argument("--partners", type=int, default=1000)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--ledger", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--dense-pdf", action="store_true", help="also render (b)'s PDF (minutes at 10,000 lines)"
    )
    args = parser.parse_args()
    if os.environ.get("BENCH_CHILD") == "1":
        asyncio.run(child(args))
        return
    env = recreate(args.database)
    env["BENCH_CHILD"] = "1"
    print(f"database: {args.database} ({env['DATABASE_URL']})", flush=True)
    subprocess.run(
        [sys.executable, "-m", "bench.finance_rebates", *sys.argv[1:]],
        env=env,
        check=True,
        cwd=ROOT,
    )


if __name__ == "__main__":
    main()
