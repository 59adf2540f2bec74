"""The delivery address book: partner admins keep it (audited), the cart preselects the default,
the cart and the orders API send an order to a chosen address whose text the order keeps, and
another company's address is refused."""

from __future__ import annotations

import pytest

from portal.core.tables import AuditEntry
from portal.lib.forms import FormError
from portal.orders.tables import Order
from portal.partners import addresses
from portal.partners.schemas import AddressForm
from portal.partners.tables import DeliveryAddress
from tests.factories import bearer_headers
from tests.orders.factories import make_product
from tests.personas import post_form


async def _add(persona, label: str, address: str, default: bool = False) -> int:
    return await addresses.add_address(
        persona.current,
        AddressForm(
            label=label,
            address=address,
            recipient="王经理",
            phone="13800000000",
            is_default=default,
        ),
    )


async def test_alice_keeps_the_book_and_one_address_at_most_is_the_default(as_user, alice):
    client = await as_user(alice)

    added = await post_form(
        client,
        "/my-company/addresses/",
        {"label": "上海仓库", "address": "上海市浦东新区张江路 1 号", "is_default": "on"},
    )
    await post_form(
        client,
        "/my-company/addresses/",
        {"label": "北京门店", "address": "北京市朝阳区 2 号", "is_default": "on"},
    )

    assert added.status_code == 303
    rows = await addresses.list_addresses(alice.partner_id)
    assert [(r["label"], r["is_default"]) for r in rows] == [
        ("北京门店", True),
        ("上海仓库", False),
    ]
    page = (await client.get("/my-company/addresses/")).text
    assert "上海仓库" in page and "Default" in page
    zh = await client.get("/my-company/addresses/", headers={"Accept-Language": "zh-CN"})
    assert "收货地址" in zh.text and "地址簿" in zh.text
    assert await AuditEntry.count().where(AuditEntry.action == "partner.address_added") == 2


async def test_a_member_cannot_change_the_book(bob):
    with pytest.raises(FormError):
        await _add(bob, "仓库", "杭州市 1 号")


async def test_the_cart_preselects_the_default_and_the_order_keeps_its_text(as_user, alice):
    await _add(alice, "上海仓库", "上海市浦东新区张江路 1 号")
    default = await _add(alice, "北京门店", "北京市朝阳区 2 号", default=True)
    await make_product("ADDR-1", stock=10)
    client = await as_user(alice)
    await post_form(client, "/cart/add", {"sku": "ADDR-1", "quantity": "1"})

    cart = (await client.get("/cart/")).text
    placed = await post_form(
        client,
        "/cart/submit",
        {"form_token": "addr-token-1", "delivery_address_id": str(default)},
    )
    await post_form(
        client,
        f"/my-company/addresses/{default}",
        {"label": "北京门店", "address": "北京市海淀区 9 号"},
    )

    assert f'<option value="{default}" selected' in cart
    assert placed.status_code == 303, placed.text
    order = await Order.select(Order.delivery_address).first()
    assert order["delivery_address"] == "北京市朝阳区 2 号\n王经理 13800000000"  # kept as it was
    row = await DeliveryAddress.select().where(DeliveryAddress.id == default).first()
    assert row["address"] == "北京市海淀区 9 号"


async def test_the_orders_api_takes_an_address_of_the_callers_company_only(client, alice, carol):
    mine = await _add(alice, "上海仓库", "上海市浦东新区张江路 1 号")
    theirs = await _add(carol, "广州仓库", "广州市天河区 3 号")
    await make_product("ADDR-2", stock=10)
    headers = await bearer_headers(client, alice)
    line = [{"sku": "ADDR-2", "quantity": 1}]

    listed = (await client.get("/api/v1/delivery-addresses", headers=headers)).json()
    placed = await client.post(
        "/api/v1/orders", json={"lines": line, "delivery_address_id": mine}, headers=headers
    )
    foreign = await client.post(
        "/api/v1/orders", json={"lines": line, "delivery_address_id": theirs}, headers=headers
    )
    both = await client.post(
        "/api/v1/orders",
        json={"lines": line, "delivery_address_id": mine, "delivery_address": "别处"},
        headers=headers,
    )
    typed = await client.post(
        "/api/v1/orders", json={"lines": line, "delivery_address": "杭州市 5 号"}, headers=headers
    )

    assert [a["id"] for a in listed] == [mine]
    assert placed.status_code == 201
    assert placed.json()["delivery_address"].startswith("上海市浦东新区张江路 1 号")
    assert (foreign.status_code, both.status_code) == (422, 422)
    assert typed.json()["delivery_address"] == "杭州市 5 号"  # the free-text field still works
    assert await Order.count() == 2
