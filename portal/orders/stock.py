"""Stock that never oversells, on SQLite and PostgreSQL alike.

Every change of a stock level is ONE conditional UPDATE whose WHERE clause carries the rule
(`on_hand - reserved >= n` to reserve, `reserved >= n` to release or ship) and whose RETURNING
tells whether it matched. Nothing is read and then written back, so two requests racing for the
last unit cannot both get it: PostgreSQL re-checks the WHERE clause on the row it locked, SQLite
runs one writer at a time (IMMEDIATE transactions). The CHECK constraint on stock_level
(0 <= reserved <= on_hand) is the second wall. Callers run these inside
portal.db.write_transaction() and roll the whole order back when a line cannot be reserved.

Locks are taken in a fixed order (products by id, warehouses by code) so two orders touching the
same products cannot deadlock on PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from piccolo.columns.combination import WhereRaw

from portal.lib.clock import now
from portal.orders.constants import Availability
from portal.orders.tables import StockLevel, Warehouse

MAX_RACES = 8  # re-reads when a competing order took the units we aimed for


class StockError(RuntimeError):
    """A release or shipment did not match its reservation: a broken invariant, not user input."""


@dataclass(frozen=True)
class Level:
    warehouse_id: int
    warehouse_code: str
    on_hand: int
    reserved: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


async def levels(product_id: int) -> list[Level]:
    """The product's stock in active warehouses, in reservation order (warehouse code)."""
    rows = await (
        StockLevel.select(
            StockLevel.warehouse,
            StockLevel.warehouse.code.as_alias("code"),
            StockLevel.on_hand,
            StockLevel.reserved,
        )
        .where(
            (StockLevel.product == product_id) & (StockLevel.warehouse.is_active == True)  # noqa: E712
        )
        .order_by(StockLevel.warehouse.code)
    )
    return [Level(r["warehouse"], r["code"], r["on_hand"], r["reserved"]) for r in rows]


async def _take(product_id: int, warehouse_id: int, quantity: int) -> bool:
    """Reserve `quantity` in one warehouse if that many are available right now."""
    matched = (
        await StockLevel.update(
            {StockLevel.reserved: StockLevel.reserved + quantity, StockLevel.updated_at: now()}
        )
        .where(
            (StockLevel.product == product_id)
            & (StockLevel.warehouse == warehouse_id)
            & WhereRaw('"stock_level"."on_hand" - "stock_level"."reserved" >= {}', quantity)
        )
        .returning(StockLevel.id)
    )
    return bool(matched)


async def _take_first_fit(product_id: int, quantity: int) -> int | None:
    """One statement for the common case: reserve everything in the first active warehouse
    (code order) that has enough. Returns its id, or None (not one warehouse has enough now).
    The outer condition re-checks availability on the locked row, so a race only makes it fail."""
    matched = (
        await StockLevel.update(
            {StockLevel.reserved: StockLevel.reserved + quantity, StockLevel.updated_at: now()}
        )
        .where(
            WhereRaw(
                '"stock_level"."id" = (SELECT sl.id FROM stock_level sl JOIN warehouse w'
                " ON w.id = sl.warehouse WHERE sl.product = {} AND w.is_active = TRUE"
                " AND sl.on_hand - sl.reserved >= {} ORDER BY w.code LIMIT 1)",
                product_id,
                quantity,
            )
            & WhereRaw('"stock_level"."on_hand" - "stock_level"."reserved" >= {}', quantity)
        )
        .returning(StockLevel.warehouse)
    )
    return int(matched[0]["warehouse"]) if matched else None


async def reserve(product_id: int, quantity: int) -> tuple[list[tuple[int, int]], int]:
    """Reserve `quantity` units: from one warehouse when one can cover them all, otherwise
    across warehouses in code order. Returns ([(warehouse_id, units)], shortfall); a shortfall
    above 0 means the caller must roll back (reservations made here are part of its transaction).
    """
    warehouse_id = await _take_first_fit(product_id, quantity)
    if warehouse_id is not None:
        return [(warehouse_id, quantity)], 0
    taken: list[tuple[int, int]] = []
    remaining = quantity
    for _attempt in range(MAX_RACES):
        current = [lv for lv in await levels(product_id) if lv.available > 0]
        if sum(lv.available for lv in current) < remaining:
            return taken, remaining - sum(lv.available for lv in current)
        whole = next((lv for lv in current if lv.available >= remaining), None)
        if whole is not None and not taken:
            if await _take(product_id, whole.warehouse_id, remaining):
                return [(whole.warehouse_id, remaining)], 0
            continue  # someone else was faster: look again
        for lv in current:
            units = min(remaining, lv.available)
            if units and await _take(product_id, lv.warehouse_id, units):
                taken.append((lv.warehouse_id, units))
                remaining -= units
            if remaining == 0:
                return taken, 0
    return taken, remaining


