"""The orders home cards count open orders only (through the status index), exactly."""

from __future__ import annotations

from portal.orders.constants import OrderStatus
from portal.orders.services import home_cards
from portal.orders.tables import Order
from tests.orders.factories import make_product, place


async def test_home_cards_count_open_orders_not_closed_ones(alice, vera):
    await make_product("HC-1", stock=50)
    first = await place(alice.current, {"HC-1": 1})
    await place(alice.current, {"HC-1": 2})
    await place(alice.current, {"HC-1": 3})
    await Order.update({Order.status: OrderStatus.DELIVERED}).where(Order.id == first.order_id)

    partner = dict((label, value) for label, value, _ in (await home_cards(alice.current))[0].items)
    vendor = dict((label, value) for label, value, _ in (await home_cards(vera.current))[0].items)

    assert partner["Open orders"] == "2"
    assert vendor["Waiting for approval"] == "2" and vendor["To ship"] == "0"
