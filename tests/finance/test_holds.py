"""Overdue block: a receivable overdue beyond the vendor's setting refuses new orders, in the cart
and the API, with a sentence saying why; paying it lifts the block; the setting is audited."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.core.tables import AuditEntry
from portal.finance import holds
from portal.lib import clock
from portal.lib.forms import FormError
from portal.orders.cart import add_to_cart
from portal.orders.services import OrderRefused
from portal.orders.tables import Order
from tests.factories import bearer_headers
from tests.finance.factories import pay, shipped_order
from tests.orders.factories import make_product, place
from tests.personas import post_form

ZH = {"Accept-Language": "zh-CN"}


async def _overdue_by(alice, vera, time_travel, days: int) -> dict:
    """A shipment to alice whose net-30 receivable is `days` days overdue now."""
    time_travel.move_to(clock.now() - dt.timedelta(days=30 + days))
    order = await shipped_order(alice, vera)
    time_travel.move_to(clock.now() + dt.timedelta(days=30 + days))
    await make_product("HOLD-1", price=100_00, stock=50)
    return order


async def test_an_invoice_overdue_beyond_the_setting_blocks_the_cart_and_the_api(
    as_user, client, alice, vera, time_travel
):
    order = await _overdue_by(alice, vera, time_travel, days=40)
    await holds.set_block_days(vera.current, 30)
    await add_to_cart(alice.current, "HOLD-1", 1)
    browser = await as_user(alice)

    cart = await browser.get("/cart")
    refused = await post_form(browser, "/cart/submit", {})
    api = await client.post(
        "/api/v1/orders",
        json={"lines": [{"sku": "HOLD-1", "quantity": 1}]},
        headers=await bearer_headers(client, alice),
    )

    assert "New orders are blocked" in cart.text and order["number"] in cart.text
    assert "more than 30 days" in cart.text
    assert "New orders are blocked" in refused.text
    assert api.status_code == 409 and order["number"] in api.json()["error"]
    assert await Order.count() == 1  # only the shipped one


async def test_within_the_setting_or_without_it_orders_go_through(alice, vera, time_travel):
    await _overdue_by(alice, vera, time_travel, days=10)

    assert (await place(alice.current, {"HOLD-1": 1})).order_id  # no setting: never blocked
    await holds.set_block_days(vera.current, 30)
    assert (await place(alice.current, {"HOLD-1": 1})).order_id  # 10 days is within 30


async def test_paying_the_overdue_invoice_lifts_the_block(alice, vera, time_travel):
    order = await _overdue_by(alice, vera, time_travel, days=40)
    await holds.set_block_days(vera.current, 0)
    with pytest.raises(OrderRefused) as refused:
        await place(alice.current, {"HOLD-1": 1})
    assert "as soon as it is paid" in refused.value.message

    await pay(vera, alice.partner_id, order["total"])

    assert (await place(alice.current, {"HOLD-1": 1})).order_id


async def test_the_block_speaks_chinese_in_the_chinese_cart(as_user, alice, vera, time_travel):
    await _overdue_by(alice, vera, time_travel, days=40)
    await holds.set_block_days(vera.current, 30)
    await add_to_cart(alice.current, "HOLD-1", 1)
    browser = await as_user(alice)

    cart = await browser.get("/cart", headers=ZH)

    assert "暂停下新订单" in cart.text and "New orders are blocked" not in cart.text


async def test_vera_sets_the_block_in_the_console_and_it_is_audited(as_user, vera, manny):
    browser = await as_user(vera)

    saved = await post_form(browser, "/console/finance/settings", {"overdue_block_days": "45"})
    bad = await post_form(browser, "/console/finance/settings", {"overdue_block_days": "-3"})
    page = await browser.get("/console/finance/")

    assert saved.status_code == 303 and bad.status_code == 400
    assert "more than 45 days past its due date" in page.text
    entry = await AuditEntry.select().where(AuditEntry.action == "finance.overdue_block_changed")
    assert len(entry) == 1
    with pytest.raises(FormError):
        await holds.set_block_days(manny.current, 10)  # a channel manager may not
    assert await holds.block_days() == 45
