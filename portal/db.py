"""Database helpers: write transactions that queue on SQLite, the pool, and engine facts."""

from __future__ import annotations

from typing import Any

from piccolo.engine.base import Engine
from piccolo.engine.finder import engine_finder
from piccolo.engine.sqlite import TransactionType


def engine() -> Engine:
    db = engine_finder()
    assert db is not None, "portal.piccolo_conf defines DB"
    return db


def is_sqlite() -> bool:
    return engine().engine_type == "sqlite"


def write_transaction() -> Any:
    """A transaction for writes. On SQLite it starts IMMEDIATE, so concurrent writers wait for
    the lock (busy timeout) instead of failing half-way with "database is locked"."""
    db = engine()
    if db.engine_type == "sqlite":
        return db.transaction(transaction_type=TransactionType.immediate)  # type: ignore[call-arg]
    return db.transaction()


async def start_pool() -> bool:
    """Open the PostgreSQL pool; False when there is nothing to do (SQLite, or already open)."""
    db = engine()
    if db.engine_type == "postgres" and getattr(db, "pool", None) is None:
        await db.start_connection_pool(min_size=1, max_size=20)  # type: ignore[call-arg]
        return True
    return False


async def close_pool() -> None:
    db = engine()
    if hasattr(db, "close_pools"):
        await db.close_pools()
    if db.engine_type == "postgres" and getattr(db, "pool", None) is not None:
        await db.close_connection_pool()  # type: ignore[attr-defined]
        db.pool = None  # type: ignore[attr-defined]
