"""place_order: prices snapshotted, stock reserved atomically, credit checked, refusals per line,
one order per idempotency key, events, audit and the confirmation e-mail."""

from __future__ import annotations

import pytest

from portal.core.tables import AuditEntry, OutboundEmail
from portal.lib import jobs
from portal.lib.forms import FormError
from portal.orders import credit
from portal.orders.constants import OrderStatus, PriceRule
from portal.orders.services import LineRequest, OrderRefused, place_order
from portal.orders.tables import CartItem, Order, OrderEvent, OrderLine, PriceList, Product
from portal.partners.tables import Partner
from tests.orders.factories import (
    make_break,
    make_contract,
    make_price_list,
    make_product,
    place,
    stock_of,
)


async def test_alice_places_an_order_that_reserves_stock_and_snapshots_the_price(alice):
    await make_product("AP-100", price=1_000_00, stock=20)
    await make_price_list("gold", discount_bp=1800)

    placed = await place(alice.current, {"AP-100": 3}, note="Urgent")

    order = await Order.select().where(Order.id == placed.order_id).first()
    line = await OrderLine.select().where(OrderLine.order == placed.order_id).first()
    assert order["status"] == OrderStatus.SUBMITTED
    assert order["number"] == placed.number and placed.number.startswith("SO-")
    assert order["total_amount"] == 3 * 820_00
    assert (line["unit_price_amount"], line["price_rule"], line["tier_code"]) == (
        820_00,
        PriceRule.TIER_DISCOUNT,
        "gold",
    )
    assert await stock_of("AP-100") == (20, 3)


async def test_a_later_price_change_never_alters_the_order(alice):
    await make_product("AP-100", price=1_000_00)
    placed = await place(alice.current, {"AP-100": 1})

    await Product.update({Product.list_price_amount: 2_000_00}).where(Product.sku == "AP-100")

    line = await OrderLine.select().where(OrderLine.order == placed.order_id).first()
    assert line["unit_price_amount"] == 1_000_00


async def test_contract_price_and_volume_break_are_chosen_per_line(alice, partner_a):
    await make_product("C-1", price=100_00)
    await make_product("V-1", price=100_00)
    await make_price_list("gold", discount_bp=1000)
    await make_contract(partner_a, "C-1", 77_00)
    await make_break("V-1", 10, 500)

    placed = await place(alice.current, {"C-1": 10, "V-1": 10})

    lines = {
        r["sku"]: r for r in await OrderLine.select().where(OrderLine.order == placed.order_id)
    }
    assert (lines["C-1"]["unit_price_amount"], lines["C-1"]["price_rule"]) == (77_00, "contract")
    assert lines["V-1"]["unit_price_amount"] == 85_50  # 100 - 10 % - 5 %
    assert lines["V-1"]["break_min_quantity"] == 10


async def test_not_enough_stock_refuses_the_whole_order_with_a_message_per_line(alice):
    await make_product("OK-1", stock=50)
    await make_product("LOW-1", stock=2)
    await make_product("NONE-1", stock=0)

    with pytest.raises(OrderRefused) as refused:
        await place(alice.current, {"OK-1": 5, "LOW-1": 3, "NONE-1": 1})

    assert refused.value.conflict
    assert [(p.line_no, p.sku) for p in refused.value.lines] == [(2, "LOW-1"), (3, "NONE-1")]
    assert "Only 2 available" in refused.value.lines[0].message
    assert "Out of stock" in refused.value.lines[1].message
    assert await stock_of("OK-1") == (50, 0)  # rolled back with the rest
    assert await Order.count() == 0


async def test_stock_shown_in_bands_is_not_revealed_in_the_refusal(alice):
    await make_product("BAND-1", stock=2, stock_display="bands")

    with pytest.raises(OrderRefused) as refused:
        await place(alice.current, {"BAND-1": 3})

    assert refused.value.lines[0].message == "Not enough in stock for this quantity."


async def test_a_line_is_taken_from_several_warehouses_when_no_single_one_has_enough(alice):
    await make_product("SPLIT-1", stock={"BJ": 4, "SH": 5})

    await place(alice.current, {"SPLIT-1": 7})

    assert await stock_of("SPLIT-1", "BJ") == (4, 4)
    assert await stock_of("SPLIT-1", "SH") == (5, 3)


