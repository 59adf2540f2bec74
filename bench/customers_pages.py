"""Speed of the customer list (50,000 customers, with filters) and the 360° page (500,000
contacts in all) beside the same server's ceiling: a bare 50-row template page.

    .venv/bin/python -m bench.customers_pages [--database sqlite|postgres] [--seconds 10]
                                              [--connections 32] [--customers 50000]
                                              [--interactions 500000]

Needs wrk (Debian package wrk). Builds the demo data plus the bulk customers
(bench/customers_data.py) in a temporary folder (SQLite) or the database portal_bench_customers
(PostgreSQL, dropped first), starts one uvicorn worker the way `portal serve` does (with the
ceiling route added), signs in as alice (admin of partner A, who owns the customers) and loads
each page with wrk.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from bench.harness import ROOT, measure_pages, require_wrk, scratch_portal, served, sign_in


def pages(ids: dict[str, int]) -> list[tuple[str, str, str]]:
    return [
        ("ceiling: bare 50-row template", "/bench/ceiling", ""),
        ("customer list page 1 (50 of 50,000)", "/customers/", "alice"),
        ("customer list page 500", "/customers/?page=500", "alice"),
        ("list: segment at risk", "/customers/?segment=at_risk", "alice"),
        ("list: tag VIP, sorted by revenue", "/customers/?tag=VIP&sort=revenue", "alice"),
        ("list: overdue follow-ups", "/customers/?followup=overdue", "alice"),
        ("list: search '星河'", "/customers/?q=%E6%98%9F%E6%B2%B3", "alice"),
        ("list: search by phone digits", "/customers/?q=1381234", "alice"),
        ("360° page, typical customer", f"/customers/{ids['typical']}", "alice"),
        ("360° page, 1,000+ contacts", f"/customers/{ids['busiest']}", "alice"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--customers", type=int, default=50_000)
    parser.add_argument("--interactions", type=int, default=500_000)
    args = parser.parse_args()
    require_wrk()
    print(
        f"Preparing {args.database} data: demo, {args.customers:,} customers, "
        f"{args.interactions:,} contacts ...",
        flush=True,
    )
    with scratch_portal(args.database, "portal_bench_customers", "portal-bench-customers-") as env:
        made = subprocess.run(
            [sys.executable, "-m", "bench.customers_data", "--customers", str(args.customers),
             "--interactions", str(args.interactions)],
            env=env, check=True, cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        lines = made.stdout.strip().splitlines()
        print(lines[0], flush=True)
        ids = json.loads(lines[-1])
        with served(env) as url:
            cookies = {"alice": sign_in(url, "alice@partner-a.demo")}
            measure_pages(url, pages(ids), cookies, args.seconds, args.connections, args.database)


if __name__ == "__main__":
    main()
