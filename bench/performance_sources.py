"""Speed of the deal and finance scorecard sources over many rows, for every partner at once
(what a leaderboard build runs).

    .venv/bin/python -m bench.performance_sources [--database sqlite|postgres]
        [--deals 200000] [--receivables 100000] [--runs 20]

Builds the demo data plus N deals (every status; approved ones with protection dates, closed
ones with a close time, a submission event each) and M receivables (a third paid, a third part
paid, the rest open; due dates spread over a year) over the demo partners, in a temporary folder
(SQLite) or the database portal_bench_deals (PostgreSQL, dropped first), then times
`deals.figures.deal_figures` and `finance.figures.finance_figures` for last month, all partners
(p50 / p99 in ms), and prints the month's totals so a run can be compared with another.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import shutil
import statistics
import time
from typing import Any

from bench.deals_conflict import DEAL_COLUMNS, prepare

EXTRA = ["decided_at", "protection_from", "protection_until", "closed_at"]
EVENT_COLUMNS = ["deal", "kind", "from_status", "to_status", "actor_name", "actor_is_vendor",
                 "detail", "at"]  # fmt: skip
RECEIVABLE_COLUMNS = ["partner", "shipment_id", "order_id", "order_number", "amount",
                      "paid_amount", "currency", "payment_terms", "issued_on", "due_on",
                      "paid_on", "invoice_number", "created_at"]  # fmt: skip
STATUSES = ("submitted", "approved", "approved", "expired", "won", "lost", "declined")


async def load(deals: int, receivables: int, seed: int = 5) -> None:
    from bench.orders_data import BATCH, analyze, bulk_insert
    from portal.deals.tables import Deal
    from portal.lib.clock import day_start, now, today
    from portal.partners.tables import Partner

    rng = random.Random(seed)
    partners = [int(p["id"]) for p in await Partner.select(Partner.id)]
    first = int((await Deal.select(Deal.id).order_by(Deal.id, ascending=False).first() or
                 {"id": 0})["id"]) + 1  # fmt: skip
    moment, day0 = now(), today()
    rows: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []
    for n in range(deals):
        deal_id = first + n
        status = rng.choice(STATUSES)
        submitted = day_start(day0 - dt.timedelta(days=rng.randrange(365)))
        decided = submitted + dt.timedelta(days=rng.randrange(1, 10))
        approved = status in ("approved", "expired", "won", "lost")
        start = decided.date() if approved else None
        until = start + dt.timedelta(days=89) if start else None
        closed = (
            decided + dt.timedelta(days=rng.randrange(1, 80)) if status in ("won", "lost") else None
        )
        rows.append(
            (deal_id, f"DR-B-{deal_id:08d}", rng.choice(partners), f"项目 {n}", f"客户 {n}",
             f"客户{n}", "", "", "", "", "", status, rng.choice(("qualified", "proposal",
             "negotiation")), rng.randrange(10_000_00, 1_000_000_00), "CNY", "", "", False, "",
             "", "", "", submitted, moment, moment,
             decided if status != "submitted" else None, start, until, closed)
        )  # fmt: skip
        events.append((deal_id, "submitted", "draft", "submitted", "", False, "", submitted))
        if len(rows) >= BATCH * 20:
            await bulk_insert("deal", [*DEAL_COLUMNS, *EXTRA], rows)
            await bulk_insert("deal_event", EVENT_COLUMNS, events)
            rows, events = [], []
    if rows:
        await bulk_insert("deal", [*DEAL_COLUMNS, *EXTRA], rows)
        await bulk_insert("deal_event", EVENT_COLUMNS, events)
    bills: list[tuple[Any, ...]] = []
    for n in range(receivables):
        issued = day0 - dt.timedelta(days=rng.randrange(365))
        amount = rng.randrange(1_000_00, 100_000_00)
        kind = n % 3
        paid = amount if kind == 0 else (amount // 2 if kind == 1 else 0)
        bills.append(
            (rng.choice(partners), 10_000_000 + n, 10_000_000 + n, f"SO-B-{n:08d}", amount, paid,
             "CNY", "net_30", issued, issued + dt.timedelta(days=30),
             issued + dt.timedelta(days=20) if kind == 0 else None, "", moment)
        )  # fmt: skip
        if len(bills) >= BATCH * 20:
            await bulk_insert("receivable", RECEIVABLE_COLUMNS, bills)
            bills = []
    if bills:
        await bulk_insert("receivable", RECEIVABLE_COLUMNS, bills)
    await analyze()


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered):.1f} ms, p99 {p99:.1f} ms"


async def measure(deals: int, receivables: int, runs: int) -> None:
    from portal.db import close_pool, start_pool
    from portal.deals.figures import deal_figures
    from portal.finance.figures import finance_figures
    from portal.lib.clock import today
    from portal.performance.periods import Period

    await start_pool()
    try:
        started = time.perf_counter()
        await load(deals, receivables)
        print(f"loaded {deals:,} deals, {receivables:,} receivables in "
              f"{time.perf_counter() - started:.1f} s", flush=True)  # fmt: skip
        month = Period.containing(today()).previous
        for name, function in (
            ("deal_figures", deal_figures),
            ("finance_figures", finance_figures),
        ):
            timings = []
            for _ in range(runs):
                t0 = time.perf_counter()
                result = await function(None, month.start, month.end)
                timings.append((time.perf_counter() - t0) * 1000)
            totals: dict[str, int] = {}
            for figures in result.values():
                for key, value in figures.items():
                    if isinstance(value, int) and not key.startswith("days"):
                        totals[key] = totals.get(key, 0) + value
            print(f"{name} for {month.code}, {len(result)} partners: {_ms(timings)}; {totals}")
        await breakdown(month.start, month.end, runs)
    finally:
        await close_pool()


async def breakdown(start: dt.date, end: dt.date, runs: int) -> None:
    """The statements of deal_figures one by one (which one a slow run spends its time in)."""
    from piccolo.query.functions.aggregate import Count

    from portal.deals.figures import _condition, _registered
    from portal.deals.tables import Deal, DealEvent

    queries = {
        "registered": lambda: (
            DealEvent.select(DealEvent.deal.partner.as_alias("p"), Count(DealEvent.id, alias="n"))
            .where(_registered(start, end))
            .group_by(DealEvent.deal.partner)
        ),
        **{
            what: (
                lambda what=what: (
                    Deal.select(Deal.partner, Count(Deal.id, alias="n"))
                    .where(_condition(what, start, end))
                    .group_by(Deal.partner)
                )
            )
            for what in ("approved", "closed", "pipeline")
        },
    }
    for name, query in queries.items():
        timings = []
        for _ in range(runs):
            t0 = time.perf_counter()
            await query()
            timings.append((time.perf_counter() - t0) * 1000)
        print(f"  deal_figures statement {name}: {_ms(timings)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--deals", type=int, default=200_000)
    parser.add_argument("--receivables", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    data = prepare(args.database)
    try:
        asyncio.run(measure(args.deals, args.receivables, args.runs))
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
