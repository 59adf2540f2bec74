"""What the page benchmarks share: a scratch database (temporary SQLite folder or a PostgreSQL
database named for this run and dropped at its end), the demo data, one uvicorn worker serving the
portal plus the bare ceiling route (bench/ceiling_app.py), signed-in cookies, and the wrk table with
the ratio to the ceiling. Each benchmark only adds its data and its list of pages.

Names are unique per run (`portal_bench_<what>_<pid>_<random>`, mkdtemp folders), so two runs at
once never drop each other's data; server processes run in their own process group, stopped as a
group, so no worker is left behind."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench.scratch import (
    pg_url,
    recreate_pg_database,
    run_database,
    start_server,
    stop_server,
)
from bench.serve_compare import free_port, wait_ready, wrk

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
CEILING = ("ceiling: bare 50-row template", "/bench/ceiling", "")


def require_wrk() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: sudo apt-get install wrk")


@contextmanager
def scratch_portal(database: str, pg_name: str, prefix: str) -> Iterator[dict[str, str]]:
    """The environment of a portal on a fresh database with the demo data loaded; the temporary
    folder is removed afterwards."""
    data = Path(tempfile.mkdtemp(prefix=prefix))
    if database == "postgres":
        pg_name = run_database(pg_name)
        recreate_pg_database(pg_name)
        database_url = pg_url(pg_name)
    else:
        database_url = f"sqlite:///{data / 'bench.db'}"
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
    try:
        subprocess.run(
            [str(VENV_BIN / "portal"), "demo-data"], env=env, check=True, capture_output=True
        )
        yield env
    finally:
        shutil.rmtree(data, ignore_errors=True)


@contextmanager
def served(env: dict[str, str]) -> Iterator[str]:
    """One uvicorn worker serving the portal the way `portal serve` does, plus the ceiling route."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = start_server(
        [str(VENV_BIN / "uvicorn"), "bench.ceiling_app:create_app", "--factory", "--host",
         "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning"],
        env, ROOT,
    )  # fmt: skip
    try:
        wait_ready(url, server)
        yield url
    finally:
        stop_server(server)


def sign_in(url: str, email: str) -> str:
    """The cookie header of a signed-in session (every demo password is demo12345)."""
    with httpx.Client(follow_redirects=False) as c:
        c.get(f"{url}/login")
        c.post(
            f"{url}/login",
            data={"_csrf_token": c.cookies["csrftoken"], "email": email, "password": "demo12345"},
        )
        return "; ".join(f"{k}={v}" for k, v in c.cookies.items())


def measure_pages(
    url: str,
    pages: list[tuple[str, str, str]],
    cookies: dict[str, str],
    seconds: int,
    connections: int,
    title: str,
) -> dict[str, dict[str, float]]:
    """wrk on each (label, path, who) page; `who` picks a cookie ("" = anonymous). The first page
    must be the ceiling: every line prints its req/s as a ratio to it. A page that does not answer
    200 stops the run (a fast error page would make a fine-looking figure)."""
    print(f"\n{title}, one uvicorn worker, {connections} connections, {seconds} s per page")
    print(f"{'page':<40} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs ceiling':>11}")
    results: dict[str, dict[str, float]] = {}
    for label, path, who in pages:
        target = f"{url}{path}"
        cookie = cookies.get(who, "") if who else ""
        check = httpx.get(target, headers={"Cookie": cookie} if cookie else {}, timeout=60)
        if check.status_code != 200:
            raise SystemExit(f"{path} answered {check.status_code}")
        wrk(target, 2, connections, cookie)  # warm-up
        r = wrk(target, seconds, connections, cookie)
        results[label] = r
        ceiling = results[pages[0][0]]["rps"]
        print(
            f"{label:<40} {r['rps']:>8.0f} {r['p50']:>8.1f} {r['p99']:>8.1f} "
            f"{r['rps'] / ceiling:>10.2f}x"
            + (f"  timeouts {r['timeouts']}" if r["timeouts"] else ""),
            flush=True,
        )
    return results
