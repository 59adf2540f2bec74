"""Ordering: place_order, which reserves stock for every line and checks the credit limit in one
transaction, or refuses with a message per line (the cart and its line rules: orders/cart.py).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from portal.auth.schemas import CurrentUser
from portal.core import audit
from portal.db import write_transaction
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import format_money
from portal.lib.i18n import gettext as _
from portal.orders import credit, stock
from portal.orders.cart import (
    LineProblem,
    LineRequest,
    line_warnings,
    require_purchaser,
    stock_message,
)
from portal.orders.catalog import products_by_sku
from portal.orders.constants import (
    MAX_LINE_QUANTITY,
    MAX_ORDER_LINES,
    ORDER_NUMBER_PREFIX,
    EventKind,
    OrderStatus,
)
from portal.orders.deal_prices import DealTerms, Part, load_deal_terms, split
from portal.orders.emails import enqueue_notification
from portal.orders.prices import load_pricing
from portal.orders.tables import CartItem, Order, OrderAllocation, OrderEvent, OrderLine
from portal.settings import get_settings

T = TypeVar("T")
RETRIES = 4


class OrderRefused(FormError):
    """place_order refuses the whole order. `conflict`: the request was valid but stock or
    credit does not allow it now (API 409); otherwise the request itself is wrong (API 422)."""

    def __init__(
        self, message: str, lines: list[LineProblem] | None = None, conflict: bool = False
    ):
        self.message = message
        self.lines = lines or []
        self.conflict = conflict
        errors = {"": message}
        errors.update({f"line.{p.line_no}": p.message for p in self.lines})
        super().__init__(errors)


@dataclass
class Placed:
    order_id: int
    number: str
    replayed: bool = False  # the idempotency key had already created this order
    event_id: int | None = None  # the "submitted" event, notified after the commit


def _retryable(exc: BaseException) -> bool:
    """PostgreSQL deadlock (40P01) or serialization failure (40001, CockroachDB): run again."""
    return getattr(exc, "sqlstate", None) in {"40P01", "40001"}


async def in_transaction(work: Callable[[], Awaitable[T]]) -> T:
    """Run `work` in a write transaction, again from the start when PostgreSQL reports a
    deadlock or a serialization failure (the transaction was rolled back, nothing is half done)."""
    for attempt in range(RETRIES):
        try:
            async with write_transaction():
                return await work()
        except Exception as exc:
            if attempt + 1 < RETRIES and _retryable(exc):
                continue
            raise
    raise AssertionError("unreachable")


def _unique_violation(exc: BaseException, constraint: str) -> bool:
    if getattr(exc, "sqlstate", None) == "23505":
        return getattr(exc, "constraint_name", "") == constraint
    return type(exc).__name__ == "IntegrityError" and "UNIQUE" in str(exc)


def request_fingerprint(
    lines: list[LineRequest],
    note: str,
    delivery_address: str,
    end_customer_name: str,
    deal_id: int | None = None,
    use_rebate_credit: bool = False,
) -> str:
    """What an API request asked for, so a reused Idempotency-Key with other content is refused."""
    body: dict[str, Any] = {
        "lines": [[r.sku, r.quantity] for r in lines],
        "note": note,
        "delivery_address": delivery_address,
        "end_customer_name": end_customer_name,
    }
    if deal_id is not None:  # absent otherwise, so the keys of earlier requests still match
        body["deal_id"] = deal_id
    if use_rebate_credit:  # the same: absent when false
        body["use_rebate_credit"] = True
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


async def _existing(partner_id: int, key: str) -> dict[str, Any] | None:
    return (
        await Order.select(Order.id, Order.number, Order.request_hash)
        .where((Order.partner == partner_id) & (Order.idempotency_key == key))
        .first()
    )


def _replay(existing: dict[str, Any], request_hash: str | None) -> Placed:
    if request_hash is not None and existing["request_hash"] != request_hash:
        raise OrderRefused(
            _("This Idempotency-Key was already used for a different order."), conflict=False
        )
    return Placed(existing["id"], existing["number"], replayed=True)


async def _validate(
    lines: list[LineRequest],
) -> tuple[list[tuple[int, LineRequest, dict[str, Any]]], list[LineProblem]]:
    if not lines:
        raise OrderRefused(_("The order has no lines."))
    if len(lines) > MAX_ORDER_LINES:
        raise OrderRefused(_("An order has at most %(n)s lines.", n=MAX_ORDER_LINES))
    products = await products_by_sku([r.sku for r in lines])
    valid: list[tuple[int, LineRequest, dict[str, Any]]] = []
    problems: list[LineProblem] = []
    seen: dict[str, int] = {}
    for number, request in enumerate(lines, start=1):
        product = products.get(request.sku)
        if request.sku in seen:
            problems.append(
                LineProblem(
                    number,
                    request.sku,
                    _("This SKU is already on line %(n)s.", n=seen[request.sku]),
                )
            )
            continue
        seen[request.sku] = number
        if product is None or not product["is_active"]:
            problems.append(LineProblem(number, request.sku, _("No product has this SKU.")))
            continue
        if not 1 <= request.quantity <= MAX_LINE_QUANTITY:
            problems.append(
                LineProblem(
                    number, request.sku, _("Enter a quantity from 1 to %(n)s.", n=MAX_LINE_QUANTITY)
                )
            )
            continue
        rules = [w for w in line_warnings(product, request.quantity, MAX_LINE_QUANTITY)]
        if rules:
            problems.append(LineProblem(number, request.sku, " ".join(rules)))
            continue
        valid.append((number, request, product))
    return valid, problems


def divide(taken: list[tuple[int, int]], quantities: list[int]) -> list[list[tuple[int, int]]]:
    """Share the (warehouse, units) reserved for a requested line among its parts, in order."""
    pool = [list(t) for t in taken]
    out: list[list[tuple[int, int]]] = []
    for quantity in quantities:
        share: list[tuple[int, int]] = []
        while quantity > 0 and pool:
            warehouse_id, units = pool[0]
            used = min(units, quantity)
            share.append((warehouse_id, used))
            quantity -= used
            if used == units:
                pool.pop(0)
            else:
                pool[0][1] = units - used
        out.append(share)
    return out


async def place_order(
    actor: CurrentUser,
    lines: list[LineRequest],
    *,
    note: str = "",
    delivery_address: str = "",
    end_customer_name: str = "",
    end_customer_id: int | None = None,
    idempotency_key: str | None = None,
    request_hash: str | None = None,
    from_cart: bool = False,
    deal_id: int | None = None,
    use_rebate_credit: bool = False,
) -> Placed:
    """Place an order for the actor's partner: every line's stock is reserved and the credit
    limit checked in one transaction, or nothing happens and OrderRefused lists each problem.

    With an idempotency key (form token or Idempotency-Key header) a repeat returns the order
    the first request created (`replayed`), so a double click or a retried request makes one
    order. `request_hash` (API) must match the first request's. `from_cart` empties the cart.
    Against a deal (`deal_id`, the partner's protected deal; FormError on 'deal_id' otherwise)
    the units registered on it get its special price, the rest the normal price (two lines).
    With `use_rebate_credit` the partner's unused rebate credit (finance) is deducted from the
    total, at most all of it, and the order shows the deduction as its own line.
    """
    partner_id = require_purchaser(actor)
    key = (idempotency_key or "").strip()[:100] or None
    if key:
        existing = await _existing(partner_id, key)
        if existing:
            return _replay(existing, request_hash)
    valid, problems = await _validate(lines)
    if problems:
        raise OrderRefused(_("The order cannot be placed; see the lines below."), problems)
    blocked = await credit.hold(partner_id)
    if blocked:
        raise OrderRefused(blocked, conflict=True)
    terms: DealTerms | None = await load_deal_terms(partner_id, deal_id) if deal_id else None
    if terms is not None and end_customer_id is None and not end_customer_name.strip():
        end_customer_id, end_customer_name = terms.customer_id, terms.customer_name
    pricing = await load_pricing(partner_id, [p["id"] for _n, _r, p in valid])
    priced: list[tuple[int, LineRequest, dict[str, Any], list[Part]]] = []
    for number, request, product in valid:
        quote = pricing.quote(product["id"], product["list_price_amount"], request.quantity)
        priced.append(
            (number, request, product, split(terms, product["id"], quote, request.quantity))
        )
    total = sum(p.quote.line_amount(p.quantity) for _n, _r, _p, parts in priced for p in parts)
    currency = valid[0][2]["currency"]
    moment = now()

    async def work() -> Placed:
        # A twin request with the same key that committed first makes this insert fail on the
        # unique (partner, idempotency_key) index; the handler below answers with its order.
        header = await Order.insert(
            Order(
                number=f"new-{uuid.uuid4().hex[:24]}",  # replaced by the real number below
                partner=partner_id,
                submitted_by=actor.id,
                status=OrderStatus.SUBMITTED,
                currency=currency,
                total_amount=total,
                line_count=sum(len(line_parts) for *_x, line_parts in priced),
                tier_code=pricing.tier_code,
                note=note.strip(),
                delivery_address=delivery_address.strip(),
                end_customer_name=end_customer_name.strip(),
                end_customer_id=end_customer_id,  # checked by the caller (customers wall)
                deal_id=terms.id if terms else None,
                idempotency_key=key,
                request_hash=request_hash or "",
                submitted_at=moment,
                updated_at=moment,
            )
        ).returning(Order.id)
        order_id = int(header[0]["id"])
        number = f"{ORDER_NUMBER_PREFIX}-{moment.astimezone(get_settings().tz):%Y}-{order_id:06d}"
        await Order.update({Order.number: number}).where(Order.id == order_id)
        # Reserve in product order, so two orders lock stock rows in the same order (no deadlock).
        shortages: list[LineProblem] = []
        allocations: dict[int, list[tuple[int, int]]] = {}
        for number_, request, product, _quote in sorted(priced, key=lambda p: p[2]["id"]):
            taken, shortfall = await stock.reserve(product["id"], request.quantity)
            if shortfall:
                shortages.append(
                    LineProblem(
                        number_, request.sku, stock_message(product, request.quantity - shortfall)
                    )
                )
            allocations[number_] = taken
        if shortages:
            raise OrderRefused(
                _("Not enough stock for some lines; nothing was ordered."),
                sorted(shortages, key=lambda p: p.line_no),
                conflict=True,
            )
        deduction, reason = (
            await credit.deduct(actor, partner_id, order_id, number, total)
            if use_rebate_credit
            else (0, "")
        )
        if deduction:
            await Order.update(
                {
                    Order.total_amount: total - deduction,
                    Order.deduction_amount: deduction,
                    Order.deduction_reason: reason,
                }
            ).where(Order.id == order_id)
        if not await credit.take(partner_id, total - deduction):
            context = await credit.context(partner_id)
            amounts = {
                "total": format_money(total - deduction, currency),
                "available": format_money(context["available_amount"], currency),
                "limit": format_money(context["limit_amount"], currency),
                "open": format_money(context["open_amount"], currency),
                "owed": format_money(context["owed_amount"], currency),
            }
            message = (
                _(
                    "This order (%(total)s) exceeds your available credit of %(available)s "
                    "(credit limit %(limit)s, open orders %(open)s, unpaid invoices less balance "
                    "on account %(owed)s). Paying what is due frees credit.",
                    **amounts,
                )
                if context["owed_amount"]
                else _(
                    "This order (%(total)s) exceeds your available credit of %(available)s "
                    "(credit limit %(limit)s, open orders %(open)s).",
                    **amounts,
                )
            )
            raise OrderRefused(message, conflict=True)
        parts = [
            (product, part, units)
            for number_, _request, product, line_parts in priced
            for part, units in zip(
                line_parts,
                divide(allocations[number_], [p.quantity for p in line_parts]),
                strict=True,
            )
        ]
        for line_no, (product, part, units) in enumerate(parts, start=1):
            quote = part.quote
            rows = await OrderLine.insert(
                OrderLine(
                    order=order_id,
                    line_no=line_no,
                    product=product["id"],
                    sku=product["sku"],
                    name_zh=product["name_zh"],
                    name_en=product["name_en"],
                    unit=product["unit"],
                    quantity=part.quantity,
                    shipped_quantity=0,
                    list_price_amount=quote.list_amount,
                    unit_price_amount=quote.unit_amount,
                    line_amount=quote.line_amount(part.quantity),
                    price_rule=quote.rule,
                    tier_code=quote.tier_code or pricing.tier_code,
                    price_discount_bp=quote.discount_bp,
                    rule_valid_until=quote.valid_until,
                    break_min_quantity=quote.break_min_quantity,
                    break_discount_bp=quote.break_discount_bp,
                    deal_number=quote.deal_number,
                )
            ).returning(OrderLine.id)
            line_id = int(rows[0]["id"])
            await OrderAllocation.insert(
                *[
                    OrderAllocation(
                        order_line=line_id,
                        product=product["id"],
                        warehouse=warehouse_id,
                        quantity=units,
                        shipped_quantity=0,
                        released_quantity=0,
                    )
                    for warehouse_id, units in units
                ]
            )
        event = await OrderEvent.insert(
            OrderEvent(
                order=order_id,
                kind=EventKind.SUBMITTED,
                from_status="",
                to_status=OrderStatus.SUBMITTED,
                actor_id=actor.id,
                actor_name=actor.name,
                actor_is_vendor=False,
                at=moment,
            )
        ).returning(OrderEvent.id)
        await audit.record(
            "order.place",
            actor=actor,
            partner_id=partner_id,
            target_type="order",
            target_id=order_id,
            after={
                "number": number,
                "total_amount": total - deduction,
                "lines": len(parts),
                **({"deduction_amount": deduction} if deduction else {}),
                **({"deal": terms.number} if terms else {}),
            },
        )
        if from_cart:
            await CartItem.delete().where(
                (CartItem.user == actor.id)
                & CartItem.product.is_in([p["id"] for _n, _r, p, _q in priced])
            )
        return Placed(order_id, number, event_id=int(event[0]["id"]))

    try:
        placed = await in_transaction(work)
    except Exception as exc:
        if key and _unique_violation(exc, "partner_order_idempotency"):
            # A twin request with the same key committed first (PostgreSQL): answer with it.
            existing = await _existing(partner_id, key)
            if existing:
                return _replay(existing, request_hash)
        raise
    await enqueue_notification(placed.event_id)
    return placed
