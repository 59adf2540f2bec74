"""The leaderboard for a quarter (1,000 partners, 1,000,000 order lines) against the same
aggregation in raw SQL, p50/p99 and the ratio.

    python -m bench.performance_data --database postgres     # once: builds the data
    python -m bench.performance_leaderboard --database postgres [--runs 50]

"leaderboard" is scorecards.build_board: rollups of the quarter, the previous quarter, the one
before and last year's, targets, weights, tiers, the other domains' figure functions, composite
scores and ranks of every partner. "raw SQL" aggregates the orders behind the quarter's revenue
(approved and later, by approval date) per partner over partner_order, and over its order lines.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time

RAW_ORDERS = """
SELECT partner, SUM(total_amount) AS revenue, COUNT(*) AS n FROM partner_order
WHERE status IN ('approved', 'partially_shipped', 'shipped', 'delivered')
  AND decided_at >= {} AND decided_at < {}
GROUP BY partner
"""
RAW_LINES = """
SELECT o.partner, SUM(l.line_amount) AS revenue, COUNT(DISTINCT o.id) AS n
FROM order_line l JOIN partner_order o ON o.id = l."order"
WHERE o.status IN ('approved', 'partially_shipped', 'shipped', 'delivered')
  AND o.decided_at >= {} AND o.decided_at < {}
GROUP BY o.partner
"""


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _time(fn, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    await fn()  # warm-up
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        await fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


async def measure(runs: int) -> None:
    from portal.db import close_pool, is_sqlite, start_pool
    from portal.orders.tables import Order
    from portal.performance import scorecards
    from portal.performance.periods import Period, PeriodKind, bounds_utc
    from portal.performance.rollups import order_totals
    from portal.settings import get_settings

    await start_pool()
    try:
        quarter = Period.containing(scorecards.local_today(), PeriodKind.QUARTER).previous
        lo, hi = bounds_utc(quarter.start, quarter.end, get_settings().tz)
        args = (str(lo), str(hi)) if is_sqlite() else (lo, hi)
        board = await scorecards.build_board(quarter)
        raw = await Order.raw(RAW_ORDERS, *args)
        assert {r["partner"]: r["revenue"] for r in raw} == {
            k: v[0] for k, v in (await order_totals(None, quarter.start, quarter.end)).items()
        }
        rows = {r.partner_id: r.figures["revenue"] for r in board.rows}
        assert all(rows[int(r["partner"])] == r["revenue"] for r in raw), "figures differ"
        cases = [
            ("leaderboard (build_board, rollups)", lambda: scorecards.build_board(quarter)),
            ("raw SQL: orders of the quarter", lambda: Order.raw(RAW_ORDERS, *args)),
            ("raw SQL: order lines of the quarter", lambda: Order.raw(RAW_LINES, *args)),
        ]
        results = {label: await _time(fn, runs) for label, fn in cases}
    finally:
        await close_pool()
    db = "sqlite" if is_sqlite() else "postgres"
    print(f"\n{db}: quarter {quarter}, {len(board.rows):,} partners, {runs} runs each")
    print(f"{'what':<40} {'p50 ms':>9} {'p99 ms':>9}")
    for label, values in results.items():
        print(f"{label:<40} {statistics.median(values):>9.1f} {_pct(values, 0.99):>9.1f}")
    board_p50 = statistics.median(results[cases[0][0]])
    for label in (cases[1][0], cases[2][0]):
        print(f"ratio leaderboard / {label}: {board_p50 / statistics.median(results[label]):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="postgres")
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    if os.environ.get("BENCH_CHILD") != "1":
        import subprocess

        from bench.performance_data import ROOT, bench_env

        env = {**bench_env(args.database), "BENCH_CHILD": "1"}
        sys.exit(
            subprocess.call(
                [
                    sys.executable,
                    "-m",
                    "bench.performance_leaderboard",
                    "--database",
                    args.database,
                    "--runs",
                    str(args.runs),
                ],
                env=env,
                cwd=ROOT,
            )
        )
    asyncio.run(measure(args.runs))


if __name__ == "__main__":
    main()
