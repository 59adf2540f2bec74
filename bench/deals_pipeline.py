"""Speed of the vendor's pipeline console with 100,000 deals, beside the same server's ceiling
(a bare 50-row template page: the page yardstick of bench/harness.py).

    .venv/bin/python -m bench.deals_pipeline [--database sqlite|postgres] [--deals 100000]
                                             [--seconds 10] [--connections 32] [--requests 7]

Needs wrk (Debian package wrk). Builds the demo data plus N deals over the demo partners (the
generator of bench/deals_conflict.py: one to three product lines each), then spreads them over
the statuses (submitted, approved, won, lost), stages and twelve expected close months, in a
temporary folder (SQLite) or the database portal_bench_pipeline (PostgreSQL, dropped first);
starts one uvicorn worker the way `portal serve` does (with the ceiling route), signs in as the
vendor admin and a channel manager and loads each page with wrk. The console page computes the
totals by stage and partner, the win rate and the breakdowns by region, product line and month
over every deal in scope on each request. Each page is first requested one at a time (median
and slowest, beside the ceiling), then loaded with wrk when its median is under a second.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time

import httpx

from bench.harness import ROOT, measure_pages, require_wrk, scratch_portal, served, sign_in


async def load(deals: int) -> dict[str, int]:
    """N deals (bench.deals_conflict's generator) given varied statuses, stages, values and
    close months by their id; the partner A id for the filtered page."""
    from bench.deals_conflict import load as load_deals
    from bench.orders_data import analyze
    from portal.db import close_pool, is_sqlite, start_pool
    from portal.deals.tables import Deal
    from portal.partners.tables import Partner

    await start_pool()
    try:
        _partners, _products, start = await load_deals(deals)
        month = (
            "date('2027-01-01', '+' || (id % 12) || ' months')"
            if is_sqlite()
            else "CAST(DATE '2027-01-01' + (id % 12) * INTERVAL '1 month' AS DATE)"
        )
        await Deal.raw(
            "UPDATE deal SET "
            "stage = CASE id % 3 WHEN 0 THEN 'qualified' WHEN 1 THEN 'proposal' "
            "ELSE 'negotiation' END, "
            "status = CASE WHEN id % 10 = 0 THEN 'won' WHEN id % 10 = 1 THEN 'lost' "
            "WHEN id % 10 < 5 THEN 'submitted' ELSE 'approved' END, "
            f"estimated_amount = 1000000 + (id % 50) * 2000000, expected_close_on = {month} "
            f"WHERE id >= {int(start)}"
        )
        await analyze()
        partner_a = await Partner.select(Partner.id).order_by(Partner.id).first()
        return {"deals": await Deal.count(), "partner_a": int(partner_a["id"])}
    finally:
        await close_pool()


def pages(ids: dict[str, int], deals: int) -> list[tuple[str, str, str]]:
    last = max(1, deals // 50)
    return [
        ("ceiling: bare 50-row template", "/bench/ceiling", ""),
        (f"pipeline console, all {deals:,} deals", "/console/deals/", "vera"),
        ("console: status protected", "/console/deals/?status=approved", "vera"),
        ("console: stage negotiation", "/console/deals/?stage=negotiation", "vera"),
        ("console: one partner", f"/console/deals/?partner_id={ids['partner_a']}", "vera"),
        ("console: search '项目 4242'", "/console/deals/?q=%E9%A1%B9%E7%9B%AE%204242", "vera"),
        (f"console: last page ({last:,})", f"/console/deals/?page={last}", "vera"),
        ("console as a channel manager", "/console/deals/", "manny"),
    ]


def one_at_a_time(
    url: str, pages: list[tuple[str, str, str]], cookies: dict[str, str], requests: int
) -> list[tuple[str, str, str]]:
    """Each page requested `requests` times in turn (after one warm-up): the median and the
    slowest, beside the ceiling's median. The pages whose median stays under a second are
    returned for the wrk pass (a slower page would only queue 32 connections behind it)."""
    print(f"\none request at a time, {requests} per page after a warm-up")
    print(f"{'page':<40} {'median ms':>10} {'max ms':>8} {'vs ceiling':>11}")
    fast = []
    floor = 0.0
    with httpx.Client(timeout=300) as client:
        for label, path, who in pages:
            headers = {"Cookie": cookies[who]} if who else {}
            if client.get(f"{url}{path}", headers=headers).status_code != 200:
                raise SystemExit(f"{path} did not answer 200")
            timings = []
            for _ in range(requests):
                started = time.perf_counter()
                client.get(f"{url}{path}", headers=headers)
                timings.append((time.perf_counter() - started) * 1000)
            median = statistics.median(timings)
            floor = floor or median
            print(f"{label:<40} {median:>10.1f} {max(timings):>8.1f} {median / floor:>10.1f}x")
            if median < 1000:
                fast.append((label, path, who))
    return fast


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--requests", type=int, default=7)
    parser.add_argument("--load-only", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load_only:  # the data step, run in the scratch portal's environment
        print(json.dumps(asyncio.run(load(args.load_only))))
        return
    require_wrk()
    print(f"Preparing {args.database} data: demo, {args.deals:,} deals ...", flush=True)
    with scratch_portal(args.database, "portal_bench_pipeline", "portal-bench-pipeline-") as env:
        made = subprocess.run(
            [sys.executable, "-m", "bench.deals_pipeline", "--load-only", str(args.deals)],
            env=env, check=True, cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        ids = json.loads(made.stdout.strip().splitlines()[-1])
        print(f"{ids['deals']:,} deals in the database", flush=True)
        with served(env) as url:
            cookies = {
                "vera": sign_in(url, "admin@vendor.demo"),
                "manny": sign_in(url, "manager@vendor.demo"),
            }
            fast = one_at_a_time(url, pages(ids, args.deals), cookies, args.requests)
            measure_pages(url, fast, cookies, args.seconds, args.connections, args.database)


if __name__ == "__main__":
    main()
