"""The monthly batch: N partners' reports rendered and e-mailed, with one and with two worker
processes (minutes, reports per minute, peak memory per worker), extrapolated to 1,000.

    python -m bench.performance_batch --database postgres [--partners 100]

Each worker is a separate process doing what the arq job does (claim a delivery row with its
lease, render once, mail every recipient, mark it sent) until no row is left; two workers split
the rows through the claim. Mail goes to the outbox folder (no SMTP_URL), so the figures are
rendering + database + writing the message. Uses the data of bench/performance_data.py.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import time


async def prepare(partners: int) -> str:
    from portal.db import close_pool, start_pool
    from portal.lib.clock import today as local_today
    from portal.partners.tables import Partner
    from portal.performance import deliveries
    from portal.performance.periods import Period
    from portal.performance.tables import ReportDelivery

    await start_pool()
    try:
        month = Period.containing(local_today()).previous
        await ReportDelivery.delete().where(ReportDelivery.period == month.code)
        ids = [
            r["id"] for r in await Partner.select(Partner.id).order_by(Partner.id).limit(partners)
        ]
        await deliveries.ensure_deliveries(month, ids)
        return month.code
    finally:
        await close_pool()


async def work() -> dict[str, float]:
    from portal.db import close_pool, start_pool
    from portal.performance import deliveries
    from portal.performance.periods import Period

    await start_pool()
    sent = 0
    try:
        period = Period.parse(os.environ["BENCH_PERIOD"])
        while True:
            due = await deliveries.due_deliveries(period, limit=20)
            if not due:
                break
            for row in due:
                if await deliveries.send_report(int(row["id"])) == "sent":
                    sent += 1
    finally:
        await close_pool()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"sent": sent, "peak_mb": peak_mb}


def run_batch(env: dict[str, str], workers: int) -> tuple[float, list[dict[str, float]]]:
    t0 = time.perf_counter()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "bench.performance_batch", "--worker"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    results = [json.loads(p.communicate()[0].decode().strip().splitlines()[-1]) for p in procs]
    return time.perf_counter() - t0, results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="postgres")
    parser.add_argument("--partners", type=int, default=1000)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(asyncio.run(work())))
        return
    from bench.performance_data import ROOT, bench_env

    env = {**bench_env(args.database), "BENCH_CHILD": "1"}
    env.pop("SMTP_URL", None)
    os.chdir(ROOT)
    rows = []
    for workers in (1, 2):
        code = (
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    f"import asyncio; from bench.performance_batch import prepare; "
                    f"print(asyncio.run(prepare({args.partners})))",
                ],
                env=env,
                check=True,
                capture_output=True,
                cwd=ROOT,
            )
            .stdout.decode()
            .strip()
            .splitlines()[-1]
        )
        env["BENCH_PERIOD"] = code
        seconds, results = run_batch(env, workers)
        sent = sum(int(r["sent"]) for r in results)
        rows.append((workers, seconds, sent, [r["peak_mb"] for r in results]))
    print(f"\n{args.database}: monthly batch {code}, {args.partners:,} partners")
    print(
        f"{'workers':>7} {'reports':>8} {'seconds':>8} {'reports/min':>12} "
        f"{'1,000 reports (min)':>20} {'peak MB per worker':>20}"
    )
    for workers, seconds, sent, peaks in rows:
        per_min = sent / seconds * 60 if seconds else 0
        thousand = 1000 / per_min if per_min else float("nan")
        print(
            f"{workers:>7} {sent:>8} {seconds:>8.1f} {per_min:>12.0f} {thousand:>20.1f} "
            f"{', '.join(f'{p:.0f}' for p in peaks):>20}"
        )
    if args.partners != 1000:
        print(
            "(1,000 reports extrapolated linearly from this run: each report is independent "
            "work, the leaderboard is built once per worker and language)"
        )


if __name__ == "__main__":
    main()
