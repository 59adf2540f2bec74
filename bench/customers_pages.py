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
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from bench.serve_compare import free_port, sign_in, wait_ready, wrk

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PG_URL = "postgresql://postgres@127.0.0.1:5432/portal_bench_customers"


def pages(ids: dict[str, int]) -> list[tuple[str, str, bool]]:
    return [
        ("ceiling: bare 50-row template", "/bench/ceiling", False),
        ("customer list page 1 (50 of 50,000)", "/customers/", True),
        ("customer list page 500", "/customers/?page=500", True),
        ("list: segment at risk", "/customers/?segment=at_risk", True),
        ("list: tag VIP, sorted by revenue", "/customers/?tag=VIP&sort=revenue", True),
        ("list: overdue follow-ups", "/customers/?followup=overdue", True),
        ("list: search '星河'", "/customers/?q=%E6%98%9F%E6%B2%B3", True),
        ("list: search by phone digits", "/customers/?q=1381234", True),
        ("360° page, typical customer", f"/customers/{ids['typical']}", True),
        ("360° page, 1,000+ contacts", f"/customers/{ids['busiest']}", True),
    ]


def recreate_pg_database() -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q",
         "-c", "DROP DATABASE IF EXISTS portal_bench_customers WITH (FORCE)",
         "-c", "CREATE DATABASE portal_bench_customers"],
        check=True,
        capture_output=True,
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--customers", type=int, default=50_000)
    parser.add_argument("--interactions", type=int, default=500_000)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: sudo apt-get install wrk")
    data = Path(tempfile.mkdtemp(prefix="portal-bench-customers-"))
    database_url = f"sqlite:///{data / 'bench.db'}" if args.database == "sqlite" else PG_URL
    if args.database == "postgres":
        recreate_pg_database()
    env = {
        **os.environ,
        "PORTAL_DATA_DIR": str(data),
        "DATABASE_URL": database_url,
        "ACCESS_LOG": "0",
        "LOG_LEVEL": "warning",
        "RUN_JOBS_IN_PROCESS": "false",
        "ARGON2_PROFILE": "test",
        "PORTAL_MODE": "demo",
    }
    env.pop("REDIS_URL", None)
    print(
        f"Preparing {args.database} data: demo, {args.customers:,} customers, "
        f"{args.interactions:,} contacts ...",
        flush=True,
    )
    subprocess.run(
        [str(VENV_BIN / "portal"), "demo-data"], env=env, check=True, capture_output=True
    )
    made = subprocess.run(
        [sys.executable, "-m", "bench.customers_data", "--customers", str(args.customers),
         "--interactions", str(args.interactions)],
        env=env, check=True, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    lines = made.stdout.strip().splitlines()
    print(lines[0], flush=True)
    ids = json.loads(lines[-1])
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(VENV_BIN / "uvicorn"), "bench.ceiling_app:create_app", "--factory", "--host",
         "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    results = {}
    try:
        wait_ready(url, server)
        cookie = sign_in(url)
        print(
            f"\n{args.database}, one uvicorn worker, {args.connections} connections, "
            f"{args.seconds} s per page"
        )
        print(f"{'page':<40} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs ceiling':>11}")
        table = pages(ids)
        for label, path, signed_in in table:
            target = f"{url}{path}"
            check = httpx.get(target, headers={"Cookie": cookie} if signed_in else {}, timeout=30)
            if check.status_code != 200:  # a fast error page would make a fine-looking figure
                raise SystemExit(f"{path} answered {check.status_code}")
            wrk(target, 2, args.connections, cookie if signed_in else "")  # warm-up
            r = wrk(target, args.seconds, args.connections, cookie if signed_in else "")
            results[label] = r
            ceiling = results[table[0][0]]["rps"]
            print(
                f"{label:<40} {r['rps']:>8.0f} {r['p50']:>8.1f} {r['p99']:>8.1f} "
                f"{r['rps'] / ceiling:>10.2f}x"
                + (f"  timeouts {r['timeouts']}" if r["timeouts"] else ""),
                flush=True,
            )
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
