"""Many orders at once never oversell and a twin request never makes two orders (both databases).

The requests run concurrently in this event loop, each in its own transaction and connection:
SQLite queues them (IMMEDIATE), PostgreSQL lets them race on the stock row. The CHECK constraint
is tested directly too, since it is the wall behind the conditional UPDATEs.
"""

from __future__ import annotations

import asyncio

import pytest

from portal.auth.constants import Role
from portal.orders.services import OrderRefused
from portal.orders.tables import Order, StockLevel
from tests.factories import make_partner, make_user
from tests.orders.factories import make_product, place, stock_of

CLIENTS = 24


async def test_concurrent_orders_for_the_last_units_never_oversell(alice):
    await make_product("HOT-1", stock=10)
    other = await make_partner(name="并发伙伴", credit_limit_amount=10**9)
    buyers = [alice.current] + [
        (await make_user(Role.PARTNER_ADMIN, other, f"buyer{i}@load.test")).current
        for i in range(3)
    ]

    async def attempt(n: int):
        try:
            return await place(buyers[n % len(buyers)], {"HOT-1": 1})
        except OrderRefused as refused:
            return refused

    results = await asyncio.gather(*(attempt(n) for n in range(CLIENTS)))

    placed = [r for r in results if not isinstance(r, OrderRefused)]
    refused = [r for r in results if isinstance(r, OrderRefused)]
    assert len(placed) == 10
    assert len(refused) == CLIENTS - 10
    assert all(r.conflict and r.lines[0].message == "Out of stock." for r in refused)
    assert await stock_of("HOT-1") == (10, 10)
    assert await Order.count() == 10


async def test_orders_of_several_units_race_without_losing_or_creating_stock(alice):
    await make_product("HOT-2", stock={"BJ": 7, "SH": 8})

    async def attempt(quantity: int):
        try:
            await place(alice.current, {"HOT-2": quantity})
            return quantity
        except OrderRefused:
            return 0

    taken = await asyncio.gather(*(attempt(q) for q in [3, 4, 5, 2, 6, 1, 3, 4] * 2))

    bj, sh = await stock_of("HOT-2", "BJ"), await stock_of("HOT-2", "SH")
    assert bj[1] + sh[1] == sum(taken) <= 15
    assert bj[1] <= bj[0] and sh[1] <= sh[0]


async def test_a_double_submission_with_one_key_makes_one_order(alice):
    await make_product("TWIN-1", stock=10)

    results = await asyncio.gather(
        *(place(alice.current, {"TWIN-1": 2}, idempotency_key="double-click") for _ in range(6))
    )

    assert len({r.order_id for r in results}) == 1
    assert sum(not r.replayed for r in results) == 1
    assert await stock_of("TWIN-1") == (10, 2)


async def test_the_database_itself_refuses_more_reserved_than_on_hand():
    product_id = await make_product("WALL-1", stock=3)

    with pytest.raises(Exception) as refused:
        await StockLevel.update({StockLevel.reserved: 4}).where(StockLevel.product == product_id)

    assert "stock_level_quantities" in str(refused.value) or "CHECK" in str(refused.value)
    assert await stock_of("WALL-1") == (3, 0)
