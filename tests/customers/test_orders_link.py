"""The cart's end customer is one of the partner's customers; the order then shows on the
customer's 360° page and counts in its revenue once approved."""

from __future__ import annotations

from portal.orders.tables import CartItem, Order
from tests.customers.factories import make_customer
from tests.personas import post_form


async def _cart(persona, sku: str) -> None:
    from portal.lib.clock import now
    from tests.orders.factories import make_product

    product = await make_product(sku, stock=20)
    await CartItem.insert(CartItem(user=persona.id, product=product, quantity=1, added_at=now()))


async def test_the_cart_offers_the_partners_customers_and_links_the_order(as_user, alice):
    customer_id = await make_customer(alice.current, "End Customer Co")
    await _cart(alice, "LINK-1")
    client = await as_user(alice)

    cart = await client.get("/cart/")
    assert "End Customer Co" in cart.text
    response = await post_form(
        client, "/cart/submit", {"form_token": "token-12345", "end_customer_id": str(customer_id)}
    )

    assert response.status_code == 303
    order = await Order.select().first()
    assert (
        order["end_customer_id"] == customer_id and order["end_customer_name"] == "End Customer Co"
    )
    page = await client.get(f"/customers/{customer_id}")
    assert order["number"] in page.text


async def test_another_partners_customer_cannot_be_put_on_an_order(as_user, alice, carol):
    foreign = await make_customer(alice.current, "Alice's customer")
    await _cart(carol, "LINK-2")
    client = await as_user(carol)

    response = await post_form(
        client, "/cart/submit", {"form_token": "token-67890", "end_customer_id": str(foreign)}
    )

    assert response.status_code == 400
    assert "Choose one of your customers." in response.text
    assert await Order.count() == 0


async def test_a_customer_on_a_support_case_is_shared_and_shows_on_its_page(as_user, alice, vera):
    import importlib.util

    import pytest

    if importlib.util.find_spec("tests.support.factories") is None:
        pytest.skip("the support domain is not installed")
    from portal.customers.services import shared_customer
    from tests.support.factories import make_case

    customer_id = await make_customer(alice.current, "Case Customer Ltd")
    case_id = await make_case(alice, subject="Door controller offline", end_customer_id=customer_id)

    shared = await shared_customer(vera.current, customer_id)
    page = await (await as_user(alice)).get(f"/customers/{customer_id}")

    assert shared["name"] == "Case Customer Ltd"
    assert "Door controller offline" in page.text and f"/cases/{case_id}" in page.text


async def test_an_api_order_names_its_end_customer_by_id_and_shows_on_its_page(
    client, as_user, alice, carol
):
    """Issue 12 point 17: end_customer_id on POST /api/v1/orders, through the customers door."""
    from tests.factories import bearer_headers
    from tests.orders.factories import make_product

    await make_product("API-LINK", stock=20)
    customer_id = await make_customer(alice.current, "API End Customer")
    foreign = await make_customer(carol.current, "Carol's customer")
    headers = await bearer_headers(client, alice)
    body = {"lines": [{"sku": "API-LINK", "quantity": 1}]}

    placed = await client.post(
        "/api/v1/orders", json={**body, "end_customer_id": customer_id}, headers=headers
    )
    refused = await client.post(
        "/api/v1/orders", json={**body, "end_customer_id": foreign}, headers=headers
    )

    assert placed.status_code == 201, placed.text
    assert placed.json()["end_customer_id"] == customer_id
    assert placed.json()["end_customer_name"] == "API End Customer"
    assert refused.status_code == 404 and refused.json()["error"]
    assert await Order.count() == 1
    page = await (await as_user(alice)).get(f"/customers/{customer_id}")
    assert placed.json()["number"] in page.text
