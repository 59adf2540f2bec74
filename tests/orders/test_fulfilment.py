"""After placement: approve, reject, cancel, ship (partially), deliver; stock, credit, events."""

from __future__ import annotations

import pytest

from portal.core.tables import OutboundEmail
from portal.lib import jobs
from portal.lib.forms import FormError
from portal.lib.i18n import use_locale
from portal.orders import credit
from portal.orders.access import get_order_for_user
from portal.orders.services import (
    StatusConflict,
    approve_order,
    approve_orders,
    cancel_order,
    deliver_order,
    order_detail,
    reject_order,
    ship_order,
)
from portal.orders.tables import Order, OrderLine, StockMovement
from tests.orders.factories import make_product, place, stock_of


async def _order(persona, lines):
    placed = await place(persona.current, lines)
    return placed.order_id


async def _status(order_id):
    row = await Order.select(Order.status).where(Order.id == order_id).first()
    return row["status"]


async def test_vera_approves_and_ships_everything_and_stock_leaves_the_warehouse(alice, vera):
    await make_product("SH-1", stock=10)
    order_id = await _order(alice, {"SH-1": 4})

    await approve_order(vera.current, await get_order_for_user(vera.current, order_id))
    await ship_order(
        vera.current,
        await get_order_for_user(vera.current, order_id),
        carrier="SF Express",
        tracking_number="SF123",
    )

    assert await _status(order_id) == "shipped"
    assert await stock_of("SH-1") == (6, 0)
    movement = await StockMovement.select().first()
    assert (movement["quantity"], movement["kind"], movement["order_id"]) == (
        -4,
        "shipment",
        order_id,
    )


async def test_a_partial_shipment_leaves_the_rest_reserved(alice, vera):
    await make_product("PS-1", stock=10)
    order_id = await _order(alice, {"PS-1": 6})
    await approve_order(vera.current, await get_order_for_user(vera.current, order_id))
    line = await OrderLine.select().where(OrderLine.order == order_id).first()

    await ship_order(
        vera.current,
        await get_order_for_user(vera.current, order_id),
        carrier="EMS",
        quantities={line["id"]: 2},
    )

    assert await _status(order_id) == "partially_shipped"
    assert await stock_of("PS-1") == (8, 4)
    await ship_order(vera.current, await get_order_for_user(vera.current, order_id), carrier="EMS")
    assert await _status(order_id) == "shipped"
    assert await stock_of("PS-1") == (4, 0)


async def test_shipping_more_than_is_open_is_refused_per_line(alice, vera):
    await make_product("OV-1", stock=10)
    order_id = await _order(alice, {"OV-1": 2})
    await approve_order(vera.current, await get_order_for_user(vera.current, order_id))
    line = await OrderLine.select().where(OrderLine.order == order_id).first()

    with pytest.raises(FormError) as refused:
        await ship_order(
            vera.current,
            await get_order_for_user(vera.current, order_id),
            carrier="EMS",
            quantities={line["id"]: 3},
        )
    assert f"qty_{line['id']}" in refused.value.errors
    assert await stock_of("OV-1") == (10, 2)


async def test_rejecting_releases_stock_and_credit_and_keeps_the_reason(alice, vera, partner_a):
    await make_product("RJ-1", stock=5, price=100_00)
    order_id = await _order(alice, {"RJ-1": 5})

    await reject_order(
        vera.current, await get_order_for_user(vera.current, order_id), "Discontinued"
    )

    order = await Order.select().where(Order.id == order_id).first()
    assert (order["status"], order["reject_reason"]) == ("rejected", "Discontinued")
    assert await stock_of("RJ-1") == (5, 0)
    assert (await credit.context(partner_a))["open_amount"] == 0


async def test_a_rejection_needs_a_reason(alice, vera):
    await make_product("RJ-2")
    order_id = await _order(alice, {"RJ-2": 1})

    with pytest.raises(FormError):
        await reject_order(vera.current, await get_order_for_user(vera.current, order_id), "  ")


async def test_alice_cancels_before_approval_but_not_after(alice, vera):
    await make_product("CX-1", stock=10)
    first = await _order(alice, {"CX-1": 1})
    second = await _order(alice, {"CX-1": 2})
    await approve_order(vera.current, await get_order_for_user(vera.current, second))

    await cancel_order(alice.current, await get_order_for_user(alice.current, first), "Mistake")
    with pytest.raises(StatusConflict):
        await cancel_order(alice.current, await get_order_for_user(alice.current, second))

    assert await _status(first) == "cancelled"
    assert await stock_of("CX-1") == (10, 2)


async def test_vera_cancels_a_partially_shipped_order_and_only_the_rest_is_released(alice, vera):
    await make_product("CV-1", stock=10)
    order_id = await _order(alice, {"CV-1": 6})
    await approve_order(vera.current, await get_order_for_user(vera.current, order_id))
    line = await OrderLine.select().where(OrderLine.order == order_id).first()
    await ship_order(
        vera.current,
        await get_order_for_user(vera.current, order_id),
        carrier="EMS",
        quantities={line["id"]: 2},
    )

    await cancel_order(vera.current, await get_order_for_user(vera.current, order_id), "Stopped")

    assert await stock_of("CV-1") == (8, 0)


async def test_approving_twice_is_a_conflict_not_a_second_approval(alice, vera):
    await make_product("AA-1")
    order_id = await _order(alice, {"AA-1": 1})
    order = await get_order_for_user(vera.current, order_id)
    await approve_order(vera.current, order)

    with pytest.raises(StatusConflict):
        await approve_order(vera.current, order)


