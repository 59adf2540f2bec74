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
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from bench.serve_compare import free_port, wait_ready, wrk

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PG_URL = "postgresql://postgres@127.0.0.1:5432/portal_bench_support_queue"

PAGES = [
    ("ceiling: bare 50-row template", "/bench/ceiling", ""),
    ("console queue page 1 (10,000 open)", "/console/cases/", "admin"),
    ("console queue page 100", "/console/cases/?page=100", "admin"),
    ("console queue: breached, urgent", "/console/cases/?sla=breached&priority=urgent", "admin"),
    ("console queue: one assignee", "/console/cases/?assignee=me", "admin"),
    ("partner A's open cases", "/cases/", "alice"),
    ("API: GET /api/v1/cases (50)", "/api/v1/cases", "alice"),
]


def sign_in(url: str, email: str) -> str:
    with httpx.Client(follow_redirects=False) as c:
        c.get(f"{url}/login")
        c.post(
            f"{url}/login",
            data={"_csrf_token": c.cookies["csrftoken"], "email": email, "password": "demo12345"},
        )
        return "; ".join(f"{k}={v}" for k, v in c.cookies.items())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--cases", type=int, default=10_000)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: sudo apt-get install wrk")
    data = Path(tempfile.mkdtemp(prefix="portal-bench-queue-"))
    database_url = f"sqlite:///{data / 'bench.db'}" if args.database == "sqlite" else PG_URL
    if args.database == "postgres":
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c",
             "DROP DATABASE IF EXISTS portal_bench_support_queue WITH (FORCE)", "-c",
             "CREATE DATABASE portal_bench_support_queue"],
            check=True, capture_output=True,
        )  # fmt: skip
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
    print(f"Preparing {args.database} data: demo and {args.cases:,} open cases ...", flush=True)
    subprocess.run(
        [str(VENV_BIN / "portal"), "demo-data"], env=env, check=True, capture_output=True
    )
    subprocess.run(
        [sys.executable, "-m", "bench.support_data", "--cases", str(args.cases)],
        env=env,
        check=True,
        cwd=ROOT,
    )
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(VENV_BIN / "uvicorn"), "bench.ceiling_app:create_app", "--factory", "--host",
         "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    results: dict[str, dict[str, float]] = {}
    try:
        wait_ready(url, server)
        cookies = {
            "admin": sign_in(url, "admin@vendor.demo"),
            "alice": sign_in(url, "alice@partner-a.demo"),
            "": "",
        }
        print(
            f"\n{args.database}, one uvicorn worker, {args.connections} connections,"
            f" {args.seconds} s per page"
        )
        print(f"{'page':<40} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs ceiling':>11}")
        for label, path, who in PAGES:
            target = f"{url}{path}"
            wrk(target, 2, args.connections, cookies[who])  # warm-up
            r = wrk(target, args.seconds, args.connections, cookies[who])
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
