"""What finance does when a lower domain's event lands (attached in portal.worker.wire())."""

from __future__ import annotations

from portal.finance.receivables import create_missing_receivables
from portal.orders.constants import OPEN_STATUSES, EventKind
from portal.orders.tables import OrderEvent


async def order_event_landed(event_id: int) -> None:
    """After a shipment's commit: its receivable now rather than at the next minute's job
    (create_missing_receivables is set-based and idempotent, so a repeat changes nothing)."""
    row = await OrderEvent.select(OrderEvent.kind).where(OrderEvent.id == event_id).first()
    if row is not None and row["kind"] == EventKind.SHIPPED:
        await create_missing_receivables()


_OPEN = ", ".join(f"'{s.value}'" for s in sorted(OPEN_STATUSES))
# For hooks.credit_owed: orders' open value already holds the whole of every open order,
# shipped part included, so this is every unpaid receivable, less the receivables of orders
# still open (counted there), less the balance on account. Open orders + this =
# unshipped open orders + unpaid receivables - balance on account, the exposure of issue 16.
CREDIT_OWED_SQL = (
    "SELECT (SELECT COALESCE(SUM(r.amount - r.paid_amount), 0) FROM receivable r"  # noqa: S608
    " WHERE r.partner = {})"
    " - (SELECT COALESCE(SUM(r.amount), 0) FROM receivable r JOIN partner_order o"
    f" ON o.id = r.order_id WHERE r.partner = {{}} AND o.status IN ({_OPEN}))"
    " - (SELECT COALESCE(SUM(p.amount - p.allocated_amount), 0) FROM payment p"
    " WHERE p.partner = {})"
)
