"""Oversell: 64 concurrent API clients order a SKU with 10 units in stock, through a real
`portal serve` process, on SQLite and on PostgreSQL; then the same clients order a plentiful SKU
to measure throughput.

    .venv/bin/python -m bench.orders_oversell [--database sqlite|postgres|both] [--clients 64]
                                              [--stock 10] [--attempts 5] [--orders 20]

Phase 1 (correctness): every client submits `attempts` orders of 1 unit of HOT-1 (stock 10) at
once. Expected: exactly 10 orders created (201), every other answer a 409 naming the line, 10 units
reserved, no negative stock. Phase 2 (throughput): every client submits `orders` orders of 1 unit
of PLENTY-1; all succeed. Both print orders per second and p50/p99 submit latency. Clients are
asyncio tasks in this process (one HTTP connection each) on the same machine as the server, so
the figures include the load generator's share of the CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.scratch import pg_url, recreate_pg_database, run_database, start_server, stop_server
from bench.serve_compare import free_port, wait_ready

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PG_DB = run_database(
    "portal_bench_oversell"
)  # unique per run: two runs never drop each other's data
PG_URL = pg_url(PG_DB)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


async def storm(url: str, tokens: list[str], sku: str, per_client: int) -> dict[str, Any]:
    """Every client sends `per_client` orders of 1 unit, one after the other, all clients at once."""
    latencies: list[float] = []
    answers: list[tuple[int, dict[str, Any]]] = []
    start = asyncio.Event()

    async def client(token: str, n: int) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60) as http:
            await start.wait()
            for attempt in range(per_client):
                began = time.perf_counter()
                response = await http.post(
                    "/api/v1/orders",
                    json={"lines": [{"sku": sku, "quantity": 1}]},
                    headers={"Idempotency-Key": f"bench-{sku}-{n}-{attempt}"},
                )
                latencies.append((time.perf_counter() - began) * 1000)
                answers.append((response.status_code, response.json()))

    tasks = [asyncio.create_task(client(t, n)) for n, t in enumerate(tokens)]
    await asyncio.sleep(0.5)  # let every client connect first
    began = time.perf_counter()
    start.set()
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - began
    return {"elapsed": elapsed, "latencies": latencies, "answers": answers}


def stock_rows(database_url: str, sku: str) -> list[tuple[int, int]]:
    query = (
        "SELECT sl.on_hand, sl.reserved FROM stock_level sl JOIN product p ON p.id = sl.product "
        f"WHERE p.sku = '{sku}'"
    )
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.split(":///", 1)[1]) as conn:
            return [tuple(r) for r in conn.execute(query)]
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", PG_DB, "-At", "-F", ",", "-c", query],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [tuple(int(x) for x in line.split(",")) for line in out.splitlines() if line]  # type: ignore[misc]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a server's process group (Linux /proc; the group start_server
    made, so granian's worker processes count too), to show the server's own share."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[2]) == pid:  # its process group
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def report(label: str, result: dict[str, Any]) -> None:
    lat = result["latencies"]
    created = sum(1 for status, _ in result["answers"] if status == 201)
    cpu = result.get("server_cpu", 0.0)
    print(
        f"  {label}: {len(lat)} submissions in {result['elapsed']:.2f} s = "
        f"{len(lat) / result['elapsed']:.0f} submissions/s, {created / result['elapsed']:.0f} orders/s; "
        f"latency p50 {statistics.median(lat):.0f} ms, p99 {percentile(lat, 99):.0f} ms; "
        f"server CPU {cpu * 1000 / len(lat):.1f} ms per submission"
    )


def run_backend(database: str, args: argparse.Namespace) -> bool:
    data = Path(tempfile.mkdtemp(prefix="portal-bench-oversell-"))
    database_url = f"sqlite:///{data / 'bench.db'}" if database == "sqlite" else PG_URL
    if database == "postgres":
        recreate_pg_database(PG_DB)  # this run's own, dropped at its end
    env = {
        **os.environ,
        "PORTAL_DATA_DIR": str(data),
        "DATABASE_URL": database_url,
        "ACCESS_LOG": "0",
        "LOG_LEVEL": "warning",
        "ARGON2_PROFILE": "test",
        "PORTAL_MODE": "demo",
    }
    env.pop("REDIS_URL", None)
    tokens_file = data / "tokens.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.orders_data",
            "oversell",
            "--clients",
            str(args.clients),
            "--stock",
            str(args.stock),
            "--out",
            str(tokens_file),
        ],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    tokens = json.loads(tokens_file.read_text())
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = start_server([str(VENV_BIN / "portal"), "serve", "--port", str(port)], env, ROOT)
    ok = True
    try:
        wait_ready(url, server)
        print(f"\n{database}: `portal serve` (one worker), {len(tokens)} concurrent API clients")
        before = cpu_seconds(server.pid)
        hot = asyncio.run(storm(url, tokens, "HOT-1", args.attempts))
        hot["server_cpu"] = cpu_seconds(server.pid) - before
        statuses: dict[int, int] = {}
        for status, _body in hot["answers"]:
            statuses[status] = statuses.get(status, 0) + 1
        refusals = [body for status, body in hot["answers"] if status == 409]
        clear = all(
            body.get("lines") and body["lines"][0]["sku"] == "HOT-1" and body["lines"][0]["message"]
            for body in refusals
        )
        levels = stock_rows(database_url, "HOT-1")
        reserved = sum(r for _o, r in levels)
        negative = any(o < 0 or r < 0 or r > o for o, r in levels)
        created = statuses.get(201, 0)
        print(
            f"  HOT-1, stock {args.stock}: {created} orders created, answers {dict(sorted(statuses.items()))}, "
            f"{reserved} units reserved, negative or over-reserved stock: {'YES' if negative else 'no'}, "
            f"every refusal names the line: {'yes' if clear else 'NO'}"
        )
        if refusals:
            print(f"  a refusal: {json.dumps(refusals[0], ensure_ascii=False)}")
        ok = (
            created == args.stock == reserved
            and not negative
            and clear
            and set(statuses) <= {201, 409}
        )
        print(f"  oversell check: {'PASS' if ok else 'FAIL'}")
        report("HOT-1 storm", hot)
        before = cpu_seconds(server.pid)
        plenty = asyncio.run(storm(url, tokens, "PLENTY-1", args.orders))
        plenty["server_cpu"] = cpu_seconds(server.pid) - before
        failed = sum(1 for status, _ in plenty["answers"] if status != 201)
        report(f"PLENTY-1 throughput ({failed} failed)", plenty)
        ok = ok and failed == 0
    finally:
        stop_server(server, timeout=15)  # its process group: no worker left behind
        shutil.rmtree(data, ignore_errors=True)
    return ok


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--stock", type=int, default=10)
    parser.add_argument("--attempts", type=int, default=5, help="orders per client on HOT-1")
    parser.add_argument("--orders", type=int, default=20, help="orders per client on PLENTY-1")
    args = parser.parse_args()
    backends = ("sqlite", "postgres") if args.database == "both" else (args.database,)
    results = [run_backend(b, args) for b in backends]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
