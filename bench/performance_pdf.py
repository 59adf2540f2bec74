"""One monthly report as PDF (median of 20) against a minimal one-page WeasyPrint document with
Chinese text, and the ratio. Uses the data of bench/performance_data.py.

    python -m bench.performance_pdf --database postgres [--runs 20]

"report" = reports.render_report: the scorecard (leaderboard of the month, trend, note), the
Jinja template in the partner's language, the SVG chart, and WeasyPrint layout + writing with
the CJK font subset. "minimal" = pdf.html_to_pdf of one short Chinese paragraph.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time

MINIMAL = (
    "<html><body style=\"font-family: 'Noto Sans CJK SC'\"><h1>月度报告</h1>"
    "<p>华东智联科技有限公司 营业额 ¥1,234,567.89</p></body></html>"
)


async def measure(runs: int) -> None:
    from portal.db import close_pool, start_pool
    from portal.lib import pdf
    from portal.partners.tables import Partner
    from portal.performance import reports
    from portal.performance.periods import Period
    from portal.performance.scorecards import local_today

    await start_pool()
    try:
        partner = (
            await Partner.select(Partner.id, Partner.locale)
            .where(Partner.locale == "zh_CN")
            .order_by(Partner.id)
            .first()
        )
        month = Period.containing(local_today()).previous
        data = await reports.render_report(partner["id"], month)  # warm-up (fonts, templates)
        report: list[float] = []
        report_cached: list[float] = []
        minimal: list[float] = []
        for _ in range(runs):
            t0 = time.perf_counter()
            await reports.render_report(partner["id"], month)
            report.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            await reports.render_report(partner["id"], month, cached=True)
            report_cached.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            pdf.html_to_pdf(MINIMAL)
            minimal.append((time.perf_counter() - t0) * 1000)
    finally:
        await close_pool()
    r, rc, m = (statistics.median(v) for v in (report, report_cached, minimal))
    print(
        f"\nreport {month} for partner {partner['id']} ({len(data) / 1024:.0f} KB, Chinese), "
        f"median of {runs}"
    )
    print(f"{'what':<52} {'median ms':>10}")
    print(f"{'report (figures + template + layout + PDF)':<52} {r:>10.0f}")
    print(f"{'report, leaderboard cached as in the monthly batch':<52} {rc:>10.0f}")
    print(f"{'minimal one-page Chinese WeasyPrint document':<52} {m:>10.0f}")
    print(f"ratio report / minimal: {r / m:.1f}   (batch: {rc / m:.1f})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="postgres")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    if os.environ.get("BENCH_CHILD") != "1":
        from bench.performance_data import ROOT, bench_env

        env = {**bench_env(args.database), "BENCH_CHILD": "1"}
        sys.exit(
            subprocess.call(
                [
                    sys.executable,
                    "-m",
                    "bench.performance_pdf",
                    "--database",
                    args.database,
                    "--runs",
                    str(args.runs),
                ],
                env=env,
                cwd=ROOT,
            )
        )
    asyncio.run(measure(args.runs))


if __name__ == "__main__":
    main()
