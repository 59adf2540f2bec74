"""Speed of the case queues with 10,000 open cases beside the same server's ceiling (a bare
50-row template page without database or session).

    .venv/bin/python -m bench.support_queue [--database sqlite|postgres] [--seconds 10]
                                            [--connections 32] [--cases 10000]

Needs wrk (Debian package wrk). Builds the demo data plus N open cases (bench/support_data.py)
in a temporary folder (SQLite) or the database portal_bench_support_queue (PostgreSQL, dropped
first), starts one uvicorn worker the way `portal serve` does (with the ceiling route added),
signs in as the vendor admin (console queue) and as alice (partner A's own list), and loads each
page with wrk: p50/p99, req/s and the ratio to the ceiling.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from bench.harness import ROOT, measure_pages, require_wrk, scratch_portal, served, sign_in

PAGES = [
    ("ceiling: bare 50-row template", "/bench/ceiling", ""),
    ("console queue page 1 (10,000 open)", "/console/cases/", "admin"),
    ("console queue page 100", "/console/cases/?page=100", "admin"),
    ("console queue: breached, urgent", "/console/cases/?sla=breached&priority=urgent", "admin"),
    ("console queue: one assignee", "/console/cases/?assignee=me", "admin"),
    ("partner A's open cases", "/cases/", "alice"),
    ("API: GET /api/v1/cases (50)", "/api/v1/cases", "alice"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--cases", type=int, default=10_000)
    args = parser.parse_args()
    require_wrk()
    print(f"Preparing {args.database} data: demo and {args.cases:,} open cases ...", flush=True)
    with scratch_portal(args.database, "portal_bench_support_queue", "portal-bench-queue-") as env:
        subprocess.run(
            [sys.executable, "-m", "bench.support_data", "--cases", str(args.cases)],
            env=env,
            check=True,
            cwd=ROOT,
        )
        with served(env) as url:
            cookies = {
                "admin": sign_in(url, "admin@vendor.demo"),
                "alice": sign_in(url, "alice@partner-a.demo"),
            }
            measure_pages(url, PAGES, cookies, args.seconds, args.connections, args.database)


if __name__ == "__main__":
    main()