async def test_minimum_quantity_pack_size_and_unknown_skus_are_invalid_requests(alice):
    await make_product("MIN-1", min_order_quantity=10, pack_size=5)

    with pytest.raises(OrderRefused) as refused:
        await place(alice.current, {"MIN-1": 7, "NOPE": 1})

    assert not refused.value.conflict
    messages = {p.sku: p.message for p in refused.value.lines}
    assert "minimum order quantity is 10" in messages["MIN-1"]
    assert "packs of 5" in messages["MIN-1"]
    assert messages["NOPE"] == "No product has this SKU."


async def test_the_credit_limit_caps_the_open_order_value(alice, partner_a):
    await Partner.update({Partner.credit_limit_amount: 1_000_00}).where(Partner.id == partner_a)
    await make_product("CR-1", price=400_00, stock=10)
    await place(alice.current, {"CR-1": 2})

    with pytest.raises(OrderRefused) as refused:
        await place(alice.current, {"CR-1": 1})

    assert refused.value.conflict
    assert "available credit" in refused.value.message
    assert await stock_of("CR-1") == (10, 2)
    assert (await credit.context(partner_a))["open_amount"] == 800_00


async def test_the_same_idempotency_key_creates_one_order(alice):
    await make_product("ID-1", stock=10)

    first = await place(alice.current, {"ID-1": 2}, idempotency_key="form-abc-123")
    second = await place(alice.current, {"ID-1": 2}, idempotency_key="form-abc-123")

    assert second.replayed and second.order_id == first.order_id
    assert await Order.count() == 1
    assert await stock_of("ID-1") == (10, 2)


async def test_a_reused_key_with_a_different_request_is_refused(alice):
    await make_product("ID-1", stock=10)
    lines = [LineRequest("ID-1", 1)]
    from portal.orders.services import request_fingerprint

    await place_order(
        alice.current,
        lines,
        idempotency_key="k-1",
        request_hash=request_fingerprint(lines, "", "", ""),
    )
    other = [LineRequest("ID-1", 5)]

    with pytest.raises(OrderRefused) as refused:
        await place_order(
            alice.current,
            other,
            idempotency_key="k-1",
            request_hash=request_fingerprint(other, "", "", ""),
        )
    assert not refused.value.conflict


async def test_idempotency_keys_belong_to_one_partner(alice, carol):
    await make_product("ID-1", stock=10)

    await place(alice.current, {"ID-1": 1}, idempotency_key="same-key")
    theirs = await place(carol.current, {"ID-1": 1}, idempotency_key="same-key")

    assert not theirs.replayed
    assert await Order.count() == 2


async def test_bob_without_the_purchasing_permission_cannot_order(bob):
    await make_product("P-1")

    with pytest.raises(FormError):
        await place(bob.current, {"P-1": 1})


async def test_placing_writes_an_event_an_audit_entry_and_a_confirmation_email(alice):
    await make_product("EV-1")

    placed = await place(alice.current, {"EV-1": 1})

    events = await OrderEvent.select(OrderEvent.kind, OrderEvent.actor_name).where(
        OrderEvent.order == placed.order_id
    )
    assert events == [{"kind": "submitted", "actor_name": alice.name}]
    assert await AuditEntry.exists().where(AuditEntry.action == "order.place")
    await jobs.drain()  # the e-mail is queued by a job after the commit
    mail = await OutboundEmail.select().where(OutboundEmail.kind == "order_status").first()
    assert mail["to_address"] == alice.email
    assert placed.number in mail["subject"]


async def test_ordering_from_the_cart_empties_it(alice):
    from portal.orders.services import add_to_cart, cart_requests

    await make_product("CART-1")
    await add_to_cart(alice.current, "CART-1", 2)

    await place_order(alice.current, await cart_requests(alice.current), from_cart=True)

    assert await CartItem.count() == 0


async def test_an_inactive_price_list_is_ignored(alice):
    await make_product("PL-1", price=100_00)
    await make_price_list("gold", discount_bp=5000)
    await PriceList.update({PriceList.is_active: False}).where(PriceList.id > 0)

    placed = await place(alice.current, {"PL-1": 1})

    line = await OrderLine.select().where(OrderLine.order == placed.order_id).first()
    assert (line["unit_price_amount"], line["price_rule"]) == (100_00, "list")
