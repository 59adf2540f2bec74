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
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.serve_compare import free_port, sign_in, wait_ready, wrk

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PG_URL = "postgresql://postgres@127.0.0.1:5432/portal_bench_pages"

PAGES = [
    ("ceiling: bare 50-row template", "/bench/ceiling", False),
    ("prices page 1 (50 of 5,000 SKUs)", "/catalog/", True),
    ("prices page 60, sorted by price", "/catalog/?sort=-price&page=60", True),
    ("prices search 'camera'", "/catalog/?q=camera", True),
    ("prices filtered: low stock", "/catalog/?availability=low", True),
    ("order list page 1 (of 100,000)", "/orders/", True),
    ("order list page 1,000", "/orders/?page=1000", True),
    (
        "order list: delivered in 2025",
        "/orders/?status=delivered&since=2025-01-01&until=2025-12-31",
        True,
    ),
]


def recreate_pg_database() -> None:
    subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-q",
            "-c",
            "DROP DATABASE IF EXISTS portal_bench_pages WITH (FORCE)",
            "-c",
            "CREATE DATABASE portal_bench_pages",
        ],
        check=True,
        capture_output=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--skus", type=int, default=5000)
    parser.add_argument("--orders", type=int, default=100_000)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: sudo apt-get install wrk")
    data = Path(tempfile.mkdtemp(prefix="portal-bench-pages-"))
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
        f"Preparing {args.database} data: demo, {args.skus:,} SKUs, {args.orders:,} orders ...",
        flush=True,
    )
    subprocess.run(
        [str(VENV_BIN / "portal"), "demo-data"], env=env, check=True, capture_output=True
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.orders_data",
            "pages",
            "--skus",
            str(args.skus),
            "--orders",
            str(args.orders),
        ],
        env=env,
        check=True,
        cwd=ROOT,
    )
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(VENV_BIN / "uvicorn"),
            "bench.ceiling_app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    results = {}
    try:
        wait_ready(url, server)
        cookie = sign_in(url)
        print(
            f"\n{args.database}, one uvicorn worker, {args.connections} connections, {args.seconds} s per page"
        )
        print(f"{'page':<40} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs ceiling':>11}")
        for label, path, signed_in in PAGES:
            target = f"{url}{path}"
            wrk(target, 2, args.connections, cookie if signed_in else "")  # warm-up
            r = wrk(target, args.seconds, args.connections, cookie if signed_in else "")
            results[label] = r
            ceiling = results[PAGES[0][0]]["rps"]
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
