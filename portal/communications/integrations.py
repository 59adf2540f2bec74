"""What other domains' jobs call after their own work: the bell and the automatic CSAT request
for order events (support cases call `services.notify` / `services.request_csat` themselves).

Both steps are idempotent (notification ref, one CSAT request per order), so the order job may run
twice without ringing twice or asking twice.
"""

from __future__ import annotations

from portal.communications.feedback.csat import request_csat
from portal.core.notifications import notify
from portal.lib.i18n import gettext as _
from portal.lib.i18n import use_locale
from portal.orders.constants import STATUS_LABELS, OrderStatus
from portal.orders.tables import OrderEvent


async def order_event_landed(event_id: int) -> None:
    """Ring the submitter's bell for an order event; after delivery, ask for a short CSAT."""

    event = (
        await OrderEvent.select(
            OrderEvent.order,
            OrderEvent.to_status,
            OrderEvent.order.number.as_alias("number"),
            OrderEvent.order.partner.as_alias("partner_id"),
            OrderEvent.order.submitted_by.as_alias("user_id"),
        )
        .where(OrderEvent.id == event_id)
        .first()
    )
    if event is None or event["user_id"] is None:
        return
    status = OrderStatus(event["to_status"])
    with use_locale("en"):
        title_en = _(
            "Order %(number)s: %(status)s", number=event["number"], status=_(STATUS_LABELS[status])
        )
    with use_locale("zh_CN"):  # title_zh is Chinese by contract, whatever the catalog holds
        title_zh = f"订单 {event['number']}：{_(STATUS_LABELS[status])}"
    order_id = int(event["order"])
    await notify(
        [int(event["user_id"])],
        kind="order",
        title_en=title_en,
        title_zh=title_zh,
        link=f"/orders/{order_id}",
        ref=f"order-event:{event_id}",
    )
    if status == OrderStatus.DELIVERED:
        with use_locale("en"):
            csat_en = _("How was order %(number)s?", number=event["number"])
        csat_zh = f"您对订单 {event['number']} 满意吗？"
        await request_csat(
            "order",
            order_id,
            int(event["partner_id"]),
            int(event["user_id"]),
            csat_en,
            csat_zh,
        )
