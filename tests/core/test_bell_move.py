"""The bell's table moved from the communications app to core without touching a row: a database
made before the move (its migration history without the two history-only migrations) upgrades
with its notifications kept, and undoing the move's migrations drops nothing either. Each step is
`portal migrate` (or Piccolo's backwards) in its own process on a database of the test's own."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

MOVE = {
    "core": "2026-12-03T18:38:18:705719",
    "communications": "2026-12-03T18:38:20:344440",
}
BACKWARDS = """
import asyncio, sys
import portal  # noqa: F401
from piccolo.apps.migrations.commands.backwards import run_backwards
async def main():
    for app, mid in (("core", sys.argv[1]), ("communications", sys.argv[2])):
        result = await run_backwards(app_name=app, migration_id=mid, auto_agree=True)
        assert result.success, result.message
    from portal.db import engine
    await engine().close_pools()  # aiosqlite's threads would keep the process alive
asyncio.run(main())
"""


def _run(db: Path, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]


def _migrate(db: Path) -> None:
    _run(db, sys.executable, "-m", "portal.cli", "migrate")


def _history(db: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT app_name, name FROM migration WHERE name IN (?, ?)", tuple(MOVE.values())
        ).fetchall()
    return set(rows)


def _bell(db: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT user, title_zh FROM notification ORDER BY id").fetchall()


def _ring(db: Path, ref: str) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO notification (user, kind, title_en, title_zh, link, dedup_key, created_at)"
            " VALUES (1, 'order', 'Order shipped', '订单已发货', '/orders/1', ?, '2026-12-01')",
            (ref,),
        )


def test_a_database_made_before_the_move_keeps_its_bell_entries(tmp_path: Path) -> None:
    db = tmp_path / "before.db"
    _migrate(db)
    with sqlite3.connect(db) as conn:  # the database as the release before the move left it
        conn.execute("DELETE FROM migration WHERE name IN (?, ?)", tuple(MOVE.values()))
    _ring(db, "order-1")
    assert _history(db) == set()

    _migrate(db)

    assert _history(db) == set(MOVE.items())
    assert _bell(db) == [(1, "订单已发货")]
    # the unique (user, ref) index came along: the same entry cannot ring twice
    try:
        _ring(db, "order-1")
    except sqlite3.IntegrityError:
        pass
    else:
        raise AssertionError("a second bell entry for the same ref was stored")


def test_undoing_the_move_drops_no_table(tmp_path: Path) -> None:
    db = tmp_path / "undo.db"
    _migrate(db)
    _ring(db, "case-1")
    _run(db, sys.executable, "-c", BACKWARDS, MOVE["core"], MOVE["communications"])
    assert _history(db) == set()
    assert _bell(db) == [(1, "订单已发货")]
    _migrate(db)
    assert _history(db) == set(MOVE.items())
    assert _bell(db) == [(1, "订单已发货")]
