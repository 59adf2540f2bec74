"""The pooled SQLite engine: one hop to the connection thread per statement, kept connections for
transactions, and a failed statement or transaction that leaves nothing behind."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import aiosqlite
import pytest

from portal.auth.tables import User
from portal.db import is_sqlite, write_transaction
from portal.lib import sqlite_pool
from portal.partners.tables import Partner
from tests.factories import make_partner

pytestmark = pytest.mark.skipif(not is_sqlite(), reason="the SQLite engine only")


@contextmanager
def hops() -> Iterator[list[Any]]:
    """Every function handed to an aiosqlite connection thread inside the block."""
    seen: list[Any] = []
    original = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(fn)
        return await original(self, fn, *args, **kwargs)

    aiosqlite.Connection._execute = counted  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        aiosqlite.Connection._execute = original  # type: ignore[method-assign]


async def test_a_read_and_a_write_are_one_hop_each(partner_a):
    await Partner.select(Partner.id).first()  # the pool's connection is open
    with hops() as seen:
        await Partner.select(Partner.name).where(Partner.id == partner_a).first()
        await Partner.update({Partner.city: "上海"}).where(Partner.id == partner_a)
    assert len(seen) == 2
    assert (await Partner.select(Partner.city).first())["city"] == "上海"


async def test_statements_in_a_transaction_are_one_hop_and_its_connection_is_kept(partner_a):
    async with write_transaction():
        await Partner.select(Partner.id).first()
    with hops() as seen:
        async with write_transaction():
            await Partner.update({Partner.city: "广州"}).where(Partner.id == partner_a)
            await Partner.select(Partner.city).first()
    assert len(seen) == 4  # BEGIN IMMEDIATE, two statements, COMMIT: no connect, no close
    assert (await Partner.select(Partner.city).first())["city"] == "广州"


async def test_a_failed_transaction_leaves_nothing_and_the_connection_serves_again(partner_a):
    with pytest.raises(RuntimeError):
        async with write_transaction():
            await Partner.update({Partner.city: "北京"}).where(Partner.id == partner_a)
            raise RuntimeError("changed my mind")
    async with write_transaction():
        assert (await Partner.select(Partner.city).first())["city"] != "北京"


async def test_a_refused_write_outside_a_transaction_leaves_the_pool_usable(partner_a):
    other = await make_partner(name="另一家")
    codes = {r["id"]: r["code"] for r in await Partner.select(Partner.id, Partner.code)}
    code = codes[partner_a]
    for _ in range(sqlite_pool.POOL_SIZE + 1):  # more failures than kept connections
        with pytest.raises(aiosqlite.IntegrityError):
            await Partner.update({Partner.code: code}).where(Partner.id == other)
    assert await User.count() == 0
    after = {r["id"]: r["code"] for r in await Partner.select(Partner.id, Partner.code)}
    assert after == codes
