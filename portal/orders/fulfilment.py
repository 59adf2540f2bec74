"""What happens to an order after it is placed: approve, reject, cancel, ship (partially), deliver.

Each verb takes the order row from access.get_order_for_user (so the tenant wall has been passed),
moves the status with a conditional UPDATE (the transition is checked by the database, so two
clicks or two people cannot both succeed), releases or ships the reservations, adjusts the credit
exposure and writes an event and an audit entry, in one transaction; after the commit it enqueues
the job that e-mails the submitter about the event (rendering stays outside the write lock).
"""

from __future__ import annotations

from typing import Any

from portal.auth.constants import Permission
from portal.auth.schemas import CurrentUser
from portal.core import audit
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.orders import credit, stock
from portal.orders.access import get_order_for_user
from portal.orders.constants import STATUS_LABELS, EventKind, MovementKind, OrderStatus
from portal.orders.emails import enqueue_notification
from portal.orders.placement import in_transaction
from portal.orders.tables import (
    Order,
    OrderAllocation,
    OrderEvent,
    OrderLine,
    Shipment,
    ShipmentLine,
    StockMovement,
)
from portal.tenancy import NotFound

VENDOR_CANCELLABLE = (OrderStatus.SUBMITTED, OrderStatus.APPROVED, OrderStatus.PARTIALLY_SHIPPED)
SHIPPABLE = (OrderStatus.APPROVED, OrderStatus.PARTIALLY_SHIPPED)


