"""Payments under a storm, and the money figures over a long ledger, through a real
`portal serve` process, on SQLite and on PostgreSQL.

    .venv/bin/python -m bench.finance_payments [--database sqlite|postgres|both] [--clients 64]
                                               [--rows 10000]

Phase 1 (correctness): 64 API clients post the same payment (same bank reference) at once to
POST /api/v1/payments. Expected: one payment row, one ledger posting, every answer 201 or 200
naming the same payment id: prints PASS/FAIL. Phase 2: `rows` receivables and about as many
payments (a ledger of ~2 x rows postings) for one partner, then the time of the account summary
(what the money page and the credit card read), the latest 100 ledger rows with running
balances, last month's statement (opening balance over the whole ledger, the month's lines) and
its PDF, and GET /api/v1/receivables, p50/p99 over repeated calls in this process.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.orders_oversell import cpu_seconds, percentile
from bench.scratch import pg_url, recreate_pg_database, run_database, start_server, stop_server
from bench.serve_compare import free_port, wait_ready

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PG_DB = run_database(
    "portal_bench_finance"
)  # unique per run: two runs never drop each other's data
PG_URL = pg_url(PG_DB)


async def setup(out: str, rows: int) -> None:
    """A vendor admin with an API token, partner P (storm) and partner L (long ledger)."""
    from portal.auth.constants import Role
    from portal.auth.schemas import CurrentUser
    from portal.auth.services import create_user
    from portal.auth.sessions import create_api_token
    from portal.db import close_pool, start_pool
    from portal.finance import ledger
    from portal.finance.constants import LedgerKind
    from portal.finance.tables import LedgerEntry, Payment, Receivable
    from portal.lib.clock import now, today
    from portal.partners.schemas import NewPartner
    from portal.partners.services import create_partner, ensure_default_tiers, tier_by_code
    from portal.partners.setup import migrate_database
    from portal.partners.tables import Partner

    await start_pool()
    try:
        await migrate_database(quiet=True)
        await ensure_default_tiers()
        gold = await tier_by_code("gold")
        ids = []
        for name in ("压测伙伴 P", "长账伙伴 L"):
            ids.append(
                await create_partner(
                    None,
                    NewPartner(
                        name=name,
                        kind="dealer",
                        tier_id=gold["id"],
                        province="SH",
                        credit_limit_amount=10**12,
                        tier_reason="bench",
                    ),
                )
            )
        user_id = await create_user(
            email="vera@bench.test",
            name="Vera",
            password="bench-password-123",
            role=Role.VENDOR_ADMIN,
            partner_id=None,
        )
        vera = CurrentUser(id=user_id, email="vera@bench.test", name="Vera", role="vendor_admin")
        storm_partner = await Partner.select(Partner.code).where(Partner.id == ids[0]).first()
        # the long ledger: `rows` receivables over two years and a payment for most of them,
        # written in bulk (the verbs are measured in phase 1), then allocated in one settle()
        long_id, moment, start = ids[1], now(), today() - dt.timedelta(days=730)
        receivables = [
            Receivable(
                partner=long_id,
                shipment_id=10_000_000 + n,
                order_id=10_000_000 + n,
                order_number=f"SO-BENCH-{n:06d}",
                amount=1_000_00 + n % 997 * 100,
                issued_on=start + dt.timedelta(days=n * 730 // rows),
                due_on=start + dt.timedelta(days=n * 730 // rows + 30),
                created_at=moment,
            )
            for n in range(rows)
        ]
        for s in range(0, rows, 500):
            inserted = await Receivable.insert(*receivables[s : s + 500]).returning(
                Receivable.id, Receivable.amount, Receivable.issued_on
            )
            await LedgerEntry.insert(
                *[
                    LedgerEntry(
                        partner=long_id,
                        kind=LedgerKind.RECEIVABLE,
                        amount=r["amount"],
                        posted_on=r["issued_on"],
                        receivable=r["id"],
                        at=moment,
                    )
                    for r in inserted
                ]
            )
        paid = int(rows * 0.95)
        payments = [
            Payment(
                partner=long_id,
                amount=receivables[n].amount,
                paid_on=receivables[n].due_on,
                bank_reference=f"BENCH-L-{n:06d}",
                created_at=moment,
            )
            for n in range(paid)
        ]
        for s in range(0, paid, 500):
            inserted = await Payment.insert(*payments[s : s + 500]).returning(
                Payment.id, Payment.amount, Payment.paid_on
            )
            await LedgerEntry.insert(
                *[
                    LedgerEntry(
                        partner=long_id,
                        kind=LedgerKind.PAYMENT,
                        amount=-r["amount"],
                        posted_on=r["paid_on"],
                        payment=r["id"],
                        at=moment,
                    )
                    for r in inserted
                ]
            )
        began = time.perf_counter()
        await ledger.lock_account(long_id)
        made = await ledger.settle(long_id)
        settle_s = time.perf_counter() - began
        token = await create_api_token(vera, "bench")
        text = json.dumps(
            {
                "token": token,
                "storm_code": storm_partner["code"],
                "long_id": long_id,
                "allocations": len(made),
                "settle_s": settle_s,
                "ledger_rows": await LedgerEntry.count().where(LedgerEntry.partner == long_id),
            }
        )
        await asyncio.to_thread(Path(out).write_text, text)
    finally:
        await close_pool()


async def storm(url: str, token: str, code: str, clients: int) -> dict[str, Any]:
    body = {
        "partner_code": code,
        "amount": 100000,
        "paid_on": "2026-12-01",
        "bank_reference": "ICBC-STORM-0001",
    }
    start = asyncio.Event()
    answers: list[tuple[int, Any, float]] = []

    async def client() -> None:
        async with httpx.AsyncClient(
            base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=120
        ) as http:
            await start.wait()
            began = time.perf_counter()
            response = await http.post("/api/v1/payments", json=body)
            answers.append(
                (response.status_code, response.json(), (time.perf_counter() - began) * 1000)
            )

    tasks = [asyncio.create_task(client()) for _ in range(clients)]
    await asyncio.sleep(0.5)
    began = time.perf_counter()
    start.set()
    await asyncio.gather(*tasks)
    return {"elapsed": time.perf_counter() - began, "answers": answers}


async def reads(url: str, token: str, env: dict[str, str], long_id: int) -> dict[str, list[float]]:
    """The money figures of the long-ledger partner, in this process against its database."""
    os.environ.update(env)
    from portal.auth.schemas import CurrentUser
    from portal.db import close_pool, start_pool
    from portal.finance import reads as finance_reads
    from portal.finance import statement_pages, statements

    vera = CurrentUser(id=1, email="vera@bench.test", name="Vera", role="vendor_admin")
    timings: dict[str, list[float]] = {
        "account summary": [],
        "ledger (latest 100)": [],
        "statement of last month": [],
        "statement PDF": [],
        "API": [],
    }
    period = statements.recent_periods(1)[0]
    await start_pool()
    try:
        for _ in range(20):
            began = time.perf_counter()
            await finance_reads.account_summary(long_id)
            timings["account summary"].append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            await finance_reads.list_ledger(vera, long_id, 100)
            timings["ledger (latest 100)"].append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            detail = await statement_pages.statement_for(vera, long_id, period)
            timings["statement of last month"].append((time.perf_counter() - began) * 1000)
        timings["statement lines"] = [float(len(detail["lines"]))]
        for _ in range(3):
            began = time.perf_counter()
            await statement_pages.statement_pdf(detail, "zh_CN")
            timings["statement PDF"].append((time.perf_counter() - began) * 1000)
        async with httpx.AsyncClient(
            base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60
        ) as http:
            for _ in range(20):
                began = time.perf_counter()
                response = await http.get("/api/v1/receivables?status=all&per_page=50")
                assert response.status_code == 200, response.text
                timings["API"].append((time.perf_counter() - began) * 1000)
    finally:
        await close_pool()
    return timings


def run_backend(database: str, args: argparse.Namespace) -> bool:
    data = Path(tempfile.mkdtemp(prefix="portal-bench-finance-"))
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
    out = data / "setup.json"
    subprocess.run(
        [sys.executable, "-m", "bench.finance_payments", "--setup", str(out), "--rows", str(args.rows)],
        env=env,
        check=True,
        cwd=ROOT,
    )  # fmt: skip
    info = json.loads(out.read_text())
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = start_server([str(VENV_BIN / "portal"), "serve", "--port", str(port)], env, ROOT)
    try:
        wait_ready(url, server)
        print(f"\n{database}: `portal serve` (one worker), {args.clients} concurrent API clients")
        before = cpu_seconds(server.pid)
        result = asyncio.run(storm(url, info["token"], info["storm_code"], args.clients))
        cpu = cpu_seconds(server.pid) - before
        statuses: dict[int, int] = {}
        for status, _body, _ms in result["answers"]:
            statuses[status] = statuses.get(status, 0) + 1
        ids = {body.get("id") for _s, body, _ms in result["answers"]}
        latencies = [ms for _s, _b, ms in result["answers"]]
        ok = statuses.get(201, 0) == 1 and set(statuses) <= {200, 201} and len(ids) == 1
        print(
            f"  same bank reference x{args.clients}: answers {dict(sorted(statuses.items()))}, "
            f"{len(ids)} distinct payment id(s): {'PASS' if ok else 'FAIL'}; "
            f"{result['elapsed']:.2f} s, latency p50 {statistics.median(latencies):.0f} ms, "
            f"p99 {percentile(latencies, 99):.0f} ms, server CPU {cpu * 1000 / len(latencies):.1f} ms each"
        )
        print(
            f"  long ledger: {info['ledger_rows']} postings, {args.rows} receivables; "
            f"allocating {info['allocations']} payments in one settle(): {info['settle_s']:.2f} s"
        )
        timings = asyncio.run(reads(url, info["token"], env, info["long_id"]))
        print(f"  last month's statement has {int(timings.pop('statement lines')[0])} lines")
        for label, values in timings.items():
            print(
                f"  {label}: p50 {statistics.median(values):.1f} ms, "
                f"p99 {percentile(values, 99):.1f} ms"
            )
    finally:
        stop_server(server, timeout=15)  # its process group: no worker left behind
        shutil.rmtree(data, ignore_errors=True)
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--setup", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        asyncio.run(setup(args.setup, args.rows))
        return
    backends = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    ok = all([run_backend(b, args) for b in backends])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
