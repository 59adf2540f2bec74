"""Deal prices (issue 15): vendor staff grant a special price per product on an approved deal;
an order placed against the deal (cart or API) gets it for the registered quantities, the rest
at the normal price; the deal lists its orders."""

from __future__ import annotations

import datetime as dt
import json

from portal.core.audit import AuditEntry
from portal.deals import ordering, services
from portal.deals.tables import Deal, DealLine, DealOrder
from portal.lib.clock import today
from portal.lib.i18n import use_locale
from portal.orders.services import line_reason
from portal.orders.tables import Order, OrderLine
from tests.deals.factories import make_deal
from tests.factories import bearer_headers
from tests.orders.factories import place
from tests.personas import post_form


async def priced_deal(alice, vera, price: int = 80_00, quantity: int = 40) -> tuple[int, str]:
    """An approved deal of partner A for DEAL-CAM (list price 100.00) with a deal price."""
    deal_id = await make_deal(
        alice.current, status="approved", vendor=vera.current, quantity=quantity
    )
    line = await DealLine.select(DealLine.id).where(DealLine.deal == deal_id).first()
    await ordering.set_deal_prices(vera.current, deal_id, {line["id"]: price})
    number = (await Deal.select(Deal.number).where(Deal.id == deal_id).first())["number"]
    return deal_id, number


async def test_the_registered_quantity_gets_the_deal_price_the_rest_the_normal_price(alice, vera):
    deal_id, number = await priced_deal(alice, vera)
    placed = await place(alice.current, {"DEAL-CAM": 50}, deal_id=deal_id)
    order = await Order.select().where(Order.id == placed.order_id).first()
    lines = (
        await OrderLine.select()
        .where(OrderLine.order == placed.order_id)
        .order_by(OrderLine.line_no)
    )
    assert [(ln["quantity"], ln["unit_price_amount"]) for ln in lines] == [
        (40, 80_00),
        (10, 100_00),
    ]
    assert order["total_amount"] == 40 * 80_00 + 10 * 100_00 and order["deal_id"] == deal_id
    with use_locale("zh_CN"):
        assert line_reason(lines[0], {}) == f"商机特价（{number}）"
        assert number in line_reason(lines[1], {})
    with use_locale("en"):
        assert line_reason(lines[0], {}) == f"Deal price ({number})"
        assert (
            line_reason(lines[1], {}) == f"List price · beyond the quantity registered on {number}"
        )


async def test_a_second_order_gets_the_deal_price_only_for_what_is_left(alice, vera):
    deal_id, _number = await priced_deal(alice, vera)
    await place(alice.current, {"DEAL-CAM": 30}, deal_id=deal_id)
    second = await place(alice.current, {"DEAL-CAM": 20}, deal_id=deal_id)
    lines = (
        await OrderLine.select()
        .where(OrderLine.order == second.order_id)
        .order_by(OrderLine.line_no)
    )
    assert [(ln["quantity"], ln["price_rule"]) for ln in lines] == [(10, "deal"), (10, "list")]


async def test_the_api_takes_deal_id_and_refuses_a_foreign_or_unprotected_deal(
    client, alice, carol, vera, time_travel
):
    deal_id, number = await priced_deal(alice, vera)
    body = {"lines": [{"sku": "DEAL-CAM", "quantity": 40}], "deal_id": deal_id}
    foreign = await client.post(
        "/api/v1/orders", json=body, headers=await bearer_headers(client, carol)
    )
    assert foreign.status_code == 422 and "deal" in foreign.json()["error"].lower()
    assert number not in foreign.text  # another partner's deal looks like no deal at all
    headers = await bearer_headers(client, alice)
    created = await client.post("/api/v1/orders", json=body, headers=headers)
    assert created.status_code == 201, created.text
    out = created.json()
    assert out["deal_id"] == deal_id and out["total_amount"] == 40 * 80_00
    assert out["lines"][0]["price_reason"].endswith(f"({number})")
    time_travel.move_to(dt.datetime.combine(today() + dt.timedelta(days=120), dt.time(4), dt.UTC))
    expired = await client.post("/api/v1/orders", json=body, headers=headers)
    assert expired.status_code == 422 and number in expired.json()["error"]
    assert await Order.count() == 1


async def test_alice_picks_the_deal_in_the_cart(alice, vera, as_user):
    deal_id, number = await priced_deal(alice, vera)
    client = await as_user(alice)
    await post_form(client, "/cart/add", {"sku": "DEAL-CAM", "quantity": "45"})
    page = await client.get(f"/cart?deal_id={deal_id}", headers={"Accept-Language": "en"})
    assert f"40 × Deal price ({number})" in page.text
    assert f"{number} · " in page.text  # the picker offers the deal
    placed = await post_form(
        client, "/cart/submit", {"form_token": "tok-deal-1", "deal_id": str(deal_id)}
    )
    assert placed.status_code == 303
    order = await Order.select(Order.deal_id, Order.total_amount).first()
    assert order == {"deal_id": deal_id, "total_amount": 40 * 80_00 + 5 * 100_00}


async def test_a_deal_not_of_yours_in_the_cart_is_a_form_message(alice, carol, vera, as_user):
    deal_id, _number = await priced_deal(alice, vera)
    client = await as_user(carol)
    await post_form(client, "/cart/add", {"sku": "DEAL-CAM", "quantity": "5"})
    page = await client.get(f"/cart?deal_id={deal_id}", headers={"Accept-Language": "en"})
    assert page.status_code == 200 and "No deal registration of yours has this id." in page.text
    refused = await post_form(
        client, "/cart/submit", {"form_token": "tok-deal-2", "deal_id": str(deal_id)}
    )
    assert refused.status_code == 400 and await Order.count() == 0


async def test_the_console_form_grants_prices_and_the_audit_log_says_so(alice, manny, as_user):
    deal_id = await make_deal(alice.current, status="approved", vendor=manny.current)
    line = await DealLine.select(DealLine.id).where(DealLine.deal == deal_id).first()
    client = await as_user(manny)
    answer = await post_form(
        client, f"/console/deals/{deal_id}/prices", {f"price_{line['id']}": "72.50"}
    )
    assert answer.status_code == 303
    assert (await DealLine.select(DealLine.special_price_amount).first())[
        "special_price_amount"
    ] == 72_50
    entry = await AuditEntry.select().where(AuditEntry.action == "deal.price_set").first()
    after = entry["after"] if isinstance(entry["after"], dict) else json.loads(entry["after"])
    assert after == {"sku": "DEAL-CAM", "price_amount": 72_50}
    bad = await post_form(
        client, f"/console/deals/{deal_id}/prices", {f"price_{line['id']}": "abc"}
    )
    assert bad.status_code == 303
    assert (await DealLine.select(DealLine.special_price_amount).first())[
        "special_price_amount"
    ] == 72_50


async def test_a_won_deal_lists_the_orders_placed_against_it(alice, vera, as_user):
    deal_id, _number = await priced_deal(alice, vera)
    placed = await place(alice.current, {"DEAL-CAM": 10}, deal_id=deal_id)
    await services.win_deal(alice.current, deal_id, [])
    assert await DealOrder.count().where(DealOrder.deal == deal_id) == 1
    page = await (await as_user(alice)).get(f"/deals/{deal_id}")
    assert placed.number in page.text and "Placed against the deal" in page.text
