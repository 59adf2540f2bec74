"""Piccolo's PostgreSQL engine with transactions that survive a lost connection.

Piccolo 1.38's PostgresTransaction gives its connection back to the pool and resets the
"current transaction" only when COMMIT or ROLLBACK succeeds. When the server cuts the connection
(pg_terminate_backend, a failover, a restarted PostgreSQL), ROLLBACK raises, the pool slot is never
released and the task keeps pointing at the dead transaction: after DATABASE_POOL_SIZE such
losses every request waits for a connection forever. Here the connection is always given back
(a broken one is terminated, and the pool opens a fresh one on the next acquire) and the context
is always reset, so only the requests that were on a cut connection fail.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

import asyncpg
from piccolo.engine.postgres import PostgresEngine, PostgresTransaction

log = logging.getLogger("portal.db")


class ResilientPostgresTransaction(PostgresTransaction):
    async def __aenter__(self) -> PostgresTransaction:
        if self._parent is not None:
            return self._parent
        self.connection = await self.get_connection()
        try:
            self.transaction = self.connection.transaction()
            await self.begin()
        except BaseException:
            await self._give_back(broken=True)
            raise
        self.context = self.engine.current_transaction.set(self)
        return self

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        if self._parent:
            return exception is None
        broken = False
        try:
            if exception:
                if not self._rolled_back:
                    await self.rollback()
            elif not self._committed and not self._rolled_back:
                await self.commit()
        except BaseException:
            broken = True
            raise
        finally:
            self.engine.current_transaction.reset(self.context)
            await self._give_back(broken=broken)
        return exception is None

    async def _give_back(self, broken: bool) -> None:
        """Return the connection; one whose COMMIT/ROLLBACK failed is terminated first (its state
        is unknown), and the pool opens a fresh one at the next acquire."""
        connection = self.connection
        if not self.engine.pool:
            with contextlib.suppress(Exception):
                await connection.close()
            return
        try:
            if broken and not connection.is_closed():
                connection.terminate()
            await self.engine.pool.release(connection)
        except asyncpg.InterfaceError:  # lost: the pool took the slot back when it closed
            log.debug("connection already returned to the pool", exc_info=True)


class ResilientPostgresEngine(PostgresEngine):
    def transaction(self, allow_nested: bool = True) -> PostgresTransaction:
        return ResilientPostgresTransaction(engine=self, allow_nested=allow_nested)