class StatusConflict(FormError):
    """The order is no longer in a status that allows this step (API 409)."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__({"": message})


def _require_vendor(actor: CurrentUser) -> None:
    if not actor.is_vendor:
        raise FormError({"": _("Only vendor staff can do this.")})


def _own_purchaser(actor: CurrentUser, order: dict[str, Any]) -> bool:
    return actor.has(Permission.PURCHASING) and actor.partner_id == order["partner"]


async def _move(
    order: dict[str, Any],
    allowed: tuple[OrderStatus, ...],
    to_status: OrderStatus | None,
    values: dict[Any, Any] | None = None,
) -> str:
    """Conditional status change (also locks the order row); returns the status it left.
    to_status None only locks (and touches updated_at). Raises StatusConflict."""
    current = await Order.select(Order.status).where(Order.id == order["id"]).first()
    if current is None:
        raise NotFound
    changes: dict[Any, Any] = {Order.updated_at: now(), **(values or {})}
    if to_status is not None:
        changes[Order.status] = to_status
    matched = (
        await Order.update(changes)
        .where((Order.id == order["id"]) & Order.status.is_in(list(allowed)))
        .returning(Order.id)
    )
    if not matched:
        raise StatusConflict(
            _(
                "Order %(number)s is %(status)s; this step is not possible any more.",
                number=order["number"],
                status=_status_word(current["status"]),
            )
        )
    return str(current["status"])


def _status_word(status: str) -> str:
    try:
        return _(STATUS_LABELS[OrderStatus(status)]).lower()
    except ValueError:
        return status


async def _event(
    actor: CurrentUser,
    order: dict[str, Any],
    kind: EventKind,
    from_status: str,
    to_status: str,
    detail: str = "",
    shipment_id: int | None = None,
) -> int:
    """The event (timeline and e-mail) and its audit entry; returns the event id."""
    rows = await OrderEvent.insert(
        OrderEvent(
            order=order["id"],
            kind=kind,
            from_status=from_status,
            to_status=to_status,
            actor_id=actor.id,
            actor_name=actor.name,
            actor_is_vendor=actor.is_vendor,
            detail=detail,
            shipment=shipment_id,
            at=now(),
        )
    ).returning(OrderEvent.id)
    await audit.record(
        f"order.{kind.value}",
        actor=actor,
        partner_id=order["partner"],
        target_type="order",
        target_id=order["id"],
        before={"status": from_status},
        after={"status": to_status},
        detail=detail[:2000],
    )
    return int(rows[0]["id"])


async def _release_open(order_id: int) -> int:
    """Give back every reserved unit not yet shipped; returns how many."""
    allocations = (
        await OrderAllocation.select(
            OrderAllocation.id,
            OrderAllocation.product,
            OrderAllocation.warehouse,
            OrderAllocation.quantity,
            OrderAllocation.shipped_quantity,
            OrderAllocation.released_quantity,
        )
        .where(OrderAllocation.order_line.order == order_id)
        .order_by(OrderAllocation.product)
        .order_by(OrderAllocation.warehouse.code)
    )
    released = 0
    for a in allocations:
        open_units = a["quantity"] - a["shipped_quantity"] - a["released_quantity"]
        if open_units <= 0:
            continue
        await stock.release(a["product"], a["warehouse"], open_units)
        await OrderAllocation.update(
            {OrderAllocation.released_quantity: OrderAllocation.released_quantity + open_units}
        ).where(OrderAllocation.id == a["id"])
        released += open_units
    return released


async def approve_order(actor: CurrentUser, order: dict[str, Any]) -> None:
    """Vendor staff accept a submitted order. Raises StatusConflict when it is not submitted."""
    _require_vendor(actor)

    async def work() -> int:
        previous = await _move(
            order,
            (OrderStatus.SUBMITTED,),
            OrderStatus.APPROVED,
            {Order.decided_at: now(), Order.decided_by_id: actor.id},
        )
        return await _event(actor, order, EventKind.APPROVED, previous, OrderStatus.APPROVED)

    await enqueue_notification(await in_transaction(work))


async def reject_order(actor: CurrentUser, order: dict[str, Any], reason: str) -> None:
    """Vendor staff refuse a submitted order with a reason; its stock and credit are released."""
    _require_vendor(actor)
    reason = reason.strip()
    if not reason:
        raise FormError({"reason": _("Say why the order is rejected.")})

    async def work() -> int:
        previous = await _move(
            order,
            (OrderStatus.SUBMITTED,),
            OrderStatus.REJECTED,
            {Order.decided_at: now(), Order.decided_by_id: actor.id, Order.reject_reason: reason},
        )
        await _release_open(order["id"])
        await credit.give_back(order["partner"], order["total_amount"])
        await credit.return_deduction(actor, order)
        return await _event(
            actor, order, EventKind.REJECTED, previous, OrderStatus.REJECTED, reason
        )

    await enqueue_notification(await in_transaction(work))


async def cancel_order(actor: CurrentUser, order: dict[str, Any], reason: str = "") -> None:
    """The partner cancels before approval; vendor staff until everything has shipped.
    Unshipped reservations are released and the order no longer counts against credit."""
    if actor.is_vendor:
        allowed: tuple[OrderStatus, ...] = VENDOR_CANCELLABLE
    elif _own_purchaser(actor, order):
        allowed = (OrderStatus.SUBMITTED,)
    else:
        raise FormError({"": _("You cannot cancel this order.")})
    reason = reason.strip()

    async def work() -> int:
        previous = await _move(
            order,
            allowed,
            OrderStatus.CANCELLED,
            {Order.cancelled_at: now(), Order.cancel_reason: reason},
        )
        await _release_open(order["id"])
        await credit.give_back(order["partner"], order["total_amount"])
        await credit.return_deduction(actor, order)
        return await _event(
            actor, order, EventKind.CANCELLED, previous, OrderStatus.CANCELLED, reason
        )

    if not actor.is_vendor and order["status"] != OrderStatus.SUBMITTED:
        raise StatusConflict(
            _(
                "Order %(number)s has already been approved; ask your channel manager to cancel it.",
                number=order["number"],
            )
        )
    await enqueue_notification(await in_transaction(work))


async def list_lines(order_id: int) -> list[dict[str, Any]]:
    """The lines of an order in line order."""
    return await OrderLine.select().where(OrderLine.order == order_id).order_by(OrderLine.line_no)


async def ship_order(
    actor: CurrentUser,
    order: dict[str, Any],
    *,
    carrier: str,
    tracking_number: str = "",
    note: str = "",
    quantities: dict[int, int] | None = None,
) -> int:
    """Record a shipment: for each order line id in `quantities` (None: everything still open)
    the reserved units leave their warehouses as stock movements. The order becomes shipped, or
    partially shipped while units remain. Returns the shipment id; FormError for bad quantities."""
    _require_vendor(actor)
    carrier = carrier.strip()
    if not carrier:
        raise FormError({"carrier": _("This field is required.")})

    async def work() -> tuple[int, int]:
        previous = await _move(order, SHIPPABLE, None)  # locks the order row first
        lines = await list_lines(order["id"])
        plan: dict[int, int] = {}
        errors: dict[str, str] = {}
        for line in lines:
            remaining = line["quantity"] - line["shipped_quantity"]
            wanted = remaining if quantities is None else quantities.get(line["id"], 0)
            if wanted < 0 or wanted > remaining:
                errors[f"qty_{line['id']}"] = _("Enter 0 to %(n)s.", n=remaining)
            elif wanted:
                plan[line["id"]] = wanted
        if errors:
            raise FormError(errors)
        if not plan:
            raise FormError({"": _("Enter a quantity to ship for at least one line.")})
        moment = now()
        rows = await Shipment.insert(
            Shipment(
                order=order["id"],
                carrier=carrier,
                tracking_number=tracking_number.strip(),
                note=note.strip(),
                shipped_at=moment,
                created_by_id=actor.id,
            )
        ).returning(Shipment.id)
        shipment_id = int(rows[0]["id"])
        for line in sorted(lines, key=lambda ln: ln["product"]):
            units = plan.get(line["id"], 0)
            if not units:
                continue
            await _ship_line(actor, order, line, units, moment)
            await ShipmentLine.insert(
                ShipmentLine(shipment=shipment_id, order_line=line["id"], quantity=units)
            )
            await OrderLine.update(
                {OrderLine.shipped_quantity: OrderLine.shipped_quantity + units}
            ).where(OrderLine.id == line["id"])
        complete = all(
            ln["quantity"] - ln["shipped_quantity"] == plan.get(ln["id"], 0) for ln in lines
        )
        to_status = OrderStatus.SHIPPED if complete else OrderStatus.PARTIALLY_SHIPPED
        values: dict[Any, Any] = {Order.status: to_status}
        if order.get("shipped_at") is None:
            values[Order.shipped_at] = moment
        await Order.update(values).where(Order.id == order["id"])
        detail = " ".join(part for part in (carrier, tracking_number.strip()) if part)
        event_id = await _event(
            actor, order, EventKind.SHIPPED, previous, to_status, detail, shipment_id
        )
        return shipment_id, event_id

    shipment_id, event_id = await in_transaction(work)
    await enqueue_notification(event_id)
    return shipment_id


async def _ship_line(
    actor: CurrentUser, order: dict[str, Any], line: dict[str, Any], units: int, moment: Any
) -> None:
    """Take `units` from the line's open reservations, warehouse by warehouse (code order)."""
    allocations = (
        await OrderAllocation.select(
            OrderAllocation.id,
            OrderAllocation.warehouse,
            OrderAllocation.quantity,
            OrderAllocation.shipped_quantity,
            OrderAllocation.released_quantity,
        )
        .where(OrderAllocation.order_line == line["id"])
        .order_by(OrderAllocation.warehouse.code)
    )
    left = units
    for a in allocations:
        open_units = a["quantity"] - a["shipped_quantity"] - a["released_quantity"]
        take = min(open_units, left)
        if take <= 0:
            continue
        on_hand_after = await stock.ship(line["product"], a["warehouse"], take)
        await OrderAllocation.update(
            {OrderAllocation.shipped_quantity: OrderAllocation.shipped_quantity + take}
        ).where(OrderAllocation.id == a["id"])
        await StockMovement.insert(
            StockMovement(
                product=line["product"],
                warehouse=a["warehouse"],
                quantity=-take,
                on_hand_after=on_hand_after,
                kind=MovementKind.SHIPMENT,
                order_id=order["id"],
                note=order["number"],
                actor_id=actor.id,
                actor_name=actor.name,
                at=moment,
            )
        )
        left -= take
        if left == 0:
            return
    raise stock.StockError(f"order line {line['id']} has fewer reserved units than {units}")


