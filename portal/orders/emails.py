"""The order status e-mail to the submitter, in the submitter's language.

The order's transaction writes only the event; after the commit the verb enqueues
`notify_order_event(event_id)`, which renders and queues the e-mail here, outside the order's
write lock. The event row is the truth: a notifier claims it with a lease (conditional UPDATE),
queues the mail, and marks it notified; `sweep_order_notifications` re-enqueues events whose
notifier died, so a status e-mail is never lost and practically never sent twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.auth.tables import User
from portal.core.email import queue_email
from portal.lib import jobs
from portal.lib.clock import now
from portal.orders.tables import Order, OrderEvent, OrderLine, Shipment
from portal.settings import get_settings

MAX_LINES_IN_MAIL = 20
LEASE = dt.timedelta(minutes=2)
STALE_AFTER = dt.timedelta(minutes=1)  # the sweeper leaves fresh events to their own job


async def enqueue_notification(event_id: int | None) -> None:
    """Call after the commit of the step that wrote the event."""
    if event_id is not None:
        await jobs.enqueue("notify_order_event", event_id, job_id=f"order-event:{event_id}")


async def _claim(event_id: int) -> bool:
    moment = now()
    claimed = (
        await OrderEvent.update({OrderEvent.notify_lease_until: moment + LEASE})
        .where(
            (OrderEvent.id == event_id)
            & OrderEvent.notified_at.is_null()
            & (OrderEvent.notify_lease_until.is_null() | (OrderEvent.notify_lease_until < moment))
        )
        .returning(OrderEvent.id)
    )
    return bool(claimed)


async def notify_event(event_id: int) -> int | None:
    """Queue the e-mail for one order event (idempotent); returns the e-mail id, or None when
    the event was handled already, is being handled, or its submitter's account is disabled."""
    if not await _claim(event_id):
        return None
    event = (
        await OrderEvent.select(
            OrderEvent.order,
            OrderEvent.kind,
            OrderEvent.to_status,
            OrderEvent.detail,
            OrderEvent.shipment,
        )
        .where(OrderEvent.id == event_id)
        .first()
    )
    assert event is not None
    email_id = await _queue(
        event["order"], event["kind"], event["to_status"], event["detail"], event["shipment"]
    )
    await OrderEvent.update({OrderEvent.notified_at: now(), OrderEvent.email_id: email_id}).where(
        OrderEvent.id == event_id
    )
    if email_id is not None:
        await jobs.enqueue("deliver_email", email_id, job_id=f"email:{email_id}")
    return email_id


async def _queue(
    order_id: int, kind: str, status: str, detail: str, shipment_id: int | None
) -> int | None:
    """Render and store the e-mail; `status` is the one the step reached (not today's)."""
    order = (
        await Order.select(
            Order.id,
            Order.number,
            Order.total_amount,
            Order.deduction_amount,
            Order.deduction_reason,
            Order.currency,
            Order.submitted_by,
            Order.partner.name,
            Order.partner.locale,
            Order.line_count,
        )
        .where(Order.id == order_id)
        .first()
    )
    assert order is not None
    user = (
        await User.select(User.email, User.name, User.locale, User.is_active)
        .where(User.id == order["submitted_by"])
        .first()
    )
    if user is None or not user["is_active"]:
        return None
    lines = (
        await OrderLine.select(
            OrderLine.sku,
            OrderLine.name_zh,
            OrderLine.name_en,
            OrderLine.quantity,
            OrderLine.shipped_quantity,
            OrderLine.unit,
            OrderLine.line_amount,
        )
        .where(OrderLine.order == order_id)
        .order_by(OrderLine.line_no)
        .limit(MAX_LINES_IN_MAIL)
    )
    shipment: dict[str, Any] | None = None
    if shipment_id is not None:
        shipment = (
            await Shipment.select(Shipment.carrier, Shipment.tracking_number, Shipment.note)
            .where(Shipment.id == shipment_id)
            .first()
        )
    locale = user["locale"] or order["partner.locale"] or get_settings().default_locale
    return await queue_email(
        user["email"],
        "order_status",
        {
            "kind": kind,
            "name": user["name"],
            "number": order["number"],
            "status": status,
            "partner_name": order["partner.name"],
            "total_amount": order["total_amount"],
            "deduction_amount": order["deduction_amount"],
            "deduction_reason": order["deduction_reason"],
            "currency": order["currency"],
            "line_count": order["line_count"],
            "lines": lines,
            "detail": detail,
            "shipment": shipment,
            "link": f"{get_settings().base_url}/orders/{order_id}",
        },
        locale,
    )


async def stale_event_ids(limit: int = 500) -> list[int]:
    """Events older than a minute whose e-mail was never queued and nobody is queuing now."""
    moment = now()
    rows = (
        await OrderEvent.select(OrderEvent.id)
        .where(
            OrderEvent.notified_at.is_null()
            & (OrderEvent.at < moment - STALE_AFTER)
            & (OrderEvent.notify_lease_until.is_null() | (OrderEvent.notify_lease_until < moment))
        )
        .order_by(OrderEvent.id)
        .limit(limit)
    )
    return [int(r["id"]) for r in rows]
