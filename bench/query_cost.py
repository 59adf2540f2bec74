"""Cost of one small Piccolo select on SQLite: stock engine (a connection per query) against the
portal's pooled engine, and on PostgreSQL with a pool when it is reachable.

    .venv/bin/python bench/query_cost.py [--queries 500]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


async def measure(label: str, n: int) -> float:
    from portal.auth.tables import User

    for _ in range(20):
        await User.select(User.id, User.email).where(User.id == 1).first()
    samples = []
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(n):
            await User.select(User.id, User.email).where(User.id == 1).first()
        samples.append((time.perf_counter() - t0) / n * 1000)
    median = statistics.median(samples)
    print(f"{label:<34} {median:7.3f} ms/query (median of 5 runs of {n})")
    return median


async def main(n: int) -> None:
    from piccolo.engine.sqlite import SQLiteEngine

    from portal.auth.tables import User
    from portal.db import engine
    from portal.partners.setup import migrate_database

    await migrate_database(quiet=True)
    pooled_engine = engine()
    pooled = await measure("SQLite, portal pooled engine", n)
    await pooled_engine.close_pools()  # type: ignore[attr-defined]
    stock_engine = SQLiteEngine(path=pooled_engine.path, timeout=30)  # type: ignore[attr-defined]
    User._meta._db = stock_engine
    stock = await measure("SQLite, stock Piccolo engine", n)
    print(f"pooled is {stock / pooled:.1f}x faster per query")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=500)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="portal-bench-q-"))
    os.environ.update(
        {"PORTAL_DATA_DIR": str(folder), "DATABASE_URL": f"sqlite:///{folder / 'q.db'}"}
    )
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    asyncio.run(main(args.queries))
