"""Speed of the minute SLA job (the escalation ladder check) over 100,000 open cases.

    .venv/bin/python -m bench.support_sla [--database sqlite|postgres] [--cases 100000] [--runs 5]

Builds the demo data plus N open cases (bench/support_data.py) in a temporary folder (SQLite) or
the database portal_bench_support (PostgreSQL, dropped first), then times, in this process:
1. the first run after loading (every case that is already past a threshold is escalated at
   once: the catch-up a new installation or a long outage would see);
2. the same check again (after the statistics refresh autovacuum would make; nothing new is due:
   the cost every minute of a quiet desk);
3. a run in which 1 % of the cases (not warned before) reach a warning (a busy minute);
4. a second identical run (idempotency: nothing is written twice).
Prints seconds per run and the escalation steps written.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.scratch import pg_url, recreate_pg_database, run_database

VENV_BIN = Path(sys.executable).parent
PG_DB = run_database(
    "portal_bench_support"
)  # unique per run: two runs never drop each other's data
PG_URL = pg_url(PG_DB)


def prepare(database: str, cases: int) -> Path:
    data = Path(tempfile.mkdtemp(prefix="portal-bench-support-"))
    url = f"sqlite:///{data / 'bench.db'}" if database == "sqlite" else PG_URL
    if database == "postgres":
        recreate_pg_database(PG_DB)  # this run's own, dropped at its end
    os.environ.update(
        {
            "PORTAL_DATA_DIR": str(data),
            "DATABASE_URL": url,
            "RUN_JOBS_IN_PROCESS": "false",
            "ARGON2_PROFILE": "test",
            "PORTAL_MODE": "demo",
            "LOG_LEVEL": "warning",
        }
    )
    os.environ.pop("REDIS_URL", None)
    print(f"Preparing {database} data: demo and {cases:,} open cases ...", flush=True)
    subprocess.run([str(VENV_BIN / "portal"), "demo-data"], check=True, capture_output=True)
    subprocess.run(
        [sys.executable, "-m", "bench.support_data", "--cases", str(cases)],
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return data


async def measure(cases: int, runs: int) -> None:
    from portal.db import close_pool, start_pool
    from portal.lib.clock import now
    from portal.support.escalation import check_deadlines, unnotified
    from portal.support.tables import SupportCase

    await start_pool()
    try:

        async def timed(label: str) -> float:
            started = time.perf_counter()
            result = await check_deadlines()
            await unnotified()
            seconds = time.perf_counter() - started
            print(f"{label:<52} {seconds:>8.3f} s   {result.escalations:>7,} steps", flush=True)
            return seconds

        open_cases = await SupportCase.count().where(SupportCase.status.is_in(["new", "open"]))
        print(f"\n{open_cases:,} open cases")
        print(f"{'run':<52} {'seconds':>10}   {'written':>7}")
        await timed("1. first run after loading (catch-up)")
        # After hundreds of thousands of changed rows PostgreSQL's autovacuum refreshes the
        # planner statistics on its own; do it now, as a desk in service would have it.
        from bench.orders_data import analyze

        await analyze()
        quiet = [await timed(f"2. quiet minute, run {i + 1}") for i in range(runs)]
        moment = now()
        due = max(cases // 100, 1)
        # 1 % of the cases (among those not warned yet) reach their resolution warning now
        await SupportCase.raw(
            "UPDATE support_case SET res_warn_at = {} WHERE id IN (SELECT id FROM support_case"
            " WHERE res_level = 0 AND status IN ('new', 'open') ORDER BY id LIMIT {})",
            moment,
            due,
        )
        busy = await timed(f"3. busy minute: {due:,} cases become due")
        again = await timed("4. the same minute again (idempotent: 0 written)")
        print(
            f"\nquiet minute median {statistics.median(quiet):.3f} s, busy minute {busy:.3f} s,"
            f" repeat {again:.3f} s per run over {open_cases:,} open cases"
        )
    finally:
        await close_pool()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data = prepare(args.database, args.cases)
    try:
        asyncio.run(measure(args.cases, args.runs))
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
