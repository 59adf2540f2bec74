"""The catalog (categories, products), prices (tier price lists, contract prices, volume breaks),
stock (warehouses, levels, movements), carts, and orders with their lines, reservations,
shipments and events.

Constraints Piccolo cannot declare portably live in the second migration
(orders_2026_11_22t09_01_22_000000): composite unique indexes (one stock level per product and
warehouse, one order per partner and idempotency key ...) and CHECK constraints that make the
database itself refuse negative stock or more reserved than on hand.
"""

from piccolo.columns import (
    BigInt,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from portal.auth.tables import User
from portal.orders.constants import EventKind, MovementKind, OrderStatus, PriceRule, StockDisplay
from portal.partners.tables import Partner, Tier


class Category(Table, tablename="category"):
    """A group of products for filtering the catalog."""

    id: Serial  # created by Piccolo; declared for type checkers

    code = Varchar(length=40, unique=True)
    name_zh = Varchar(length=100)
    name_en = Varchar(length=100, default="")
    position = Integer(default=0)


class Product(Table, tablename="product"):
    """A sellable SKU with its list price, order rules and how partners see its stock."""

    id: Serial  # created by Piccolo; declared for type checkers

    sku = Varchar(length=40, unique=True, index=True)
    name_zh = Varchar(length=200, index=True)
    name_en = Varchar(length=200, default="")
    description_zh = Text(default="")
    description_en = Text(default="")
    category = ForeignKey(Category, null=True, on_delete=OnDelete.set_null, index=True)
    unit = Varchar(length=20, default="pcs")
    list_price_amount = BigInt(default=0)  # minor units (fen)
    currency = Varchar(length=3, default="CNY")
    min_order_quantity = Integer(default=1)
    pack_size = Integer(default=1)  # quantities must be a multiple of this
    is_active = Boolean(default=True, index=True)
    image_url = Varchar(length=500, default="")
    stock_display = Varchar(length=10, choices=StockDisplay, default=StockDisplay.BANDS)
    restock_on = Date(null=True, default=None)  # expected restock date shown to partners
    created_at = Timestamptz()
    updated_at = Timestamptz()


class Warehouse(Table, tablename="warehouse"):
    """A place that holds stock; reservations are taken from warehouses in code order."""

    id: Serial  # created by Piccolo; declared for type checkers

    code = Varchar(length=20, unique=True)
    name = Varchar(length=100)
    city = Varchar(length=80, default="")
    is_active = Boolean(default=True)
    created_at = Timestamptz()


class StockLevel(Table, tablename="stock_level"):
    """Units of one product in one warehouse. available = on_hand - reserved.

    Written only by portal.orders.stock with conditional UPDATEs; a CHECK constraint
    (0 <= reserved <= on_hand) is the second wall.
    """

    id: Serial  # created by Piccolo; declared for type checkers

    product = ForeignKey(Product, on_delete=OnDelete.cascade, index=True)
    warehouse = ForeignKey(Warehouse, on_delete=OnDelete.restrict, index=True)
    on_hand = Integer(default=0)
    reserved = Integer(default=0)
    safety_stock = Integer(default=0)  # at or below this, partners see "low stock"
    updated_at = Timestamptz()


class StockMovement(Table, tablename="stock_movement"):
    """A change of on-hand stock (shipment, adjustment, import, ERP sync); never updated."""

    id: Serial  # created by Piccolo; declared for type checkers

    product = ForeignKey(Product, on_delete=OnDelete.cascade, index=True)
    warehouse = ForeignKey(Warehouse, on_delete=OnDelete.restrict)
    quantity = Integer()  # change of on hand: negative when units leave
    on_hand_after = Integer()
    kind = Varchar(length=20, choices=MovementKind)
    order_id = BigInt(null=True, default=None, index=True)
    note = Varchar(length=300, default="")
    actor_id = BigInt(null=True, default=None)
    actor_name = Varchar(length=120, default="")
    at = Timestamptz(index=True)


class PriceList(Table, tablename="price_list"):
    """A tier's prices: a percentage off list for every SKU, and explicit prices for some."""

    id: Serial  # created by Piccolo; declared for type checkers

    code = Varchar(length=40, unique=True)
    name = Varchar(length=120)
    tier = ForeignKey(Tier, on_delete=OnDelete.restrict, index=True)
    discount_bp = Integer(default=0)  # basis points off list: 1800 = 18 %
    valid_from = Date(null=True, default=None)
    valid_until = Date(null=True, default=None)
    is_active = Boolean(default=True)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class PriceListItem(Table, tablename="price_list_item"):
    """An explicit net price for one SKU in one price list (unique per list and product)."""

    id: Serial  # created by Piccolo; declared for type checkers

    price_list = ForeignKey(PriceList, on_delete=OnDelete.cascade, index=True)
    product = ForeignKey(Product, on_delete=OnDelete.cascade, index=True)
    price_amount = BigInt()


class ContractPrice(Table, tablename="contract_price"):
    """A partner's negotiated net price for a SKU; overrides the tier while it is valid."""

    id: Serial  # created by Piccolo; declared for type checkers

    partner = ForeignKey(Partner, on_delete=OnDelete.cascade, index=True)
    product = ForeignKey(Product, on_delete=OnDelete.cascade, index=True)
    price_amount = BigInt()
    valid_from = Date(null=True, default=None)
    valid_until = Date(null=True, default=None)
    note = Varchar(length=300, default="")
    created_by_id = BigInt(null=True, default=None)
    created_at = Timestamptz()


class QuantityBreak(Table, tablename="quantity_break"):
    """A volume discount on top of the tier price: at least min_quantity units, discount_bp off.

    product = null applies to every product.
    """

    id: Serial  # created by Piccolo; declared for type checkers

    product = ForeignKey(Product, null=True, on_delete=OnDelete.cascade, index=True)
    min_quantity = Integer()
    discount_bp = Integer()
    valid_from = Date(null=True, default=None)
    valid_until = Date(null=True, default=None)
    created_at = Timestamptz()


class CartItem(Table, tablename="cart_item"):
    """A product and quantity in a user's cart (unique per user and product)."""

    id: Serial  # created by Piccolo; declared for type checkers

    user = ForeignKey(User, on_delete=OnDelete.cascade, index=True)
    product = ForeignKey(Product, on_delete=OnDelete.cascade)
    quantity = Integer()
    added_at = Timestamptz()


class CreditExposure(Table, tablename="credit_exposure"):
    """The value of a partner's open orders, kept by the order verbs in their transactions.

    place_order raises it with one conditional UPDATE that also checks the credit limit, so two
    orders racing for the last of the credit cannot both pass; CHECK open_amount >= 0.
    """

    id: Serial  # created by Piccolo; declared for type checkers

    partner = ForeignKey(Partner, on_delete=OnDelete.cascade, unique=True)
    open_amount = BigInt(default=0)
    updated_at = Timestamptz()


class Order(Table, tablename="partner_order"):
    """A partner's order. The partner comes from the submitting user, never from input."""

    id: Serial  # created by Piccolo; declared for type checkers

    number = Varchar(length=30, unique=True)
    partner = ForeignKey(Partner, on_delete=OnDelete.restrict, index=True)
    submitted_by = ForeignKey(User, on_delete=OnDelete.restrict, index=True)
    status = Varchar(length=20, choices=OrderStatus, default=OrderStatus.SUBMITTED, index=True)
    currency = Varchar(length=3, default="CNY")
    total_amount = BigInt(default=0)  # minor units; the line amounts less the deduction
    # rebate credit deducted from the lines (finance, through hooks.order_deduction), shown as
    # its own line with the reason ("Q4 满额返利 2026-Q3")
    deduction_amount = BigInt(default=0)
    deduction_reason = Varchar(length=300, default="")
    line_count = Integer(default=0)
    tier_code = Varchar(length=30, default="")  # the partner's tier when the order was placed
    note = Text(default="")
    delivery_address = Text(default="")
    end_customer_name = Varchar(length=200, default="")
    end_customer_id = BigInt(null=True, default=None)  # customers domain, when it exists
    deal_id = BigInt(null=True, default=None, index=True)  # deals domain: placed against a deal
    idempotency_key = Varchar(length=100, null=True, default=None)
    request_hash = Varchar(length=64, default="")  # the request behind the key (API replays)
    reject_reason = Text(default="")
    cancel_reason = Text(default="")
    submitted_at = Timestamptz(index=True)
    decided_at = Timestamptz(null=True, default=None)  # approved or rejected
    decided_by_id = BigInt(null=True, default=None)
    shipped_at = Timestamptz(null=True, default=None)  # first shipment
    delivered_at = Timestamptz(null=True, default=None)
    cancelled_at = Timestamptz(null=True, default=None)
    updated_at = Timestamptz()


class OrderLine(Table, tablename="order_line"):
    """One SKU of an order with the price snapshot: later price changes never alter it."""

    id: Serial  # created by Piccolo; declared for type checkers

    order = ForeignKey(Order, on_delete=OnDelete.cascade, index=True)
    line_no = Integer()
    product = ForeignKey(Product, on_delete=OnDelete.restrict, index=True)
    sku = Varchar(length=40)
    name_zh = Varchar(length=200)
    name_en = Varchar(length=200, default="")
    unit = Varchar(length=20, default="")
    quantity = Integer()
    shipped_quantity = Integer(default=0)
    list_price_amount = BigInt()
    unit_price_amount = BigInt()
    line_amount = BigInt()
    price_rule = Varchar(length=20, choices=PriceRule)
    tier_code = Varchar(length=30, default="")
    price_discount_bp = Integer(default=0)  # the tier discount applied (TIER_DISCOUNT)
    rule_valid_until = Date(null=True, default=None)  # contract or price list end date
    break_min_quantity = Integer(null=True, default=None)  # volume break applied, if any
    break_discount_bp = Integer(default=0)
    # The deal (DR-2026-000123) whose special price this line has (price_rule "deal"), or whose
    # registered quantity this line goes beyond (the rest of a requested line, normal price).
    deal_number = Varchar(length=20, default="")


class OrderAllocation(Table, tablename="order_allocation"):
    """Units of an order line reserved in one warehouse; open = quantity - shipped - released."""

    id: Serial  # created by Piccolo; declared for type checkers

    order_line = ForeignKey(OrderLine, on_delete=OnDelete.cascade, index=True)
    product = ForeignKey(Product, on_delete=OnDelete.restrict)
    warehouse = ForeignKey(Warehouse, on_delete=OnDelete.restrict)
    quantity = Integer()
    shipped_quantity = Integer(default=0)
    released_quantity = Integer(default=0)


class Shipment(Table, tablename="shipment"):
    """A parcel sent for an order (partial shipments allowed), with carrier and tracking."""

    id: Serial  # created by Piccolo; declared for type checkers

    order = ForeignKey(Order, on_delete=OnDelete.cascade, index=True)
    carrier = Varchar(length=80)
    tracking_number = Varchar(length=100, default="")
    note = Varchar(length=300, default="")
    shipped_at = Timestamptz()
    created_by_id = BigInt(null=True, default=None)


class ShipmentLine(Table, tablename="shipment_line"):
    """How many units of an order line a shipment carried."""

    id: Serial  # created by Piccolo; declared for type checkers

    shipment = ForeignKey(Shipment, on_delete=OnDelete.cascade, index=True)
    order_line = ForeignKey(OrderLine, on_delete=OnDelete.cascade)
    quantity = Integer()


class OrderEvent(Table, tablename="order_event"):
    """One step of an order's life with actor and time: the partner's timeline. Only the
    notification columns change after the insert."""

    id: Serial  # created by Piccolo; declared for type checkers

    order = ForeignKey(Order, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=20, choices=EventKind)
    from_status = Varchar(length=20, default="")
    to_status = Varchar(length=20)
    actor_id = BigInt(null=True, default=None)
    actor_name = Varchar(length=120, default="")
    actor_is_vendor = Boolean(default=False)
    detail = Text(default="")
    shipment = ForeignKey(Shipment, null=True, on_delete=OnDelete.set_null)
    at = Timestamptz()
    # The submitter's e-mail about this step, queued by the notify_order_event job after the
    # commit (rendering stays out of the order's transaction); notified_at marks it done.
    notified_at = Timestamptz(null=True, default=None)
    notify_lease_until = Timestamptz(null=True, default=None)
    email_id = BigInt(null=True, default=None)
