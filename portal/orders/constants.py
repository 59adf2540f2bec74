"""Order statuses and their transitions, event kinds, price rules, stock bands and limits."""

from __future__ import annotations

from enum import StrEnum

from portal.lib.i18n import N_


class OrderStatus(StrEnum):
    SUBMITTED = "submitted"  # a partner purchasing user placed it; stock is reserved
    APPROVED = "approved"  # vendor staff approved it
    REJECTED = "rejected"  # vendor staff refused it with a reason; reservations released
    PARTIALLY_SHIPPED = "partially_shipped"  # vendor staff shipped part of the quantities
    SHIPPED = "shipped"  # vendor staff shipped every remaining unit
    DELIVERED = "delivered"  # vendor staff or the partner confirmed receipt
    CANCELLED = "cancelled"  # the partner before approval, or vendor staff before full shipment


# Which verb may move an order from which status (checked again by a conditional UPDATE).
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.SUBMITTED: frozenset(
        {OrderStatus.APPROVED, OrderStatus.REJECTED, OrderStatus.CANCELLED}
    ),
    OrderStatus.APPROVED: frozenset(
        {OrderStatus.PARTIALLY_SHIPPED, OrderStatus.SHIPPED, OrderStatus.CANCELLED}
    ),
    OrderStatus.PARTIALLY_SHIPPED: frozenset(
        {OrderStatus.PARTIALLY_SHIPPED, OrderStatus.SHIPPED, OrderStatus.CANCELLED}
    ),
    OrderStatus.SHIPPED: frozenset({OrderStatus.DELIVERED}),
    OrderStatus.DELIVERED: frozenset(),
    OrderStatus.REJECTED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}

# Orders whose value counts against the partner's credit limit: placed and not yet delivered,
# rejected or cancelled. (Payments live in the vendor's ERP; delivery closes the exposure here.)
OPEN_STATUSES = frozenset(
    {
        OrderStatus.SUBMITTED,
        OrderStatus.APPROVED,
        OrderStatus.PARTIALLY_SHIPPED,
        OrderStatus.SHIPPED,
    }
)
# Orders that still hold stock reservations.
RESERVING_STATUSES = frozenset(
    {OrderStatus.SUBMITTED, OrderStatus.APPROVED, OrderStatus.PARTIALLY_SHIPPED}
)

STATUS_LABELS = {
    OrderStatus.SUBMITTED: N_("Submitted"),
    OrderStatus.APPROVED: N_("Approved"),
    OrderStatus.REJECTED: N_("Rejected"),
    OrderStatus.PARTIALLY_SHIPPED: N_("Partially shipped"),
    OrderStatus.SHIPPED: N_("Shipped"),
    OrderStatus.DELIVERED: N_("Delivered"),
    OrderStatus.CANCELLED: N_("Cancelled"),
}
# Badge colour per status (CSS classes badge-<tone>).
STATUS_TONES = {
    OrderStatus.SUBMITTED: "pending",
    OrderStatus.APPROVED: "info",
    OrderStatus.REJECTED: "danger",
    OrderStatus.PARTIALLY_SHIPPED: "info",
    OrderStatus.SHIPPED: "info",
    OrderStatus.DELIVERED: "success",
    OrderStatus.CANCELLED: "muted",
}


class EventKind(StrEnum):
    SUBMITTED = "submitted"  # place_order
    APPROVED = "approved"  # approve_order
    REJECTED = "rejected"  # reject_order (detail = reason)
    CANCELLED = "cancelled"  # cancel_order (detail = reason)
    SHIPPED = "shipped"  # ship_order, once per shipment (partial or complete)
    DELIVERED = "delivered"  # deliver_order


class PriceRule(StrEnum):
    """Where a net unit price came from (snapshotted on each order line)."""

    LIST = "list"  # no price list for the tier: the list price
    TIER_DISCOUNT = "tier_discount"  # the tier's price list: a percentage off list
    TIER_PRICE = "tier_price"  # the tier's price list: an explicit price for this SKU
    CONTRACT = "contract"  # a partner-specific contract price (overrides the tier)
    DEAL = "deal"  # vendor staff's special price on an approved deal registration (deals)


class StockDisplay(StrEnum):
    EXACT = "exact"  # partners see the available quantity
    BANDS = "bands"  # partners see in stock / low / out of stock


class Availability(StrEnum):
    IN_STOCK = "in_stock"  # available above the safety stock
    LOW = "low"  # available, but at or below the safety stock
    OUT = "out"  # nothing available


AVAILABILITY_LABELS = {
    Availability.IN_STOCK: N_("In stock"),
    Availability.LOW: N_("Low stock"),
    Availability.OUT: N_("Out of stock"),
}
AVAILABILITY_TONES = {
    Availability.IN_STOCK: "success",
    Availability.LOW: "warning",
    Availability.OUT: "danger",
}


class MovementKind(StrEnum):
    SHIPMENT = "shipment"  # ship_order: reserved units leave the warehouse
    ADJUSTMENT = "adjustment"  # vendor staff corrected the on-hand count in the console
    IMPORT = "import"  # a stock import (console or CLI)
    SYNC = "sync"  # PUT /api/v1/stock/{sku} from the ERP


ORDER_NUMBER_PREFIX = "SO"
MAX_ORDER_LINES = 200
MAX_LINE_QUANTITY = 1_000_000
MAX_CART_ITEMS = 200
BASIS_POINTS = 10_000  # 100 %
