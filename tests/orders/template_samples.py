"""Sample contexts for the order, catalog and console pages and the order e-mail
(rendered in both languages by tests/test_templates.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.orders.cart import LineProblem
from portal.orders.imports import ImportResult, RowError
from portal.web import Page
from tests.template_samples import ALICE, NOW, VERA, page_context

ITEM: dict[str, Any] = {
    "id": 7,
    "sku": "IPC-2140",
    "name": "4MP 网络摄像机 <b>",
    "name_zh": "4MP 网络摄像机 <b>",
    "name_en": "4MP IP camera",
    "description_zh": "室外防水。",
    "description_en": "Outdoor, weatherproof.",
    "category.code": "CAM",
    "category_name": "摄像机",
    "unit": "台",
    "list_price_amount": 899_00,
    "currency": "CNY",
    "net_price_amount": 737_18,
    "price_rule": "tier_discount",
    "price_reason": "Gold tier price list",
    "min_order_quantity": 2,
    "pack_size": 2,
    "stock_display": "exact",
    "restock_on": dt.date(2026, 4, 1),
    "image_url": "",
    "is_active": True,
    "on_hand": 40,
    "reserved": 37,
    "available": 3,
    "safety_stock": 5,
    "availability": "low",
    "show_quantity": True,
    "breaks": [{"min_quantity": 100, "discount_bp": 300, "unit_amount": 715_06, "reason": ""}],
}
OUT_ITEM = {
    **ITEM,
    "id": 8,
    "sku": "NVR-08",
    "available": 0,
    "availability": "out",
    "show_quantity": False,
    "is_active": False,
}
CATEGORIES = [
    {
        "id": 1,
        "code": "CAM",
        "name": "摄像机",
        "name_zh": "摄像机",
        "name_en": "Cameras",
        "position": 1,
    }
]
AVAILABILITY = [("in_stock", "In stock"), ("low", "Low stock"), ("out", "Out of stock")]

ORDER: dict[str, Any] = {
    "id": 42,
    "number": "SO-2026-000042",
    "status": "approved",
    "partner": 1,
    "partner_name": ALICE.partner_name,
    "partner_code": "P00001",
    "currency": "CNY",
    "total_amount": 1_474_36,
    "line_count": 1,
    "tier_code": "gold",
    "note": "请周五前送达",
    "delivery_address": "上海市示范路 88 号",
    "end_customer_name": "上海某某医院",
    "submitted_by_name": ALICE.name,
    "submitted_at": NOW,
    "reject_reason": "",
    "cancel_reason": "",
    "shipped_at": None,
}
LINE: dict[str, Any] = {
    "id": 3,
    "line_no": 1,
    "product": 7,
    "sku": "IPC-2140",
    "name": "4MP 网络摄像机",
    "unit": "台",
    "quantity": 2,
    "shipped_quantity": 1,
    "open_quantity": 1,
    "list_price_amount": 899_00,
    "unit_price_amount": 737_18,
    "line_amount": 1_474_36,
    "reason": "Gold tier price list",
    "allocations": [
        {
            "warehouse.code": "SH",
            "quantity": 2,
            "shipped_quantity": 1,
            "released_quantity": 0,
            "open": 1,
        }
    ],
    "stock": [{"warehouse": "SH", "on_hand": 40, "available": 3}],
}
EVENTS = [
    {
        "kind": "submitted",
        "label": "Order submitted",
        "tone": "",
        "actor_name": ALICE.name,
        "actor_is_vendor": False,
        "at": NOW,
        "detail": "",
        "to_status": "submitted",
    },
    {
        "kind": "approved",
        "label": "Approved",
        "tone": "success",
        "actor_name": VERA.name,
        "actor_is_vendor": True,
        "at": NOW,
        "detail": "",
        "to_status": "approved",
    },
    {
        "kind": "shipped",
        "label": "Partially shipped",
        "tone": "",
        "actor_name": VERA.name,
        "actor_is_vendor": True,
        "at": NOW,
        "detail": "SF SF100",
        "to_status": "partially_shipped",
        "shipment.carrier": "顺丰",
        "shipment.tracking_number": "SF100",
    },
]
SHIPMENTS = [
    {
        "id": 1,
        "carrier": "顺丰",
        "tracking_number": "SF100",
        "shipped_at": NOW,
        "lines": [{"sku": "IPC-2140", "quantity": 1}],
    }
]
DETAIL = {"lines": [LINE], "events": EVENTS, "shipments": SHIPMENTS}
CREDIT = {
    "limit_amount": 800_000_00,
    "open_amount": 12_000_00,
    "available_amount": 788_000_00,
    "currency": "CNY",
}
ROW = {**ORDER, "status_label": "Submitted", "age": dt.timedelta(days=3)}

CART_LINE = {
    **ITEM,
    "quantity": 5,
    "unit_amount": 737_18,
    "line_amount": 3_685_90,
    "reason": "Gold tier price list",
    "warnings": ["Only 3 available.", "Order in packs of 2 (for example 4 or 6)."],
}
CART = {
    "lines": [CART_LINE],
    "total_amount": 3_685_90,
    "currency": "CNY",
    "credit": {**CREDIT, "available_amount": 1_000_00},
    "over_credit": True,
    "hold": "New orders are blocked: ¥12,000.00 has been overdue for more than 30 days.",
    "has_warnings": True,
}
LEVELS = [
    {
        "warehouse_id": 1,
        "warehouse_code": "SH",
        "warehouse_name": "上海仓",
        "warehouse_active": True,
        "on_hand": 40,
        "reserved": 37,
        "available": 3,
        "safety_stock": 5,
        "updated_at": NOW,
    },
    {
        "warehouse_id": 2,
        "warehouse_code": "OLD",
        "warehouse_name": "旧仓",
        "warehouse_active": False,
        "on_hand": 0,
        "reserved": 0,
        "available": 0,
        "safety_stock": 0,
        "updated_at": None,
    },
]
MOVEMENTS = [
    {
        "at": NOW,
        "warehouse.code": "SH",
        "kind": "shipment",
        "quantity": -1,
        "on_hand_after": 40,
        "actor_name": VERA.name,
        "order_id": 42,
        "note": "SO-2026-000042",
    },
    {
        "at": NOW,
        "warehouse.code": "SH",
        "kind": "adjustment",
        "quantity": 10,
        "on_hand_after": 41,
        "actor_name": VERA.name,
        "order_id": None,
        "note": "盘点",
    },
]
PRICE_LIST = {
    "id": 3,
    "code": "GOLD-2026",
    "name": "金牌 2026",
    "tier": 2,
    "tier.code": "gold",
    "tier.name_zh": "金牌",
    "tier.name_en": "Gold",
    "discount_bp": 1800,
    "valid_from": dt.date(2026, 1, 1),
    "valid_until": None,
    "is_active": True,
    "in_force": True,
    "item_count": 1,
}
TIERS = [(1, "Platinum"), (2, "Gold")]
PARTNERS = [{"id": 1, "name": ALICE.partner_name, "code": "P00001"}]
PAGER = Page(number=1, per_page=50, total=1)


def _console(path: str, **extra: Any) -> dict[str, Any]:
    return page_context(VERA, path, **extra)


SAMPLES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "catalog/list.html": [
        (
            "items",
            page_context(
                ALICE,
                "/catalog",
                items=[ITEM, OUT_ITEM],
                categories=CATEGORIES,
                availability_options=AVAILABILITY,
                pager=PAGER,
                cart_count=2,
                here="/catalog?q=x",
                values={"q": "x", "category": "CAM", "availability": "low", "sort": "sku"},
            ),
        ),
        (
            "empty",
            page_context(
                ALICE, "/catalog", items=[], categories=[], availability_options=AVAILABILITY
            ),
        ),
    ],
    "catalog/show.html": [
        (
            "item",
            page_context(
                ALICE, "/catalog/IPC-2140", item=ITEM, cart_count=0, values={"quantity": 2}
            ),
        )
    ],
    "orders/cart.html": [
        (
            "lines",
            page_context(
                ALICE,
                "/cart",
                cart=CART,
                problems=[LineProblem(1, "IPC-2140", "Only 3 available.")],
                line_errors={"line.1": "Only 3 available."},
                errors={"": "Not enough stock for some lines; nothing was ordered."},
                values={"form_token": "tok-123", "note": "<note>", "deal_id": "7"},
                deal_options=[("7", "DR-2026-000007 · 智慧园区")],
            ),
        ),
        (
            "empty",
            page_context(
                ALICE,
                "/cart",
                cart={
                    **CART,
                    "lines": [],
                    "total_amount": 0,
                    "over_credit": False,
                    "has_warnings": False,
                },
                problems=[],
                line_errors={},
                values={"form_token": "tok"},
            ),
        ),
    ],
    "orders/list.html": [
        (
            "orders",
            page_context(
                ALICE,
                "/orders",
                orders=[ROW],
                status_options=[("submitted", "Submitted")],
                pager=PAGER,
                values={"status": "submitted"},
            ),
        ),
        ("empty", page_context(ALICE, "/orders", orders=[], status_options=[])),
    ],
    "orders/show.html": [
        ("approved", page_context(ALICE, "/orders/42", order=ORDER, **DETAIL)),
        (
            "submitted",
            page_context(
                ALICE,
                "/orders/42",
                order={**ORDER, "status": "submitted"},
                lines=[LINE],
                events=EVENTS[:1],
                shipments=[],
            ),
        ),
        (
            "shipped",
            page_context(ALICE, "/orders/42", order={**ORDER, "status": "shipped"}, **DETAIL),
        ),
        (
            "rejected",
            page_context(
                ALICE,
                "/orders/42",
                order={**ORDER, "status": "rejected", "reject_reason": "停产"},
                **DETAIL,
            ),
        ),
    ],
    "console/orders/queue.html": [
        (
            "waiting",
            _console(
                "/console/orders",
                orders=[{**ROW, "status": "submitted"}],
                tabs=[
                    {"status": "submitted", "label": "Waiting for approval", "count": 1},
                    {"status": "", "label": "All", "count": 4},
                ],
                partners=PARTNERS,
                pager=PAGER,
                values={"status": "submitted", "partner_id": "1"},
                status_labels={},
            ),
        ),
        (
            "empty",
            _console(
                "/console/orders",
                orders=[],
                tabs=[],
                partners=[],
                values={"status": "all"},
                status_labels={},
            ),
        ),
    ],
    "console/orders/order.html": [
        ("approved", _console("/console/orders/42", order=ORDER, credit=CREDIT, **DETAIL)),
        (
            "submitted",
            _console(
                "/console/orders/42",
                order={**ORDER, "status": "submitted"},
                credit=CREDIT,
                lines=[LINE],
                events=EVENTS[:1],
                shipments=[],
            ),
        ),
        (
            "shipped",
            _console(
                "/console/orders/42",
                order={**ORDER, "status": "shipped", "cancel_reason": "x"},
                credit=CREDIT,
                **DETAIL,
            ),
        ),
    ],
    "console/orders/products.html": [
        (
            "items",
            _console(
                "/console/catalog",
                items=[ITEM, OUT_ITEM],
                categories=CATEGORIES,
                availability_options=AVAILABILITY,
                pager=PAGER,
            ),
        ),
        (
            "empty",
            _console(
                "/console/catalog", items=[], categories=[], availability_options=AVAILABILITY
            ),
        ),
    ],
    "console/orders/product.html": [
        (
            "edit",
            _console(
                "/console/catalog/7",
                product=ITEM,
                categories=CATEGORIES,
                levels=LEVELS,
                movements=MOVEMENTS,
                values={**ITEM, "list_price": "899.00", "category_id": 1},
            ),
        ),
        (
            "new",
            _console(
                "/console/catalog/new",
                product=None,
                categories=CATEGORIES,
                errors={"sku": "Another product has this SKU."},
                values={"sku": "X"},
            ),
        ),
    ],
    "console/orders/stock.html": [
        (
            "items",
            _console(
                "/console/catalog/stock",
                items=[ITEM],
                warehouses=[{"id": 1, "code": "SH"}, {"id": 2, "code": "BJ"}],
                levels={7: {1: LEVELS[0]}},
                availability_options=AVAILABILITY,
                pager=PAGER,
            ),
        ),
    ],
    "console/orders/categories.html": [
        ("list", _console("/console/catalog/categories", categories=CATEGORIES, editing=None)),
        (
            "error",
            _console(
                "/console/catalog/categories",
                categories=CATEGORIES,
                editing=1,
                errors={"code": "Another category has this code."},
                values={"code": "CAM"},
            ),
        ),
    ],
    "console/orders/warehouses.html": [
        (
            "list",
            _console(
                "/console/catalog/warehouses",
                warehouses=[
                    {"id": 1, "code": "SH", "name": "上海仓", "city": "上海", "is_active": True}
                ],
                editing=None,
                values={"is_active": True},
            ),
        ),
    ],
    "console/orders/price_lists.html": [
        (
            "lists",
            _console(
                "/console/catalog/price-lists",
                price_lists=[PRICE_LIST],
                tiers=TIERS,
                values={"discount": "18"},
            ),
        ),
        ("empty", _console("/console/catalog/price-lists", price_lists=[], tiers=TIERS)),
    ],
    "console/orders/price_list.html": [
        (
            "items",
            _console(
                "/console/catalog/price-lists/3",
                price_list=PRICE_LIST,
                items=[
                    {
                        "id": 1,
                        "price_amount": 700_00,
                        "product.sku": "IPC-2140",
                        "product.name_zh": "摄像机",
                        "product.name_en": "Camera",
                        "product.list_price_amount": 899_00,
                    }
                ],
                tiers=TIERS,
                values={**PRICE_LIST, "tier_id": 2, "discount": "18"},
            ),
        ),
    ],
    "console/orders/contract_prices.html": [
        (
            "list",
            _console(
                "/console/catalog/contract-prices",
                contracts=[
                    {
                        "id": 1,
                        "partner.name": ALICE.partner_name,
                        "product.sku": "IPC-2140",
                        "product.name_zh": "摄像机",
                        "product.name_en": "",
                        "product.list_price_amount": 899_00,
                        "price_amount": 650_00,
                        "valid_from": None,
                        "valid_until": dt.date(2026, 12, 31),
                        "note": "HT-2026-01",
                        "in_force": True,
                    }
                ],
                partners=PARTNERS,
                partner_id=1,
                values={"partner_id": 1},
            ),
        ),
    ],
    "console/orders/volume_breaks.html": [
        (
            "list",
            _console(
                "/console/catalog/volume-breaks",
                breaks=[
                    {
                        "id": 1,
                        "product.sku": None,
                        "min_quantity": 100,
                        "discount_bp": 300,
                        "valid_from": None,
                        "valid_until": None,
                    }
                ],
            ),
        ),
    ],
    "console/orders/import.html": [
        (
            "errors",
            _console(
                "/console/catalog/import",
                result=ImportResult(
                    kind="products",
                    rows=3,
                    errors=[RowError(2, "sku: no product has the SKU X.")],
                    error_count=1,
                ),
                filename="p.csv",
                values={"kind": "products"},
            ),
        ),
        (
            "written",
            _console(
                "/console/catalog/import",
                result=ImportResult(kind="stock", rows=3, created=1, updated=2, written=True),
                filename="s.xlsx",
                values={"kind": "stock"},
            ),
        ),
        (
            "form",
            _console(
                "/console/catalog/import",
                result=None,
                values={"kind": "products"},
                errors={"file": "Upload a .csv or .xlsx file."},
            ),
        ),
    ],
}

MAIL: dict[str, Any] = {
    "name": "Alice 张爱丽",
    "number": "SO-2026-000042",
    "partner_name": ALICE.partner_name,
    "total_amount": 1_474_36,
    "currency": "CNY",
    "line_count": 3,
    "lines": [
        {
            "sku": "IPC-2140",
            "name_zh": "摄像机",
            "name_en": "Camera",
            "quantity": 2,
            "shipped_quantity": 1,
            "unit": "台",
            "line_amount": 1_474_36,
        }
    ],
    "detail": "",
    "shipment": None,
    "link": "http://testserver.local/orders/42",
}
EMAIL_SAMPLES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "order_status": [
        ("submitted", {**MAIL, "kind": "submitted", "status": "submitted"}),
        (
            "shipped",
            {
                **MAIL,
                "kind": "shipped",
                "status": "partially_shipped",
                "shipment": {"carrier": "顺丰", "tracking_number": "SF100", "note": ""},
            },
        ),
        ("rejected", {**MAIL, "kind": "rejected", "status": "rejected", "detail": "停产 <b>"}),
        (
            "rebate-deduction",
            {
                **MAIL,
                "kind": "submitted",
                "status": "submitted",
                "deduction_amount": 1_500_00,
                "deduction_reason": "满额返利 <2026-Q3>",
            },
        ),
    ],
}
