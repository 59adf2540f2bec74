"""RFM scores and segments: the pure rules, and the recomputation from orders and contacts."""

from __future__ import annotations

import datetime as dt

from portal.customers import segments
from portal.customers.constants import Segment
from portal.customers.segmentation import recompute_segments
from portal.customers.tables import Customer
from portal.lib.clock import now
from portal.orders.tables import Order
from tests.customers.factories import log_contact, make_customer

TODAY = dt.date(2026, 11, 27)
YUAN = 100


def activity(**kw):
    base = {
        "created_on": TODAY - dt.timedelta(days=400),
        "last_activity_on": None,
        "first_order_on": None,
    }
    return segments.Activity(**{**base, **kw})


def test_scores_follow_the_documented_thresholds():
    assert [segments.recency_score(d) for d in (0, 30, 31, 90, 180, 365, 366, None)] == [
        5,
        5,
        4,
        4,
        3,
        2,
        1,
        1,
    ]
    assert [segments.frequency_score(o, 0) for o in (0, 1, 2, 4, 8)] == [1, 2, 3, 4, 5]
    assert segments.frequency_score(0, 8) == 3  # two points from eight contacts
    assert [segments.monetary_score(m * YUAN) for m in (0, 1, 10_000, 50_000, 200_000)] == [
        1,
        2,
        3,
        4,
        5,
    ]


def test_every_segment_is_reachable():
    recent = TODAY - dt.timedelta(days=10)
    cases = {
        Segment.DORMANT: activity(last_activity_on=TODAY - dt.timedelta(days=500), orders_total=3),
        Segment.AT_RISK: activity(
            last_activity_on=TODAY - dt.timedelta(days=200),
            orders_total=5,
            revenue_previous_year=80_000 * YUAN,
        ),
        Segment.NEW: activity(created_on=TODAY - dt.timedelta(days=5)),
        Segment.HIGH_VALUE: activity(
            last_activity_on=recent,
            first_order_on=TODAY - dt.timedelta(days=300),
            orders_total=9,
            orders_year=6,
            revenue_year=300_000 * YUAN,
        ),
        Segment.POTENTIAL: activity(
            last_activity_on=recent,
            first_order_on=TODAY - dt.timedelta(days=300),
            orders_total=2,
            orders_year=2,
            revenue_year=5_000 * YUAN,
        ),
        Segment.STEADY: activity(
            last_activity_on=TODAY - dt.timedelta(days=250),
            first_order_on=TODAY - dt.timedelta(days=250),
            orders_total=2,
            orders_year=1,
            revenue_year=3_000 * YUAN,
        ),
    }
    assert {expected: segments.score(a, TODAY).segment for expected, a in cases.items()} == {
        s: s for s in cases
    }


def test_a_valuable_customer_whose_orders_halved_is_at_risk_even_if_recent():
    scored = segments.score(
        activity(
            last_activity_on=TODAY,
            orders_total=10,
            orders_year=2,
            revenue_year=20_000 * YUAN,
            revenue_previous_year=100_000 * YUAN,
            first_order_on=TODAY - dt.timedelta(days=600),
        ),
        TODAY,
    )
    assert scored.segment == Segment.AT_RISK and scored.code == "R5F3M3"


async def test_recompute_takes_revenue_from_approved_orders_of_the_customer(alice):
    from tests.orders.factories import make_product, place

    customer_id = await make_customer(alice.current, "Big Buyer")
    await make_product("SEG-1", stock=100)
    for _ in range(4):
        placed = await place(alice.current, {"SEG-1": 1})
        await Order.update(
            {
                Order.end_customer_id: customer_id,
                Order.status: "approved",
                Order.total_amount: 100_000_00,
                Order.decided_at: now() - dt.timedelta(days=3),
            }
        ).where(Order.id == placed.order_id)
    await Customer.update({Customer.created_at: now() - dt.timedelta(days=400)}).where(
        Customer.id == customer_id
    )
    await log_contact(alice.current, customer_id, days_ago=1)

    await recompute_segments(partner_id=alice.partner_id)

    row = await Customer.select().where(Customer.id == customer_id).first()
    assert row["order_count"] == 4 and row["revenue_amount"] == 4 * 100_000_00
    assert row["segment"] == Segment.HIGH_VALUE and row["rfm"] == "R5F4M5"


async def test_recompute_is_idempotent(alice):
    await make_customer(alice.current)
    await recompute_segments()
    assert await recompute_segments() == 0
