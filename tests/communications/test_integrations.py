"""Order events ring the submitter's bell; a delivered order asks for a short CSAT once."""

from __future__ import annotations

from portal.communications.feedback import answers as feedback_answers
from portal.communications.feedback import requests as feedback_requests
from portal.communications.feedback.tables import FeedbackRequest
from portal.core.tables import Notification
from portal.lib import jobs
from portal.orders.access import get_order_for_user
from portal.orders.services import approve_order, deliver_order, ship_order
from tests.orders.factories import make_product, place


async def _delivered_order(alice, vera) -> int:
    await make_product("CS-1", stock=10)
    order_id = (await place(alice.current, {"CS-1": 2})).order_id
    await approve_order(vera.current, await get_order_for_user(vera.current, order_id))
    await ship_order(
        vera.current,
        await get_order_for_user(vera.current, order_id),
        carrier="SF",
        tracking_number="1",
    )
    await deliver_order(alice.current, await get_order_for_user(alice.current, order_id))
    await jobs.drain()
    return order_id


async def test_each_order_event_rings_the_submitters_bell(alice, vera):
    order_id = await _delivered_order(alice, vera)
    titles = [
        r["title_en"]
        for r in await Notification.select(Notification.title_en)
        .where((Notification.user == alice.id) & (Notification.kind == "order"))
        .order_by(Notification.id)
    ]
    assert len(titles) >= 3  # approved, shipped, delivered (their jobs may finish in any order)
    assert any(t.endswith(": Delivered") for t in titles)
    links = {
        r["link"]
        for r in await Notification.select(Notification.link).where(Notification.kind == "order")
    }
    assert links == {f"/orders/{order_id}"}


async def test_a_delivered_order_gets_one_csat_request(alice, vera):
    order_id = await _delivered_order(alice, vera)
    request = await FeedbackRequest.select().where(FeedbackRequest.subject == "order").first()
    assert request["subject_id"] == order_id
    assert request["status"] == "open"
    rows = await feedback_answers.list_requests_for_user(alice.current)
    assert [r["id"] for r in rows] == [request["id"]]


async def test_no_csat_request_when_switched_off(alice, vera):
    await feedback_requests.set_setting(vera.current, "auto_csat_orders", False)
    await _delivered_order(alice, vera)
    assert await FeedbackRequest.count() == 0
