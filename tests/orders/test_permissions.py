"""The permission matrix of every orders route, page and API, read and write, for every persona.

alice = admin of partner A (purchasing), bob = member of A (sales only), carol = admin of B,
vera = vendor admin, manny = channel manager of A, anon = not signed in.
{oa}/{ob} = a submitted order of partner A / B, {sku} = a product, {pl} = a price list.
"""

from __future__ import annotations

import pytest

from portal.orders.tables import PriceListItem
from tests.matrix import LOGIN, World, clean_database, params, row, world_fixture, write
from tests.orders.factories import (
    make_break,
    make_category,
    make_contract,
    make_price_list,
    make_product,
    make_warehouse,
    place,
)

__all__ = ["clean_database"]

PARTNER_PAGE = {"alice": 200, "bob": 403, "carol": 200, "vera": 403, "manny": 403, "anon": LOGIN}
CONSOLE_PAGE = {"alice": 403, "bob": 403, "carol": 403, "vera": 200, "manny": 200, "anon": LOGIN}
ADMIN_PAGE = {"alice": 403, "bob": 403, "carol": 403, "vera": 200, "manny": 403, "anon": LOGIN}
API_READ = {"alice": 200, "bob": 403, "carol": 200, "vera": 200, "manny": 200, "anon": 401}
BUYERS = {"bob": 403, "vera": 403, "manny": 403, "anon": LOGIN}
VENDOR_B = {"alice": 403, "bob": 403, "carol": 403, "manny": 404, "anon": LOGIN}
VENDOR_ADMIN = {"alice": 403, "bob": 403, "carol": 403, "manny": 403, "anon": LOGIN}
API_VENDOR_B = {"alice": 403, "bob": 403, "carol": 403, "manny": 404, "anon": 401}


MATRIX = [
    row("/catalog/", **PARTNER_PAGE),
    row("/catalog/{sku}", **PARTNER_PAGE),
    row("/cart/", **PARTNER_PAGE),
    row("/orders/", **PARTNER_PAGE),
    row("/orders/{oa}", alice=200, bob=403, carol=404, vera=403, manny=403, anon=LOGIN),
    row("/orders/{ob}", alice=404, bob=403, carol=200, vera=403, manny=403, anon=LOGIN),
    row("/console/orders/", **CONSOLE_PAGE),
    row("/console/orders/{oa}", **CONSOLE_PAGE),
    row("/console/orders/{ob}", alice=403, bob=403, carol=403, vera=200, manny=404, anon=LOGIN),
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
    row("/api/v1/orders/{oa}", alice=200, bob=403, carol=404, vera=200, manny=200, anon=401),
    row("/api/v1/orders/{ob}", alice=404, bob=403, carol=200, vera=200, manny=404, anon=401),
    row("/api/v1/stock/{sku}", alice=403, bob=403, carol=403, vera=200, manny=200, anon=401),
]

