"""Speed of the prices page (5,000 SKUs) and the order list (100,000 orders) beside the same
server's ceiling: a bare 50-row template page without database or session.

    .venv/bin/python -m bench.orders_pages [--database sqlite|postgres] [--seconds 10]
                                           [--connections 32] [--skus 5000] [--orders 100000]

Needs wrk (Debian package wrk). Builds the demo data plus the bulk data (bench/orders_data.py)
in a temporary folder (SQLite) or the database portal_bench_pages (PostgreSQL, dropped first),
starts one uvicorn worker the way `portal serve` does (with the ceiling route added), signs in
as alice (partner A, who owns the 100,000 orders) and loads each page with wrk.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from bench.harness import ROOT, measure_pages, require_wrk, scratch_portal, served, sign_in

PAGES = [
    ("ceiling: bare 50-row template", "/bench/ceiling", ""),
    ("prices page 1 (50 of 5,000 SKUs)", "/catalog/", "alice"),
    ("prices page 60, sorted by price", "/catalog/?sort=-price&page=60", "alice"),
    ("prices search 'camera'", "/catalog/?q=camera", "alice"),
    ("prices filtered: low stock", "/catalog/?availability=low", "alice"),
    ("order list page 1 (of 100,000)", "/orders/", "alice"),
    ("order list page 1,000", "/orders/?page=1000", "alice"),
    (
        "order list: delivered in 2025",
        "/orders/?status=delivered&since=2025-01-01&until=2025-12-31",
        "alice",
    ),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--skus", type=int, default=5000)
    parser.add_argument("--orders", type=int, default=100_000)
    args = parser.parse_args()
    require_wrk()
    print(
        f"Preparing {args.database} data: demo, {args.skus:,} SKUs, {args.orders:,} orders ...",
        flush=True,
    )
    with scratch_portal(args.database, "portal_bench_pages", "portal-bench-pages-") as env:
        subprocess.run(
            [sys.executable, "-m", "bench.orders_data", "pages", "--skus", str(args.skus),
             "--orders", str(args.orders)],
            env=env, check=True, cwd=ROOT,
        )  # fmt: skip
        with served(env) as url:
            cookies = {"alice": sign_in(url, "alice@partner-a.demo")}
            measure_pages(url, PAGES, cookies, args.seconds, args.connections, args.database)


if __name__ == "__main__":
    main()
