"""Speed and memory of the customer import: a generated 20,000-row XLSX file (Chinese headers,
one in ten rows a duplicate of an existing customer) read, checked and written, in process.

    .venv/bin/python -m bench.customers_import [--database sqlite|postgres] [--rows 20000]
                                               [--on-duplicate skip|merge]

Prints the time of each phase (read and stage, check, write), rows per second overall and the
process's peak memory (resident set; and the Python heap peak measured by tracemalloc in a
second, slower pass of the read and check phases).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.scratch import pg_url, recreate_pg_database, run_database

ROOT = Path(__file__).resolve().parent.parent
PG_DB = run_database("portal_bench_import")  # unique per run: two runs never drop each other's data
PG_URL = pg_url(PG_DB)
HEADER = ["客户名称", "类型", "行业", "规模", "省份", "城市", "来源", "负责人", "标签", "备注",
          "联系人", "职位", "手机", "邮箱", "微信"]  # fmt: skip


def make_xlsx(rows: int, seed: int = 3) -> bytes:
    from openpyxl import Workbook

    rng = random.Random(seed)
    # A normal (not write-only) workbook records the sheet's dimension as Excel does; without it
    # openpyxl's reader parses the sheet twice.
    book = Workbook()
    sheet = book.active
    sheet.title = "客户"
    sheet.append(HEADER)
    for n in range(rows):
        duplicate = n % 10 == 9  # the same name as an earlier row: a duplicate
        name = f"导入测试客户 {(n - 1) if duplicate else n:06d} 有限公司"
        sheet.append(
            [name, "公司", "制造业", "中型", "江苏", "苏州", rng.choice(["展会", "官网", "推荐"]),
             "alice@partner-a.demo", "导入;2026", "来自旧系统", f"联系人{n}", "采购经理",
             f"139{n:08d}", f"buyer{n}@import.cn", f"wx{n}"]
        )  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def run(rows: int, on_duplicate: str) -> None:
    import tracemalloc

    from portal.customers import imports
    from portal.db import close_pool, start_pool
    from portal.partners.setup import migrate_database
    from portal.partners.tables import Partner
    from tests.factories import make_partner

    await start_pool()
    try:
        await migrate_database(quiet=True)
        partner_id = await make_partner()
        from portal.auth.constants import Role
        from tests.factories import make_user

        await make_user(Role.PARTNER_ADMIN, partner_id, "alice@partner-a.demo", "Alice")
        code = (await Partner.select(Partner.code).where(Partner.id == partner_id).first())["code"]  # type: ignore[index]
        started = time.perf_counter()
        data = make_xlsx(rows)
        print(
            f"{rows:,}-row XLSX generated: {len(data) / 1024 / 1024:.1f} MB "
            f"in {time.perf_counter() - started:.1f} s (partner {code})",
            flush=True,
        )
        rss_before = peak_rss_mb()
        t0 = time.perf_counter()
        import_id = await imports.stage_import(
            partner_id, None, "customers.xlsx", data, on_duplicate=on_duplicate
        )
        imp = await imports.load_import(import_id)
        t1 = time.perf_counter()
        checked = await imports.check(partner_id, imp)
        t2 = time.perf_counter()
        assert not checked.error_count, checked.errors[:3]
        written = await imports.confirm_import(None, imp)
        t3 = time.perf_counter()
        print(f"read + stage   {t1 - t0:7.2f} s")
        print(
            f"check          {t2 - t1:7.2f} s  ({checked.new:,} new, {checked.duplicates:,} duplicates)"
        )
        print(
            f"write          {t3 - t2:7.2f} s  ({written.created:,} created, {written.merged:,} "
            f"merged, {written.skipped:,} skipped)"
        )
        print(f"total          {t3 - t0:7.2f} s  = {rows / (t3 - t0):,.0f} rows/s")
        print(f"peak RSS       {peak_rss_mb():7.0f} MB (before the import: {rss_before:.0f} MB)")
        tracemalloc.start()
        second = await imports.stage_import(partner_id, None, "again.xlsx", data)
        await imports.check(partner_id, await imports.load_import(second))
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"Python heap peak while reading and checking: {peak / 1024 / 1024:.0f} MB")
    finally:
        await close_pool()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--on-duplicate", choices=("skip", "merge"), default="skip")
    args = parser.parse_args()
    if os.environ.get("_BENCH_CHILD") != "1":
        data = Path(tempfile.mkdtemp(prefix="portal-bench-import-"))
        if args.database == "postgres":
            recreate_pg_database(PG_DB)  # this run's own, dropped at its end
        # Settings are read at import: run the measurement in a child with the database set.
        env = {
            **os.environ,
            "_BENCH_CHILD": "1",
            "PORTAL_DATA_DIR": str(data),
            "DATABASE_URL": f"sqlite:///{data / 'bench.db'}"
            if args.database == "sqlite"
            else PG_URL,
            "ARGON2_PROFILE": "test",
            "LOG_LEVEL": "warning",
        }
        env.pop("REDIS_URL", None)
        try:
            print(f"{args.database}, on duplicate: {args.on_duplicate}", flush=True)
            subprocess.run(
                [sys.executable, "-m", "bench.customers_import", *sys.argv[1:]],
                env=env,
                cwd=ROOT,
                check=True,
            )
        finally:
            shutil.rmtree(data, ignore_errors=True)
        return
    asyncio.run(run(args.rows, args.on_duplicate))


if __name__ == "__main__":
    main()