async def test_alice_confirms_delivery_and_the_credit_is_free_again(alice, vera, partner_a):
    await make_product("DL-1", price=50_00)
    order_id = await _order(alice, {"DL-1": 2})
    await approve_order(vera.current, await get_order_for_user(vera.current, order_id))
    await ship_order(vera.current, await get_order_for_user(vera.current, order_id), carrier="EMS")

    await deliver_order(alice.current, await get_order_for_user(alice.current, order_id))

    assert await _status(order_id) == "delivered"
    assert (await credit.context(partner_a))["open_amount"] == 0
    assert await credit.recompute(partner_a) == 0


async def test_the_credit_exposure_matches_the_open_orders_after_every_step(alice, vera, partner_a):
    await make_product("CE-1", price=10_00, stock=100)
    ids = [await _order(alice, {"CE-1": n}) for n in (1, 2, 3, 4)]
    await approve_order(vera.current, await get_order_for_user(vera.current, ids[0]))
    await reject_order(vera.current, await get_order_for_user(vera.current, ids[1]), "No")
    await cancel_order(alice.current, await get_order_for_user(alice.current, ids[2]))

    exposure = (await credit.context(partner_a))["open_amount"]
    assert exposure == await credit.recompute(partner_a) == (1 + 4) * 10_00


async def test_bob_and_carol_cannot_move_alices_order(alice, carol, vera):
    await make_product("PM-1")
    order_id = await _order(alice, {"PM-1": 1})
    order = await get_order_for_user(vera.current, order_id)

    with pytest.raises(FormError):
        await approve_order(alice.current, order)
    with pytest.raises(FormError):
        await cancel_order(carol.current, order)


async def test_the_timeline_lists_every_step_with_actor(alice, vera):
    await make_product("TL-1")
    order_id = await _order(alice, {"TL-1": 1})
    await approve_order(vera.current, await get_order_for_user(vera.current, order_id))
    await ship_order(
        vera.current,
        await get_order_for_user(vera.current, order_id),
        carrier="SF",
        tracking_number="T1",
    )

    with use_locale("en"):
        detail = await order_detail(await get_order_for_user(alice.current, order_id))

    assert [e["label"] for e in detail["events"]] == ["Order submitted", "Approved", "Shipped"]
    assert detail["events"][1]["actor_name"] == vera.name
    assert detail["shipments"][0]["tracking_number"] == "T1"


async def test_every_status_change_mails_the_submitter_in_their_language(alice, vera):
    from portal.auth.tables import User

    await User.update({User.locale: "zh_CN"}).where(User.id == alice.id)
    await make_product("ML-1")
    order_id = await _order(alice, {"ML-1": 1})
    await reject_order(vera.current, await get_order_for_user(vera.current, order_id), "缺货")
    await jobs.drain()

    mails = await OutboundEmail.select(OutboundEmail.subject, OutboundEmail.body_text).where(
        OutboundEmail.to_address == alice.email  # vera also got the notice of a new order
    )
    rejected = [m for m in mails if "缺货" in m["body_text"]]  # the reason is in the mail
    assert len(mails) == 2 and len(rejected) == 1
    subject = rejected[0]["subject"]
    assert "SO-2026" in subject or "SO-" in subject
    assert "rejected" not in subject and any("\u4e00" <= ch <= "\u9fff" for ch in subject)


async def test_bulk_approve_approves_what_it_can_and_explains_the_rest(alice, vera):
    await make_product("BA-1", stock=10)
    ids = [await _order(alice, {"BA-1": 1}) for _ in range(3)]
    await cancel_order(alice.current, await get_order_for_user(alice.current, ids[2]))

    approved, problems = await approve_orders(vera.current, [*ids, 999_999])

    assert len(approved) == 2
    assert len(problems) == 2


async def test_manny_sees_partner_a_orders_but_not_partner_b(alice, carol, manny):
    from portal.tenancy import NotFound

    await make_product("MN-1")
    a_order = await _order(alice, {"MN-1": 1})
    b_order = await _order(carol, {"MN-1": 1})

    assert (await get_order_for_user(manny.current, a_order))["id"] == a_order
    with pytest.raises(NotFound):
        await get_order_for_user(manny.current, b_order)
    with pytest.raises(NotFound):
        await get_order_for_user(alice.current, b_order)


async def test_a_status_email_is_queued_once_even_if_the_job_runs_twice(alice):
    from portal.orders.emails import notify_event
    from portal.orders.tables import OrderEvent

    await make_product("ON-1")
    await _order(alice, {"ON-1": 1})
    await jobs.drain()
    event = await OrderEvent.select(OrderEvent.id, OrderEvent.email_id).first()

    again = await notify_event(event["id"])

    assert again is None and event["email_id"]
    assert await OutboundEmail.count() == 1


async def test_the_sweeper_sends_the_email_of_an_event_whose_job_was_lost(alice):
    import datetime as dt

    from portal.lib.clock import now
    from portal.orders.jobs import sweep_order_notifications
    from portal.orders.tables import OrderEvent

    await make_product("LOST-1")
    await _order(alice, {"LOST-1": 1})
    await jobs.drain()
    # as if the worker died after the commit: no e-mail, event a few minutes old
    await OutboundEmail.delete().where(OutboundEmail.id > 0)
    await OrderEvent.update(
        {
            OrderEvent.notified_at: None,
            OrderEvent.email_id: None,
            OrderEvent.notify_lease_until: None,
            OrderEvent.at: now() - dt.timedelta(minutes=5),
        }
    ).where(OrderEvent.id > 0)

    assert await sweep_order_notifications({}) == 1
    await jobs.drain()

    assert await OutboundEmail.count() == 1
    assert await sweep_order_notifications({}) == 0
