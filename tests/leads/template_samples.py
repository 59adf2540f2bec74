"""Sample contexts for the lead pages and the lead e-mail (rendered in both languages by
tests/test_templates.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.deals.lead_imports import LeadImport
from portal.web import Page
from tests.template_samples import ALICE, NOW, VERA, page_context

PROVINCES = {"SH": "上海", "ZJ": "浙江"}
LEAD: dict[str, Any] = {
    "id": 12, "number": "LD-2026-000012", "company": "杭州线索科技有限公司 <b>",
    "contact_name": "王经理", "phone": "13800138000", "email": "wang@example.cn",
    "province": "ZJ", "city": "杭州", "category": 2, "category_code": "cameras",
    "category_name_zh": "摄像机", "category_name_en": "Cameras", "source": "website",
    "note": "需要 50 台摄像机", "status": "offered", "partner": 1,
    "partner_name": ALICE.partner_name, "partner_code": "P00001", "offered_at": NOW,
    "due_at": NOW + dt.timedelta(hours=24), "accepted_at": None, "accepted_by_id": None,
    "customer_id": None, "deal_id": None, "created_by_id": VERA.id, "created_at": NOW,
    "updated_at": NOW,
}  # fmt: skip
ACCEPTED = {**LEAD, "id": 13, "status": "accepted", "accepted_at": NOW, "customer_id": 5}
OFFERS = [
    {"id": 1, "lead": 12, "partner": 2, "partner_name": "岭南优品贸易有限公司", "partner_code": "P2",
     "rule_id": 1, "offered_at": NOW, "due_at": NOW, "ended_at": NOW, "outcome": "declined",
     "reason": "不做这个行业", "actor_id": 9, "actor_name": "Carol", "notified_at": NOW},
    {"id": 2, "lead": 12, "partner": 3, "partner_name": "某公司", "partner_code": "P3",
     "rule_id": 1, "offered_at": NOW, "due_at": NOW, "ended_at": NOW, "outcome": "timed_out",
     "reason": "", "actor_id": None, "actor_name": "", "notified_at": NOW},
    {"id": 3, "lead": 12, "partner": 1, "partner_name": ALICE.partner_name, "partner_code": "P1",
     "rule_id": 1, "offered_at": NOW, "due_at": NOW, "ended_at": None, "outcome": "",
     "reason": "", "actor_id": None, "actor_name": "", "notified_at": NOW},
]  # fmt: skip
RULE = {
    "id": 1, "position": 10, "name": "华东经销商", "provinces": "SH,ZJ", "city": "",
    "category": 2, "category_name_zh": "摄像机", "category_name_en": "Cameras",
    "partner_kind": "dealer", "min_tier": 2, "tier_name_zh": "金牌", "tier_name_en": "Gold",
    "same_province": True, "is_active": True, "created_at": NOW, "updated_at": NOW,
}  # fmt: skip
PARTNER_ROW = {
    "id": 1, "name": ALICE.partner_name, "code": "P1", "province": "SH", "kind": "dealer",
    "capacity": 10, "open": 3, "offered": 12, "answered": 10, "accepted": 8, "declined": 1,
    "timed_out": 1, "waiting": 2, "acceptance_rate": 0.8, "median_minutes": 95,
}  # fmt: skip
STATUS_OPTIONS = [("new", "Waiting for routing"), ("offered", "Offered")]

EMAIL_SAMPLES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "lead_offered": [
        (
            name,
            {
                "name": ALICE.name,
                "count": len(companies),
                "companies": companies,
                "number": "LD-2026-000012",
                "due_at": NOW + dt.timedelta(hours=24),
                "link": "https://portal.example/leads/12",
            },
        )
        for name, companies in (
            ("one", ["杭州线索科技有限公司"]),
            ("several", ["杭州线索科技有限公司", "宁波 <b> 制造"]),
        )
    ]
}


def _import(errors: bool) -> LeadImport:
    result = LeadImport(rows=3)
    if errors:
        result.add(3, "Company: This field is required.")
        result.error_count = 250
    else:
        result.created, result.routed, result.written = 3, 2, True
    return result


SAMPLES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "deals/leads_list.html": [
        (
            status,
            page_context(
                ALICE,
                "/leads/",
                leads=rows,
                ready=[ACCEPTED] if status == "offered" else [],
                status=status,
                counts={"offered": 1, "accepted": 1},
                pager=Page(1, 30, len(rows)),
                province_names=PROVINCES,
            ),
        )
        for status, rows in (("offered", [LEAD]), ("accepted", [ACCEPTED]), ("converted", []))
    ],
    "deals/leads_show.html": [
        (
            lead["status"],
            page_context(
                ALICE, "/leads/12", lead=lead, offers=OFFERS[2:], province_names=PROVINCES
            ),
        )
        for lead in (LEAD, ACCEPTED, {**ACCEPTED, "status": "converted", "deal_id": 7})
    ],
    "deals/leads_console_list.html": [
        (
            "list",
            page_context(
                VERA,
                "/console/leads/",
                leads=[
                    LEAD,
                    {**LEAD, "status": "new", "partner_name": None, "category_code": None},
                ],
                counts={"new": 2, "offered": 1},
                status_options=STATUS_OPTIONS,
                partners=[(1, ALICE.partner_name)],
                province_options=list(PROVINCES.items()),
                province_names=PROVINCES,
                values={"status": "open"},
            ),
        ),
        (
            "empty",
            page_context(
                VERA,
                "/console/leads/",
                leads=[],
                counts={},
                status_options=STATUS_OPTIONS,
                partners=[],
                province_options=[],
                province_names=PROVINCES,
            ),
        ),
    ],
    "deals/leads_console_form.html": [
        (
            "errors",
            page_context(
                VERA,
                "/console/leads/new",
                province_options=list(PROVINCES.items()),
                category_options=[("cameras", "摄像机")],
                source_options=[("console", "Entered by the vendor")],
                errors={"phone": "Give a phone number or an e-mail address."},
                values={"company": "某公司"},
            ),
        )
    ],
    "deals/leads_console_show.html": [
        (
            "history",
            page_context(
                VERA, "/console/leads/12", lead=LEAD, offers=OFFERS, province_names=PROVINCES
            ),
        ),
        (
            "none",
            page_context(
                VERA,
                "/console/leads/12",
                lead={**LEAD, "status": "new"},
                offers=[],
                province_names=PROVINCES,
            ),
        ),
    ],
    "deals/leads_rules.html": [
        (
            who,
            page_context(
                user,
                "/console/leads/rules",
                rules=[
                    RULE,
                    {
                        **RULE,
                        "id": 2,
                        "provinces": "",
                        "category": None,
                        "min_tier": None,
                        "partner_kind": "",
                        "same_province": False,
                        "is_active": False,
                    },
                ],
                rule=rule,
                values={"name": "x", "position": 10, "same_province": True},
                category_options=[(2, "摄像机")],
                kind_options=[("dealer", "Dealer")],
                tier_options=[(2, "Gold")],
                province_names=PROVINCES,
            ),
        )
        for who, user, rule in (("admin", VERA, None), ("edit", VERA, RULE))
    ],
    "deals/leads_partners.html": [
        (
            "table",
            page_context(
                VERA,
                "/console/leads/partners",
                partners=[
                    PARTNER_ROW,
                    {**PARTNER_ROW, "id": 2, "acceptance_rate": None, "median_minutes": None},
                ],
                province_names=PROVINCES,
                kind_labels={"dealer": "Dealer"},
            ),
        )
    ],
    "deals/leads_import.html": [
        (
            "errors",
            page_context(
                VERA, "/console/leads/import", result=_import(True), filename="leads.xlsx"
            ),
        ),
        (
            "done",
            page_context(
                VERA, "/console/leads/import", result=_import(False), filename="leads.xlsx"
            ),
        ),
        (
            "form",
            page_context(
                VERA,
                "/console/leads/import",
                result=None,
                errors={"file": "Upload a .csv or .xlsx file."},
            ),
        ),
    ],
}
