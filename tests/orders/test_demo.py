"""The demo data: products in both languages, prices for every tier, orders in every status;
loading it twice adds nothing."""

from __future__ import annotations

from portal.demo import load_demo
from portal.orders import credit
from portal.orders.constants import OrderStatus
from portal.orders.tables import Order, PriceList, Product, StockLevel


async def test_the_demo_has_orders_in_every_status_and_loads_once():
    first = await load_demo()
    second = await load_demo()

    statuses = {r["status"] for r in await Order.select(Order.status)}
    assert statuses == {s.value for s in OrderStatus}
    assert first["orders"] == await Order.count() and second["orders"] == 0
    assert second["products"] == 0
    assert await PriceList.count() == 4
    product = await Product.select().where(Product.sku == "IPC-2140").first()
    assert product["name_zh"] and product["name_en"]
    assert not await StockLevel.exists().where(StockLevel.reserved > StockLevel.on_hand)
    for partner in {r["partner"] for r in await Order.select(Order.partner)}:
        assert (await credit.context(partner))["open_amount"] == await credit.recompute(partner)