async def release(product_id: int, warehouse_id: int, quantity: int) -> None:
    """Give reserved units back (rejection, cancellation). Raises StockError on a mismatch."""
    if quantity <= 0:
        return
    matched = (
        await StockLevel.update(
            {StockLevel.reserved: StockLevel.reserved - quantity, StockLevel.updated_at: now()}
        )
        .where(
            (StockLevel.product == product_id)
            & (StockLevel.warehouse == warehouse_id)
            & (StockLevel.reserved >= quantity)
        )
        .returning(StockLevel.id)
    )
    if not matched:
        raise StockError(f"cannot release {quantity} of product {product_id} in {warehouse_id}")


async def ship(product_id: int, warehouse_id: int, quantity: int) -> int:
    """Reserved units leave the warehouse: on hand and reserved both fall. Returns on hand after."""
    matched = (
        await StockLevel.update(
            {
                StockLevel.on_hand: StockLevel.on_hand - quantity,
                StockLevel.reserved: StockLevel.reserved - quantity,
                StockLevel.updated_at: now(),
            }
        )
        .where(
            (StockLevel.product == product_id)
            & (StockLevel.warehouse == warehouse_id)
            & (StockLevel.reserved >= quantity)
            & (StockLevel.on_hand >= quantity)
        )
        .returning(StockLevel.on_hand)
    )
    if not matched:
        raise StockError(f"cannot ship {quantity} of product {product_id} from {warehouse_id}")
    return int(matched[0]["on_hand"])


async def ensure_level(product_id: int, warehouse_id: int) -> None:
    """Create the (product, warehouse) row with zero stock unless it exists (race-safe)."""
    await StockLevel.insert(
        StockLevel(
            product=product_id, warehouse=warehouse_id, on_hand=0, reserved=0, updated_at=now()
        )
    ).on_conflict(action="DO NOTHING")


async def set_on_hand(
    product_id: int, warehouse_id: int, on_hand: int, safety_stock: int | None = None
) -> tuple[int, int, int] | None:
    """Set the counted on-hand quantity. Returns (before, after, reserved), or None when the new
    count is below what is reserved for orders (the caller reports it; nothing changes)."""
    await ensure_level(product_id, warehouse_id)
    for _attempt in range(MAX_RACES):
        row = await (
            StockLevel.select(StockLevel.on_hand, StockLevel.reserved)
            .where((StockLevel.product == product_id) & (StockLevel.warehouse == warehouse_id))
            .first()
        )
        assert row is not None
        if on_hand < row["reserved"]:
            return None
        values: dict[Any, Any] = {StockLevel.on_hand: on_hand, StockLevel.updated_at: now()}
        if safety_stock is not None:
            values[StockLevel.safety_stock] = safety_stock
        # Optimistic: only if nobody changed on_hand since we read it (so `before` is true).
        matched = (
            await StockLevel.update(values)
            .where(
                (StockLevel.product == product_id)
                & (StockLevel.warehouse == warehouse_id)
                & (StockLevel.on_hand == row["on_hand"])
                & (StockLevel.reserved <= on_hand)
            )
            .returning(StockLevel.reserved)
        )
        if matched:
            return row["on_hand"], on_hand, int(matched[0]["reserved"])
    raise StockError(f"stock of product {product_id} in {warehouse_id} kept changing")


async def totals(product_ids: list[int]) -> dict[int, tuple[int, int, int]]:
    """product id -> (on hand, reserved, safety stock) summed over active warehouses."""
    if not product_ids:
        return {}
    rows = await StockLevel.select(
        StockLevel.product, StockLevel.on_hand, StockLevel.reserved, StockLevel.safety_stock
    ).where(
        StockLevel.product.is_in(product_ids) & (StockLevel.warehouse.is_active == True)  # noqa: E712
    )
    out: dict[int, tuple[int, int, int]] = {}
    for r in rows:
        on_hand, reserved, safety = out.get(r["product"], (0, 0, 0))
        out[r["product"]] = (
            on_hand + r["on_hand"],
            reserved + r["reserved"],
            safety + r["safety_stock"],
        )
    return out


def band(available: int, safety_stock: int) -> Availability:
    """In stock, low (at or below the safety stock) or out."""
    if available <= 0:
        return Availability.OUT
    if available <= safety_stock:
        return Availability.LOW
    return Availability.IN_STOCK


async def active_warehouses() -> list[dict[str, Any]]:
    """Active warehouses in reservation order."""
    return await Warehouse.select().where(Warehouse.is_active == True).order_by(Warehouse.code)  # noqa: E712
