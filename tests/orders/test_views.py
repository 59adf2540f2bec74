"""The partner pages: prices & stock, the cart and quick order, checkout, order pages."""

from __future__ import annotations

import re

from portal.orders.tables import CartItem, Order
from tests.orders.factories import make_price_list, make_product, place, stock_of
from tests.personas import post_form


def _token(html: str) -> str:
    match = re.search(r'name="form_token" value="([^"]+)"', html)
    assert match, "no form token on the page"
    return match.group(1)


async def test_alice_sees_prices_reasons_and_availability(as_user, alice):
    await make_product("VW-1", price=1_000_00, stock=3, safety_stock=5, name_en="Dome camera")
    await make_price_list("gold", discount_bp=1800)
    client = await as_user(alice)

    response = await client.get("/catalog/?q=dome")

    assert response.status_code == 200
    assert "VW-1" in response.text
    assert "820.00" in response.text and "Gold tier price list" in response.text
    assert "Low stock" in response.text and "3 available" in response.text


async def test_a_search_without_results_says_so(as_user, alice):
    client = await as_user(alice)

    response = await client.get("/catalog/?q=nothing-like-this")

    assert "No products match your search." in response.text


async def test_alice_adds_to_the_cart_and_stays_on_the_list(as_user, alice):
    await make_product("ADD-1")
    client = await as_user(alice)

    response = await post_form(
        client, "/cart/add", {"sku": "ADD-1", "quantity": "3", "next": "/catalog/?q=ADD"}
    )

    assert response.status_code == 303 and response.headers["location"] == "/catalog/?q=ADD"
    assert (await CartItem.select(CartItem.quantity).first())["quantity"] == 3


async def test_the_quick_order_box_adds_good_lines_and_lists_bad_ones(as_user, alice):
    await make_product("QO-1")
    await make_product("QO-2")
    client = await as_user(alice)

    response = await post_form(
        client, "/cart/quick", {"lines": "QO-1 5\nQO-2\t12\nnonsense\nMISSING 2\nＱＯ-1 x 1"}
    )

    assert response.status_code == 400
    assert "Line 3" in response.text and "Line 4" in response.text
    assert "MISSING" in response.text
    quantities = {
        r["product.sku"]: r["quantity"]
        for r in await CartItem.select(CartItem.product.sku, CartItem.quantity)
    }
    assert quantities == {"QO-1": 6, "QO-2": 12}


async def test_the_cart_shows_line_prices_totals_and_warnings(as_user, alice):
    await make_product("CT-1", price=10_00, stock=2, min_order_quantity=1, pack_size=1)
    client = await as_user(alice)
    await post_form(client, "/cart/add", {"sku": "CT-1", "quantity": "5"})

    response = await client.get("/cart/")

    assert "50.00" in response.text
    assert "Only 2 available." in response.text


async def test_a_double_clicked_submit_creates_one_order(as_user, alice):
    await make_product("DC-1", stock=10)
    client = await as_user(alice)
    await post_form(client, "/cart/add", {"sku": "DC-1", "quantity": "2"})
    token = _token((await client.get("/cart/")).text)

    first = await post_form(client, "/cart/submit", {"form_token": token})
    second = await post_form(client, "/cart/submit", {"form_token": token})

    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert await Order.count() == 1
    assert await stock_of("DC-1") == (10, 2)


async def test_a_refused_submit_shows_the_problem_next_to_the_line(as_user, alice):
    await make_product("RF-1", stock=1)
    client = await as_user(alice)
    await post_form(client, "/cart/add", {"sku": "RF-1", "quantity": "4"})
    token = _token((await client.get("/cart/")).text)

    response = await post_form(client, "/cart/submit", {"form_token": token, "note": "keep me"})

    assert response.status_code == 400
    assert "Only 1 available." in response.text
    assert "keep me" in response.text
    assert await Order.count() == 0


async def test_alice_follows_her_order_and_cancels_it(as_user, alice):
    await make_product("FO-1", stock=5)
    placed = await place(alice.current, {"FO-1": 2})
    client = await as_user(alice)

    listed = await client.get("/orders/")
    shown = await client.get(f"/orders/{placed.order_id}")
    cancelled = await post_form(
        client, f"/orders/{placed.order_id}/cancel", {"reason": "Duplicate"}
    )

    assert placed.number in listed.text
    assert "Order submitted" in shown.text and "FO-1" in shown.text
    assert cancelled.status_code == 303
    after = await client.get(f"/orders/{placed.order_id}")
    assert "Cancelled" in after.text and "Duplicate" in after.text
    assert await stock_of("FO-1") == (5, 0)


async def test_order_again_fills_the_cart(as_user, alice):
    await make_product("RO-1")
    placed = await place(alice.current, {"RO-1": 4})
    client = await as_user(alice)

    response = await post_form(client, f"/orders/{placed.order_id}/reorder")

    assert response.headers["location"] == "/cart"
    assert (await CartItem.select(CartItem.quantity).first())["quantity"] == 4


async def test_the_order_list_filters_by_status_and_sku(as_user, alice, vera):
    await make_product("FL-1")
    await make_product("FL-2")
    first = await place(alice.current, {"FL-1": 1})
    second = await place(alice.current, {"FL-2": 1})
    from portal.orders.access import get_order_for_user
    from portal.orders.services import approve_order

    await approve_order(vera.current, await get_order_for_user(vera.current, second.order_id))
    client = await as_user(alice)

    approved = await client.get("/orders/?status=approved")
    by_sku = await client.get("/orders/?q=FL-1")

    assert second.number in approved.text and first.number not in approved.text
    assert first.number in by_sku.text and second.number not in by_sku.text


async def test_carol_gets_404_for_alices_order_page(as_user, alice, carol):
    await make_product("NF-1")
    placed = await place(alice.current, {"NF-1": 1})
    client = await as_user(carol)

    page = await client.get(f"/orders/{placed.order_id}")
    cancel = await post_form(client, f"/orders/{placed.order_id}/cancel")

    assert page.status_code == cancel.status_code == 404
    assert (await Order.select(Order.status).first())["status"] == "submitted"


async def test_the_pages_speak_chinese(as_user, alice):
    from portal.auth.tables import User

    await User.update({User.locale: "zh_CN"}).where(User.id == alice.id)
    await make_product("ZH-1", name_zh="网络摄像机")
    client = await as_user(alice)

    response = await client.get("/catalog/")

    assert "网络摄像机" in response.text
    assert "价格与库存" in response.text


async def test_the_home_page_shows_order_cards(as_user, alice, vera):
    await make_product("HM-1")
    await place(alice.current, {"HM-1": 1})

    partner_home = await (await as_user(alice)).get("/")
    vendor_home = await (await as_user(vera)).get("/")

    assert "Open orders" in partner_home.text and "Credit available" in partner_home.text
    assert "Waiting for approval" in vendor_home.text
    assert 'href="/console/orders"' in vendor_home.text and 'href="/catalog"' in partner_home.text
