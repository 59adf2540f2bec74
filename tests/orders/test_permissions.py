"""The permission matrix of every orders page and API route, for every persona.

alice = admin of partner A (purchasing), bob = member of A (sales only), carol = admin of B,
vera = vendor admin, manny = channel manager of A, anon = not signed in.
{a}/{b} = an order of partner A / B, {sku} = a product, {pl} = a price list.
"""

from __future__ import annotations

import pytest

from tests.factories import bearer_headers
from tests.matrix import row, wrong_answers
from tests.orders.factories import make_price_list, make_product, place

PARTNER_PAGE = {"alice": 200, "bob": 403, "carol": 200, "vera": 403, "manny": 403, "anon": 303}
CONSOLE_PAGE = {"alice": 403, "bob": 403, "carol": 403, "vera": 200, "manny": 200, "anon": 303}
ADMIN_PAGE = {"alice": 403, "bob": 403, "carol": 403, "vera": 200, "manny": 403, "anon": 303}
API_READ = {"alice": 200, "bob": 403, "carol": 200, "vera": 200, "manny": 200, "anon": 401}


MATRIX = [
    row("/catalog/", **PARTNER_PAGE),
    row("/catalog/{sku}", **PARTNER_PAGE),
    row("/cart/", **PARTNER_PAGE),
    row("/orders/", **PARTNER_PAGE),
    row("/orders/{a}", alice=200, bob=403, carol=404, vera=403, manny=403, anon=303),
    row("/orders/{b}", alice=404, bob=403, carol=200, vera=403, manny=403, anon=303),
    row("/console/orders/", **CONSOLE_PAGE),
    row("/console/orders/{a}", **CONSOLE_PAGE),
    row("/console/orders/{b}", alice=403, bob=403, carol=403, vera=200, manny=404, anon=303),
    row("/console/catalog/", **CONSOLE_PAGE),
    row("/console/catalog/{product}", **CONSOLE_PAGE),
    row("/console/catalog/new", **ADMIN_PAGE),
    row("/console/catalog/import", **ADMIN_PAGE),
    row("/console/catalog/stock", **CONSOLE_PAGE),
    row("/console/catalog/categories", **CONSOLE_PAGE),
    row("/console/catalog/warehouses", **CONSOLE_PAGE),
    row("/console/catalog/price-lists", **CONSOLE_PAGE),
    row("/console/catalog/price-lists/{pl}", **CONSOLE_PAGE),
    row("/console/catalog/contract-prices", **CONSOLE_PAGE),
    row("/console/catalog/volume-breaks", **CONSOLE_PAGE),
    row("/console/catalog/export/products", **CONSOLE_PAGE),
    row("/console/catalog/export/orders", **CONSOLE_PAGE),
    row("/api/v1/products", **API_READ),
    row("/api/v1/products/{sku}", **API_READ),
    row("/api/v1/orders", **API_READ),
    row("/api/v1/orders/{a}", alice=200, bob=403, carol=404, vera=200, manny=200, anon=401),
    row("/api/v1/orders/{b}", alice=404, bob=403, carol=200, vera=200, manny=404, anon=401),
    row("/api/v1/stock/{sku}", alice=403, bob=403, carol=403, vera=200, manny=200, anon=401),
]


@pytest.fixture
async def world(alice, carol):
    product = await make_product("PERM-1", stock=100)
    price_list = await make_price_list("gold")
    a = await place(alice.current, {"PERM-1": 1})
    b = await place(carol.current, {"PERM-1": 1})
    return {"a": a.order_id, "b": b.order_id, "sku": "PERM-1", "product": product, "pl": price_list}


@pytest.mark.parametrize(("path", "expected"), [pytest.param(p, e, id=p) for p, e in MATRIX])
async def test_orders_permission_matrix(
    as_user, world, alice, bob, carol, vera, manny, path, expected
):
    # One test per route, every persona inside it: the fixtures are built once per route.
    personas = {
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "vera": vera,
        "manny": manny,
        "anon": None,
    }
    url = path.format(**world)
    wrong = await wrong_answers(as_user, personas, url, expected)
    assert not wrong, f"GET {url}: " + ", ".join(wrong)


async def test_api_writes_check_the_role(client, world, alice, bob, manny):
    bob_order = await client.post(
        "/api/v1/orders",
        json={"lines": [{"sku": "PERM-1", "quantity": 1}]},
        headers=await bearer_headers(client, bob),
    )
    alice_approve = await client.post(
        f"/api/v1/orders/{world['a']}/approve", headers=await bearer_headers(client, alice)
    )
    manny_stock = await client.put(
        "/api/v1/stock/PERM-1",
        json={"warehouse": "SH", "on_hand": 1},
        headers=await bearer_headers(client, manny),
    )
    manny_foreign = await client.post(
        f"/api/v1/orders/{world['b']}/approve", headers=await bearer_headers(client, manny)
    )

    assert bob_order.status_code == 403
    assert alice_approve.status_code == 403
    assert manny_stock.status_code == 403
    assert manny_foreign.status_code == 404


async def test_an_api_write_with_only_a_cookie_is_refused(as_user, alice, world):
    client = await as_user(alice)

    response = await client.post(
        "/api/v1/orders", json={"lines": [{"sku": "PERM-1", "quantity": 1}]}
    )

    assert response.status_code == 401
