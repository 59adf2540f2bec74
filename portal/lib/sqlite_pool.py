"""A Piccolo SQLite engine that keeps its connections instead of opening one per query.

Stock Piccolo opens a new aiosqlite connection (and thread) for every query outside a
transaction, which costs 3-5 ms each (../shared/RECIPES.md, "Speed"). This engine keeps a few
connections per event loop and hands them out one query at a time. Transactions still get a
connection of their own from Piccolo. WAL mode (set by `portal migrate`) lets the pooled readers
run beside a writer; the busy timeout makes writers queue.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiosqlite
from piccolo.engine.sqlite import SQLiteEngine, dict_factory

POOL_SIZE = 4


class _Pool:
    def __init__(self, kwargs: dict[str, Any], size: int) -> None:
        self.kwargs = kwargs
        self.size = size
        self.idle: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        self.created = 0
        self.all: list[aiosqlite.Connection] = []

    async def acquire(self) -> aiosqlite.Connection:
        if self.idle.empty() and self.created < self.size:
            self.created += 1
            try:
                connection = await aiosqlite.connect(**self.kwargs)
            except BaseException:
                self.created -= 1
                raise
            connection.row_factory = dict_factory  # type: ignore[assignment]
            await connection.execute("PRAGMA foreign_keys = 1")
            self.all.append(connection)
            return connection
        return await self.idle.get()

    def release(self, connection: aiosqlite.Connection) -> None:
        self.idle.put_nowait(connection)

    async def discard(self, connection: aiosqlite.Connection) -> None:
        self.created -= 1
        if connection in self.all:
            self.all.remove(connection)
        try:
            await connection.close()
        except Exception:  # noqa: S110 (a broken connection may fail to close; it is gone anyway)
            pass

    async def close(self) -> None:
        for connection in self.all:
            try:
                await connection.close()
            except Exception:  # noqa: S110
                pass
        self.all.clear()
        self.created = 0
        self.idle = asyncio.Queue()


class PooledSQLiteEngine(SQLiteEngine):
    """SQLiteEngine whose queries outside transactions reuse kept connections."""

    def __init__(self, *args: Any, pool_size: int = POOL_SIZE, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pools: dict[int, _Pool] = {}
        self._pool_size = pool_size

    def _pool(self) -> _Pool:
        loop_id = id(asyncio.get_running_loop())
        pool = self._pools.get(loop_id)
        if pool is None:
            pool = self._pools[loop_id] = _Pool(dict(self.connection_kwargs), self._pool_size)
        return pool

    async def close_pools(self) -> None:
        """Close every kept connection (tests do this before swapping the database file)."""
        pools, self._pools = self._pools, {}
        for pool in pools.values():
            await pool.close()

    async def _run_in_new_connection(  # type: ignore[override]
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> Any:
        if (
            query_type == "insert" and self.get_version_sync() < 3.35
        ):  # no RETURNING: Piccolo's path
            return await super()._run_in_new_connection(query, args, query_type, table)
        pool = self._pool()
        connection = await pool.acquire()
        try:
            async with connection.execute(query, args or []) as cursor:
                await connection.commit()
                rows = await cursor.fetchall()
        except aiosqlite.OperationalError:
            await connection.rollback()
            pool.release(connection)
            raise
        except BaseException:
            await pool.discard(connection)
            raise
        pool.release(connection)
        return rows
