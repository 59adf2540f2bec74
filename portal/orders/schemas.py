"""Order forms (HTML), filters (query strings) and JSON API bodies.

Money in forms is typed in yuan ("1234.50") and parsed with portal.lib.money.parse_amount;
percentages are typed as "18" or "2.5" and stored as basis points. The JSON API speaks minor
units (fen) with the currency, like the rest of the API.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

from portal.lib.inputs import Id
from portal.orders.constants import MAX_LINE_QUANTITY, MAX_ORDER_LINES, StockDisplay

# Letters, digits and . _ - only: a SKU is part of URLs (/catalog/{sku}) and pasted order lines.
SKU_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
Sku = Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=SKU_PATTERN)]
Quantity = Annotated[int, msgspec.Meta(ge=1, le=MAX_LINE_QUANTITY)]
Count = Annotated[int, msgspec.Meta(ge=0, le=100_000_000)]
Money = Annotated[str, msgspec.Meta(max_length=30)]
Percent = Annotated[str, msgspec.Meta(max_length=10)]
Text300 = Annotated[str, msgspec.Meta(max_length=300)]
Text2000 = Annotated[str, msgspec.Meta(max_length=2000)]

# ---- console forms -------------------------------------------------------------------------


class ProductForm(msgspec.Struct, kw_only=True):
    sku: Sku
    name_zh: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    name_en: Annotated[str, msgspec.Meta(max_length=200)] = ""
    description_zh: Annotated[str, msgspec.Meta(max_length=5000)] = ""
    description_en: Annotated[str, msgspec.Meta(max_length=5000)] = ""
    category_id: Id | None = None
    unit: Annotated[str, msgspec.Meta(min_length=1, max_length=20)] = "pcs"
    list_price: Money
    min_order_quantity: Quantity = 1
    pack_size: Quantity = 1
    is_active: bool = False
    image_url: Annotated[str, msgspec.Meta(max_length=500)] = ""
    stock_display: StockDisplay = StockDisplay.BANDS
    restock_on: dt.date | None = None


class CategoryForm(msgspec.Struct, kw_only=True):
    code: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    name_zh: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    name_en: Annotated[str, msgspec.Meta(max_length=100)] = ""
    position: Annotated[int, msgspec.Meta(ge=0, le=100_000)] = 0


class WarehouseForm(msgspec.Struct, kw_only=True):
    code: Annotated[str, msgspec.Meta(min_length=1, max_length=20)]
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    city: Annotated[str, msgspec.Meta(max_length=80)] = ""
    is_active: bool = False


class PriceListForm(msgspec.Struct, kw_only=True):
    code: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
    tier_id: Id
    discount: Percent = "0"
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    is_active: bool = False


class PriceListItemForm(msgspec.Struct, kw_only=True):
    sku: Sku
    price: Money


class ContractPriceForm(msgspec.Struct, kw_only=True):
    partner_id: Id
    sku: Sku
    price: Money
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    note: Text300 = ""


class QuantityBreakForm(msgspec.Struct, kw_only=True):
    sku: Annotated[str, msgspec.Meta(max_length=40)] = ""  # blank: every product
    min_quantity: Annotated[int, msgspec.Meta(ge=2, le=MAX_LINE_QUANTITY)]
    discount: Percent
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None


# ---- service inputs (typed where they cross from the console or the demo into price_rules) ----


class ProductData(msgspec.Struct, kw_only=True):
    """A product as catalog.save_product takes it (list price in minor units; stock_display a
    StockDisplay value)."""

    sku: str
    name_zh: str
    name_en: str = ""
    description_zh: str = ""
    description_en: str = ""
    category_id: int | None = None
    unit: str = "pcs"
    list_price_amount: int
    min_order_quantity: int = 1
    pack_size: int = 1
    is_active: bool = False
    image_url: str = ""
    stock_display: str = StockDisplay.BANDS.value
    restock_on: dt.date | None = None


class PriceListData(msgspec.Struct, kw_only=True):
    """A tier price list as price_rules.save_price_list takes it (discount in basis points)."""

    code: str
    name: str
    tier_id: int
    discount_bp: int
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    is_active: bool = False


class ContractPriceData(msgspec.Struct, kw_only=True):
    """A partner's contract price for a SKU (minor units), as price_rules.add_contract_price
    takes it."""

    partner_id: int
    sku: str
    price_amount: int
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    note: str = ""


class QuantityBreakData(msgspec.Struct, kw_only=True):
    """A volume break (blank SKU: every product), as price_rules.add_quantity_break takes it."""

    sku: str = ""
    min_quantity: int
    discount_bp: int
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None


class StockForm(msgspec.Struct, kw_only=True):
    warehouse_id: Id
    on_hand: Count
    safety_stock: Count = 0
    note: Text300 = ""


class ImportForm(msgspec.Struct, kw_only=True):
    kind: str


# ---- partner forms -------------------------------------------------------------------------


class CartAddForm(msgspec.Struct, kw_only=True):
    sku: Sku
    quantity: Quantity = 1


class QuickOrderForm(msgspec.Struct, kw_only=True):
    lines: Annotated[str, msgspec.Meta(min_length=1, max_length=50_000)]


class CheckoutForm(msgspec.Struct, kw_only=True):
    form_token: Annotated[str, msgspec.Meta(min_length=8, max_length=100)]
    delivery_address: Text2000 = ""
    delivery_address_id: Id | None = None  # an entry of the partner's address book (partners)
    note: Text2000 = ""
    end_customer_name: Annotated[str, msgspec.Meta(max_length=200)] = ""
    end_customer_id: Id | None = None  # one of the partner's customers (customers domain)
    deal_id: Id | None = None  # one of the partner's protected deals (deals domain)
    use_rebate_credit: bool = False  # the checkbox: deduct unused rebate credit (finance)


class ReasonForm(msgspec.Struct, kw_only=True):
    reason: Text2000 = ""


class ShipForm(msgspec.Struct, kw_only=True):
    carrier: Annotated[str, msgspec.Meta(min_length=1, max_length=80)]
    tracking_number: Annotated[str, msgspec.Meta(max_length=100)] = ""
    note: Text300 = ""


# ---- filters -------------------------------------------------------------------------------


class CatalogFilters(msgspec.Struct, kw_only=True):
    q: str = ""
    category: str = ""  # category code
    availability: str = ""  # in_stock | low | out
    sort: str = "sku"
    page: int = 1
    per_page: int = 50
    include_inactive: bool = False  # console only


class OrderFilters(msgspec.Struct, kw_only=True):
    status: str = ""
    q: str = ""  # order number, SKU or end customer
    partner_id: Id | None = None  # console only
    since: dt.date | None = None
    until: dt.date | None = None
    older_than_days: int | None = None  # console: waiting longer than N days
    approved_from: dt.date | None = None  # console: approved on or after (local date)
    approved_until: dt.date | None = None  # ... and on or before (performance drill-down)
    min_amount: int | None = None  # minor units
    max_amount: int | None = None
    page: int = 1
    per_page: int = 50


# ---- JSON API ------------------------------------------------------------------------------


class BreakOut(msgspec.Struct, kw_only=True):
    min_quantity: int
    discount_bp: int
    unit_price_amount: int | None = None


class ProductOut(msgspec.Struct, kw_only=True):
    """A product as a partner (net price, reason, availability) or vendor staff sees it."""

    sku: str
    name: str
    name_zh: str
    name_en: str
    category: str | None
    unit: str
    currency: str
    list_price_amount: int
    net_price_amount: int | None
    price_rule: str | None
    price_reason: str | None
    availability: str
    available_quantity: int | None  # null when the vendor shows bands only
    min_order_quantity: int
    pack_size: int
    restock_on: dt.date | None
    quantity_breaks: list[BreakOut] = []


class ProductListOut(msgspec.Struct):
    items: list[ProductOut]
    total: int
    page: int
    per_page: int


class OrderLineIn(msgspec.Struct, forbid_unknown_fields=True):
    sku: Sku
    quantity: Quantity


class OrderIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """POST /api/v1/orders."""

    lines: Annotated[list[OrderLineIn], msgspec.Meta(min_length=1, max_length=MAX_ORDER_LINES)]
    note: Text2000 = ""
    delivery_address: Text2000 = ""
    # Or one of the caller's company's addresses (GET /api/v1/delivery-addresses): the order
    # keeps its text in delivery_address; sending both answers 422.
    delivery_address_id: Id | None = None
    end_customer_name: Annotated[str, msgspec.Meta(max_length=200)] = ""
    # One of the caller's customers (GET /api/v1/customers); the order then shows on its page.
    end_customer_id: Id | None = None
    # One of the caller's protected deals (GET /api/v1/deals): its special prices apply to the
    # quantities registered on it; another partner's, or one not protected, answers 422.
    deal_id: Id | None = None
    # Deduct the partner's unused rebate credit (GET /api/v1/rebates) from this order, at most
    # its total; the order then shows deduction_amount and deduction_reason.
    use_rebate_credit: bool = False


class OrderLineOut(msgspec.Struct, kw_only=True):
    line_no: int
    sku: str
    name: str
    unit: str
    quantity: int
    shipped_quantity: int
    list_price_amount: int
    unit_price_amount: int
    line_amount: int
    price_rule: str
    price_reason: str


class EventOut(msgspec.Struct, kw_only=True):
    kind: str
    status: str
    at: dt.datetime
    actor: str
    detail: str


class ShipmentOut(msgspec.Struct, kw_only=True):
    id: int
    carrier: str
    tracking_number: str
    shipped_at: dt.datetime
    lines: list[OrderLineIn]


class OrderOut(msgspec.Struct, kw_only=True):
    id: int
    number: str
    status: str
    partner_code: str
    partner_name: str
    currency: str
    total_amount: int
    line_count: int
    note: str
    delivery_address: str
    end_customer_name: str
    end_customer_id: int | None
    submitted_by: str
    submitted_at: dt.datetime
    reject_reason: str
    cancel_reason: str
    deal_id: int | None = None  # the deal registration it was placed against
    # rebate credit deducted from the lines' sum (total_amount is net of it), and its reason
    deduction_amount: int = 0
    deduction_reason: str = ""
    lines: list[OrderLineOut] = []
    events: list[EventOut] = []
    shipments: list[ShipmentOut] = []


class OrderListOut(msgspec.Struct):
    items: list[OrderOut]
    total: int
    page: int
    per_page: int


class CancelIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    reason: Text2000 = ""


class RejectIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]


class ShipIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """POST /api/v1/orders/{id}/ship; without lines, everything still open is shipped."""

    carrier: Annotated[str, msgspec.Meta(min_length=1, max_length=80)]
    tracking_number: Annotated[str, msgspec.Meta(max_length=100)] = ""
    note: Text300 = ""
    lines: list[OrderLineIn] | None = None


class StockLevelOut(msgspec.Struct, kw_only=True):
    warehouse: str
    on_hand: int
    reserved: int
    available: int
    safety_stock: int


class StockOut(msgspec.Struct, kw_only=True):
    sku: str
    available: int
    levels: list[StockLevelOut]


class StockIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """PUT /api/v1/stock/{sku}: the counted on-hand quantity in one warehouse (ERP sync)."""

    warehouse: Annotated[str, msgspec.Meta(min_length=1, max_length=20)]
    on_hand: Count
    safety_stock: Count | None = None
