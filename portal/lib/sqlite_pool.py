"""A Piccolo SQLite engine that keeps its connections instead of opening one per query.

Stock Piccolo opens a new aiosqlite connection (and thread) for every query outside a
transaction, which costs 3-5 ms each (../shared/RECIPES.md, "Speed"). This engine keeps a few
connections per event loop and hands them out one query at a time; transactions take kept
connections too (from a second, unbounded set, so a transaction never waits for a reader). WAL
mode (set by `portal migrate`) lets the pooled readers run beside a writer; the busy timeout makes
writers queue.

Each statement is one hop to the connection's aiosqlite thread: execute, fetch, close and (outside
a transaction) commit run together in one function there, instead of four awaited round trips
(issue 19: 0.2-0.5 ms a statement in hand-offs for 4-30 us of SQLite work).
"""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

import aiosqlite
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory

POOL_SIZE = 4
TRANSACTION_IDLE = 4  # transaction connections kept idle per loop; more are opened when needed


def _statement(conn: sqlite3.Connection, query: str, args: list[Any], commit: bool) -> list[Any]:
    """Run on the connection's thread: the whole statement, its rows, and the commit of the
    implicit transaction sqlite3 opens for a write (a failed one is rolled back here)."""
    try:
        cursor = conn.execute(query, args)
        try:
            rows = cursor.fetchall()
        finally:
            cursor.close()
        if commit and conn.in_transaction:
            conn.commit()
    except sqlite3.Error:
        if commit and conn.in_transaction:
            conn.rollback()
        raise
    return rows


async def _run(connection: aiosqlite.Connection, query: str, args: list[Any], commit: bool) -> Any:
    return await connection._execute(_statement, connection._conn, query, args, commit)


class _Pool:
    """At most `size` connections; with `bounded=False` a new one whenever none is idle, and at
    most `size` kept idle (transactions: one waiting for a reader could deadlock)."""

    def __init__(self, kwargs: dict[str, Any], size: int, bounded: bool = True) -> None:
        self.kwargs = kwargs
        self.size = size
        self.bounded = bounded
        self.idle: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        self.created = 0
        self.all: list[aiosqlite.Connection] = []
        self.closed = False

    async def acquire(self) -> aiosqlite.Connection:
        if self.idle.empty() and (self.created < self.size or not self.bounded):
            self.created += 1
            try:
                connection = await aiosqlite.connect(**self.kwargs)
                connection.row_factory = dict_factory  # type: ignore[assignment]
                await connection.execute("PRAGMA foreign_keys = 1")
            except BaseException:
                self.created -= 1
                raise
            self.all.append(connection)
            return connection
        return await self.idle.get()

    def release(self, connection: aiosqlite.Connection) -> None:
        if self.closed or (not self.bounded and self.idle.qsize() >= self.size):
            asyncio.get_running_loop().create_task(self.discard(connection))
            return
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
        self.closed = True  # a transaction still running closes its connection on release
        for connection in self.all:
            try:
                await connection.close()
            except Exception:  # noqa: S110
                pass
        self.all.clear()
        self.created = 0
        self.idle = asyncio.Queue()


class PooledTransaction(SQLiteTransaction):
    """Piccolo's SQLite transaction on a kept connection, given back instead of closed."""

    async def get_connection(self) -> aiosqlite.Connection:
        return await self.engine._transaction_pool().acquire()  # type: ignore[attr-defined]

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        if self._parent:
            return exception is None
        pool = self.engine._transaction_pool()  # type: ignore[attr-defined]
        connection = self.connection
        try:
            if exception:
                if not self._rolled_back:  # the caller may have rolled it back already
                    await self.rollback()
            elif not self._committed and not self._rolled_back:
                await self.commit()
        except BaseException:
            await pool.discard(connection)  # closing rolls back whatever is left
            raise
        finally:
            self.engine.current_transaction.reset(self.context)
        if connection.in_transaction:  # a manual BEGIN left open: never hand it on
            await pool.discard(connection)
        else:
            pool.release(connection)
        return exception is None


class PooledSQLiteEngine(SQLiteEngine):
    """SQLiteEngine whose queries outside transactions reuse kept connections."""

    def __init__(self, *args: Any, pool_size: int = POOL_SIZE, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pools: dict[int, _Pool] = {}
        self._transaction_pools: dict[int, _Pool] = {}
        self._pool_size = pool_size

    def _pool(self) -> _Pool:
        loop_id = id(asyncio.get_running_loop())
        pool = self._pools.get(loop_id)
        if pool is None:
            pool = self._pools[loop_id] = _Pool(dict(self.connection_kwargs), self._pool_size)
        return pool

    def _transaction_pool(self) -> _Pool:
        loop_id = id(asyncio.get_running_loop())
        pool = self._transaction_pools.get(loop_id)
        if pool is None:
            pool = _Pool(dict(self.connection_kwargs), TRANSACTION_IDLE, bounded=False)
            self._transaction_pools[loop_id] = pool
        return pool

    async def close_pools(self) -> None:
        """Close every kept connection (tests do this before swapping the database file)."""
        pools = [*self._pools.values(), *self._transaction_pools.values()]
        self._pools, self._transaction_pools = {}, {}
        for pool in pools:
            await pool.close()

    def transaction(  # type: ignore[override]
        self,
        transaction_type: TransactionType = TransactionType.deferred,
        allow_nested: bool = True,
    ) -> SQLiteTransaction:
        return PooledTransaction(
            engine=self, transaction_type=transaction_type, allow_nested=allow_nested
        )

    async def _run_in_existing_connection(  # type: ignore[override]
        self,
        connection: aiosqlite.Connection,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> Any:
        """Inside a transaction: one hop, no commit. (Piccolo re-sends PRAGMA foreign_keys
        before every statement; inside a transaction SQLite ignores it, and every connection
        has it set once when opened.)"""
        if query_type == "insert" and self.get_version_sync() < 3.35:
            return await super()._run_in_existing_connection(
                connection, query, args, query_type, table
            )
        return await _run(connection, query, args or [], commit=False)

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
            rows = await _run(connection, query, args or [], commit=True)
        except sqlite3.Error:  # rolled back on its thread: the connection is fine
            pool.release(connection)
            raise
        except BaseException:  # cancelled mid-statement: its state is unknown
            await pool.discard(connection)
            raise
        pool.release(connection)
        return rows
