"""Sample contexts for the deal pages and the deal e-mail (rendered in both languages by
tests/test_templates.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.deals.pages import stage_options, status_options
from portal.web import Page
from tests.template_samples import ALICE, NOW, VERA, page_context

DAY = NOW.date()
DEAL: dict[str, Any] = {
    "id": 7,
    "number": "DR-2026-000007",
    "partner": 1,
    "partner_name": ALICE.partner_name,
    "partner_code": "P00001",
    "customer": 3,
    "owner": ALICE.id,
    "owner_name": ALICE.name,
    "name": "园区安防改造 <b>",
    "customer_name": "上海星河智能科技有限公司",
    "customer_key": "上海星河智能科技",
    "credit_code": "91310000MA1FL8XQ3X",
    "customer_phone": "021-5888 1234",
    "phone_key": "02158881234",
    "customer_email": "li@xinghe.example",
    "email_domain": "xinghe.example",
    "status": "approved",
    "stage": "negotiation",
    "estimated_amount": 286_000_00,
    "currency": "CNY",
    "expected_close_on": DAY + dt.timedelta(days=40),
    "competitors": "海康威视",
    "note": "客户预算已批。",
    "conflict": True,
    "submitted_at": NOW,
    "decided_at": NOW,
    "decided_by_id": VERA.id,
    "decline_reason": "",
    "info_request": "",
    "protection_from": DAY,
    "protection_until": DAY + dt.timedelta(days=5),
    "extension_reason": "预算下季度批复",
    "extension_requested_at": NOW,
    "extended_at": None,
    "reminded_14_at": None,
    "reminded_3_at": None,
    "closed_at": None,
    "lost_reason": "",
    "created_at": NOW,
    "updated_at": NOW,
}
LINES = [
    {"id": 1, "deal": 7, "product": 2, "sku": "IPC-5425", "quantity": 60,
     "product.name_zh": "400万像素摄像机", "product.name_en": "4MP camera",
     "special_price_amount": 420_00, "product.list_price_amount": 599_00},
]  # fmt: skip
EVENTS = [
    {"id": n, "deal": 7, "kind": kind, "from_status": "", "to_status": "", "actor_id": 4,
     "actor_name": ALICE.name, "actor_is_vendor": False, "detail": detail, "at": NOW,
     "notified_at": NOW}
    for n, (kind, detail) in enumerate(
        [("created", ""), ("submitted", "conflict"), ("approved", "好"), ("stage", "proposal"),
         ("reminder", "14"), ("extended", "30"), ("lost", "价格")], start=1
    )
]  # fmt: skip
DETAIL = {
    "deal": DEAL,
    "lines": LINES,
    "events": EVENTS,
    "orders": [
        {
            "order": 42,
            "order.number": "PO-2026-000042",
            "order.status": "approved",
            "order.total_amount": 25_200_00,
            "order.currency": "CNY",
            "status_label": "已审批",
            "placed": True,
            "won": True,
        },
    ],
    "conflicts": [],
    "conflict_text": "This customer is already registered by another partner.",
}
PENDING = {**DEAL, "status": "submitted", "protection_until": None, "protection_from": None}
CONFLICT = {**DEAL, "id": 8, "partner_name": "岭南优品贸易有限公司", "lines": LINES}
FIGURES = {
    "stages": {"qualified": {"n": 3, "amount": 1_000_00}, "won": {"n": 1, "amount": 5_00}},
    "partners": [
        {"name": ALICE.partner_name, "open": 3, "amount": 1_000_00, "won": 1, "lost": 1,
         "win_rate": 0.5}
    ],
    "win_rate": 0.5,
    "pending": 2,
    "regions": [{"name": "上海", "n": 3, "amount": 1_000_00}],
    "product_lines": [{"name": "网络摄像机", "n": 2, "amount": 800_00}],
    "months": [{"month": "2027-03", "name": "2027年3月", "n": 3, "amount": 1_000_00}],
}  # fmt: skip
COLUMNS = ["qualified", "proposal", "negotiation", "won", "lost"]


def _lists(user: Any, path: str) -> dict[str, Any]:
    return {
        "deals": [DEAL, PENDING],
        "pager": Page(1, 30, 2),
        "status_options": status_options(),
        "stage_options": stage_options(),
        "today": DAY,
        "values": {"status": "open", "q": "星河"},
    }


SAMPLES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "deals/list.html": [
        ("deals", page_context(ALICE, "/deals/", **_lists(ALICE, "/deals/"))),
        ("empty", page_context(ALICE, "/deals/", **{**_lists(ALICE, ""), "deals": []})),
    ],
    "deals/board.html": [
        (
            "board",
            page_context(
                ALICE,
                "/deals/board",
                columns={"negotiation": [DEAL], "proposal": [PENDING]},
                column_keys=COLUMNS,
                today=DAY,
            ),
        )
    ],
    "deals/form.html": [
        (
            "new",
            page_context(
                ALICE,
                "/deals/new",
                customers=[(3, "上海星河")],
                deal=None,
                stage_options=stage_options(),
                errors={"lines": "Unknown SKU: X"},
                values={"lines": "X 1"},
            ),
        ),
        (
            "edit",
            page_context(
                ALICE,
                "/deals/7/edit",
                customers=[],
                stage_options=stage_options(),
                deal={**DEAL, "status": "info_requested", "info_request": "预算？"},
            ),
        ),
    ],
    "deals/show.html": [
        ("approved", page_context(ALICE, "/deals/7", **DETAIL, stage_options=stage_options())),
        (
            "pending",
            page_context(
                ALICE, "/deals/7", **{**DETAIL, "deal": PENDING}, stage_options=stage_options()
            ),
        ),
    ],
    "deals/console_list.html": [
        (
            "console",
            page_context(
                VERA,
                "/console/deals/",
                **_lists(VERA, "/console/deals/"),
                figures=FIGURES,
                column_keys=COLUMNS,
                partners=[(1, ALICE.partner_name)],
            ),
        )
    ],
    "deals/console_show.html": [
        (
            "conflict",
            page_context(
                VERA,
                "/console/deals/8",
                **{**DETAIL, "deal": PENDING, "conflicts": [CONFLICT]},
                values={"days": 90},
                stage_options=stage_options(),
            ),
        ),
        (
            "extension",
            page_context(
                VERA,
                "/console/deals/7",
                **DETAIL,
                values={"days": 90},
                stage_options=stage_options(),
            ),
        ),
    ],
}

EMAIL_SAMPLES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "deal_event": [
        (
            kind,
            {
                "name": ALICE.name,
                "number": DEAL["number"],
                "deal_name": DEAL["name"],
                "customer_name": DEAL["customer_name"],
                "kind": kind,
                "detail": "客户已由直销覆盖" if kind == "declined" else "",
                "protection_until": DEAL["protection_until"],
                "link": "https://portal.example/deals/7",
            },
        )
        for kind in ("approved", "declined", "info_requested", "reminder", "expired", "extended")
    ]
}