async def deliver_order(actor: CurrentUser, order: dict[str, Any]) -> None:
    """Vendor staff, or the partner's purchasing users, confirm that a shipped order arrived."""
    if not (actor.is_vendor or _own_purchaser(actor, order)):
        raise FormError({"": _("You cannot confirm delivery of this order.")})

    async def work() -> int:
        previous = await _move(
            order, (OrderStatus.SHIPPED,), OrderStatus.DELIVERED, {Order.delivered_at: now()}
        )
        await credit.give_back(order["partner"], order["total_amount"])
        return await _event(actor, order, EventKind.DELIVERED, previous, OrderStatus.DELIVERED)

    await enqueue_notification(await in_transaction(work))


async def approve_orders(actor: CurrentUser, order_ids: list[int]) -> tuple[list[str], list[str]]:
    """Bulk approval from the queue: (numbers approved, messages for those that were not).
    Each order goes through the tenant door and its own transaction."""

    approved: list[str] = []
    problems: list[str] = []
    for order_id in order_ids:
        try:
            order = await get_order_for_user(actor, order_id)
        except NotFound:
            problems.append(_("Order %(id)s was not found.", id=order_id))
            continue
        try:
            await approve_order(actor, order)
        except FormError as exc:
            problems.append(next(iter(exc.errors.values())))
            continue
        approved.append(order["number"])
    return approved, problems