WRITES = [
    # the cart and the partner's orders
    write("POST", "/cart/add", {"sku": "PERM-1", "quantity": "1"}, alice=303, carol=303, **BUYERS),
    write("POST", "/cart/update", {"qty_{product}": "2"}, alice=303, carol=303, **BUYERS),
    write("POST", "/cart/remove/{product}", alice=303, carol=303, **BUYERS),
    write("POST", "/cart/clear", alice=303, carol=303, **BUYERS),
    write("POST", "/cart/quick", {"lines": "PERM-1 1"}, alice=303, carol=303, **BUYERS),
    write(
        "POST", "/cart/submit", {"form_token": "matrix-form-token"}, alice=400, carol=400, **BUYERS
    ),
    write("POST", "/orders/{oa}/cancel", {"reason": "x"}, alice=303, carol=404, **BUYERS),
    write("POST", "/orders/{oa}/receive", alice=303, carol=404, **BUYERS),
    write("POST", "/orders/{oa}/reorder", alice=303, carol=404, **BUYERS),
    # the vendor's order desk: manny handles partner A only
    write(
        "POST",
        "/console/orders/approve",
        {"order_id": "{ob}"},
        vera=303,
        same=("manny",),
        alice=403,
        bob=403,
        carol=403,
        manny=303,
        anon=LOGIN,
    ),
    write("POST", "/console/orders/{ob}/approve", vera=303, **VENDOR_B),
    write("POST", "/console/orders/{ob}/reject", {"reason": "x"}, vera=303, **VENDOR_B),
    write("POST", "/console/orders/{ob}/cancel", {"reason": "x"}, vera=303, **VENDOR_B),
    write("POST", "/console/orders/{ob}/ship", {"carrier": "SF"}, vera=303, **VENDOR_B),
    write("POST", "/console/orders/{ob}/deliver", vera=303, **VENDOR_B),
    # the catalog: vendor admins only
    write("POST", "/console/catalog/new", vera=400, **VENDOR_ADMIN),
    write("POST", "/console/catalog/import", vera=400, **VENDOR_ADMIN),
    write("POST", "/console/catalog/{product}", vera=400, **VENDOR_ADMIN),
    write("POST", "/console/catalog/{product}/stock", vera=303, **VENDOR_ADMIN),
    write("POST", "/console/catalog/categories", vera=400, **VENDOR_ADMIN),
    write("POST", "/console/catalog/categories/{category}", vera=400, **VENDOR_ADMIN),
    write("POST", "/console/catalog/warehouses", vera=400, **VENDOR_ADMIN),
    write("POST", "/console/catalog/warehouses/{warehouse}", vera=400, **VENDOR_ADMIN),
    write("POST", "/console/catalog/price-lists", vera=400, **VENDOR_ADMIN),
    write("POST", "/console/catalog/price-lists/{pl}", vera=400, **VENDOR_ADMIN),
    write("POST", "/console/catalog/price-lists/{pl}/items", vera=303, **VENDOR_ADMIN),
    write(
        "POST", "/console/catalog/price-lists/{pl}/items/{item}/delete", vera=303, **VENDOR_ADMIN
    ),
    write("POST", "/console/catalog/contract-prices", vera=400, **VENDOR_ADMIN),
    write("POST", "/console/catalog/contract-prices/{contract}/delete", vera=303, **VENDOR_ADMIN),
    write("POST", "/console/catalog/volume-breaks", vera=400, **VENDOR_ADMIN),
    write("POST", "/console/catalog/volume-breaks/{break}/delete", vera=303, **VENDOR_ADMIN),
    # the JSON API (bearer tokens)
    write(
        "POST",
        "/api/v1/orders",
        {"lines": [{"sku": "PERM-1", "quantity": 1}]},
        alice=201,
        bob=403,
        carol=201,
        vera=403,
        manny=403,
        anon=401,
    ),
    write(
        "POST",
        "/api/v1/orders/{ob}/cancel",
        {"reason": "x"},
        alice=404,
        bob=403,
        carol=200,
        vera=200,
        manny=404,
        anon=401,
    ),
    write("POST", "/api/v1/orders/{ob}/approve", vera=200, **API_VENDOR_B),
    write("POST", "/api/v1/orders/{ob}/reject", {"reason": "x"}, vera=200, **API_VENDOR_B),
    write("POST", "/api/v1/orders/{ob}/ship", {"carrier": "SF"}, vera=409, **API_VENDOR_B),
    write(
        "PUT",
        "/api/v1/stock/{sku}",
        {"warehouse": "SH", "on_hand": 5},
        alice=403,
        bob=403,
        carol=403,
        vera=200,
        manny=403,
        anon=401,
    ),
]


async def build(w: World) -> dict:
    alice, carol = w.personas["alice"], w.personas["carol"]
    product = await make_product("PERM-1", stock=100)
    price_list = await make_price_list("gold", items={"PERM-1": 90_00})
    item = (await PriceListItem.select(PriceListItem.id).first())["id"]
    oa = await place(alice.current, {"PERM-1": 1})
    ob = await place(carol.current, {"PERM-1": 1})
    return {
        "oa": oa.order_id,
        "ob": ob.order_id,
        "sku": "PERM-1",
        "product": product,
        "pl": price_list,
        "item": item,
        "category": await make_category(),
        "warehouse": await make_warehouse(),
        "contract": await make_contract(w.ids["b"], "PERM-1", 80_00),
        "break": await make_break("PERM-1", 10, 500),
    }


world = world_fixture(build)


@pytest.mark.parametrize("route", params(MATRIX + WRITES))
async def test_orders_permission_matrix(world, route):
    wrong = await world.wrong_answers(route)
    assert not wrong, f"{route.method} {world.url(route)}: " + "; ".join(wrong)
