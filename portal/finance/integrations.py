"""What finance does when a lower domain's event lands (attached in portal.worker.wire())."""

from __future__ import annotations

from portal.finance.receivables import create_missing_receivables
from portal.orders.constants import EventKind
from portal.orders.tables import OrderEvent


async def order_event_landed(event_id: int) -> None:
    """After a shipment's commit: its receivable now rather than at the next minute's job
    (create_missing_receivables is set-based and idempotent, so a repeat changes nothing)."""
    row = await OrderEvent.select(OrderEvent.kind).where(OrderEvent.id == event_id).first()
    if row is not None and row["kind"] == EventKind.SHIPPED:
        await create_missing_receivables()
