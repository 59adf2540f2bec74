"""Sample contexts for the customer pages, the vendor's activity page and the follow-up digest
(rendered in both languages by tests/test_templates.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.customers.console import mix_bars, row_facts
from portal.customers.constants import SEGMENT_ACTIONS, SEGMENT_LABELS, SEGMENT_TONES
from portal.customers.figures import CustomerActivity
from portal.customers.imports import Checked, Record, RowError
from portal.customers.pages import form_choices, segment_options
from portal.web import Page
from tests.template_samples import ALICE, NOW, VERA, page_context

TODAY = dt.date(2026, 3, 14)
USERS = [{"id": 4, "name": "Alice 张爱丽", "email": "alice@partner-a.test"}]
CUSTOMER: dict[str, Any] = {
    "id": 12,
    "partner": 1,
    "kind": "company",
    "name": "上海星河科技有限公司 <b>",
    "industry": "制造业",
    "size": "medium",
    "region": "上海",
    "city": "上海",
    "source": "exhibition",
    "owner": 4,
    "owner_name": "Alice 张爱丽",
    "tags": ",VIP,2026 展会,",
    "notes": "Prefers WeChat.\nPays on time.",
    "contact_name": "王经理",
    "contact_phone": "13800138000",
    "contact_email": "wang@xinghe.cn",
    "segment": "at_risk",
    "rfm": "R2F3M4",
    "last_contact_at": NOW,
    "next_followup_on": TODAY - dt.timedelta(days=1),
    "interaction_count": 14,
    "order_count": 3,
    "revenue_amount": 128_000_00,
    "created_at": NOW,
    "updated_at": NOW,
}
ROW = {**CUSTOMER, "tag_list": ["VIP", "2026 展会"]}
TIMELINE = [
    {
        "kind": "interaction",
        "at": NOW,
        "title": "WeChat",
        "channel": "wechat",
        "direction": "inbound",
        "text": "Asked for a quote <script>",
        "outcome": "Quote",
        "who": "Alice 张爱丽",
        "followup_on": TODAY,
        "followup_open": True,
        "assignee_name": "Alice 张爱丽",
        "id": 3,
    },
    {
        "kind": "order",
        "at": NOW,
        "title": "PO-2026-000123",
        "id": 123,
        "amount": 42_000_00,
        "currency": "CNY",
        "status_label": "Approved",
        "status_tone": "info",
    },
    {
        "kind": "case",
        "at": NOW,
        "title": "CS-1",
        "text": "Camera offline",
        "status_label": "Open",
        "id": 1,
    },
]
LIST_EXTRA = {
    "segment_counts": {"high_value": 3, "at_risk": 1},
    "segment_options": segment_options(),
    "segment_labels": {k.value: v for k, v in SEGMENT_LABELS.items()},
    "segment_tones": {k.value: v for k, v in SEGMENT_TONES.items()},
    "segment_actions": {k.value: v for k, v in SEGMENT_ACTIONS.items()},
    "users": USERS,
    "tags": ["VIP", "2026 展会"],
    "today": TODAY,
    "here": "/customers/",
}
FOLLOWUP = {
    "id": 3,
    "customer": 12,
    "customer_name": "上海星河科技有限公司",
    "followup_on": TODAY,
    "summary": "Send the quote",
    "channel": "phone",
    "channel_label": "Phone",
    "occurred_at": NOW,
    "link": "http://testserver.local/customers/12",
}
IMPORT = {
    "id": 5,
    "filename": "客户名单.xlsx",
    "status": "pending",
    "headers": ["客户名称", "手机", "备注"],
    "mapping": {"0": "name", "1": "contact_phone"},
    "rows": [[2, ["星河", "13800138000", ""]]],
    "on_duplicate": "skip",
    "created": 0,
    "merged": 0,
    "skipped": 0,
}
FIELDS = [("name", "Customer name"), ("contact_phone", "Phone"), ("notes", "Notes")]
RECORD = Record(
    line=3, values={"name": "星河"}, contact={}, tags=[], duplicate_of=9, reason="same phone"
)
ACTIVITY = CustomerActivity(
    customers_total=120,
    customers_new=8,
    customers_active=40,
    interactions=90,
    interactions_by_channel={"phone": 50, "wechat": 30, "visit": 10},
    followups_due=20,
    followups_done_on_time=15,
    active_users=3,
)
FACTS = row_facts(ACTIVITY, 4.3)

SAMPLES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "customers/list.html": [
        (
            "rows",
            page_context(ALICE, "/customers/", customers=[ROW], pager=Page(1, 50, 1), **LIST_EXTRA),
        ),
        ("empty", page_context(ALICE, "/customers/", customers=[], **LIST_EXTRA)),
        (
            "filtered",
            page_context(
                ALICE, "/customers/", customers=[], values={"segment": "at_risk"}, **LIST_EXTRA
            ),
        ),
    ],
    "customers/form.html": [
        (
            "new",
            page_context(
                ALICE, "/customers/new", customer=None, users=USERS, duplicates=[], **form_choices()
            ),
        ),
        (
            "duplicate",
            page_context(
                ALICE,
                "/customers/12/edit",
                customer=CUSTOMER,
                users=USERS,
                duplicates=[{"id": 9, "name": "星河", "reason": "same phone"}],
                errors={"": "A customer with the same phone, e-mail or name already exists."},
                values={"name": "星河", "owner_id": 4},
                **form_choices(),
            ),
        ),
    ],
    "customers/show.html": [
        (
            "full",
            page_context(
                ALICE,
                "/customers/12",
                customer=CUSTOMER,
                users=USERS,
                contacts=[
                    {
                        "id": 1,
                        "name": "王经理",
                        "title": "采购",
                        "phone": "138",
                        "email": "w@x.cn",
                        "wechat": "wang",
                    }
                ],
                timeline=TIMELINE,
                interaction_total=150,
                timeline_page=1,
                timeline_more=True,
                followups=[TIMELINE[0]],
                deals=[
                    {
                        "id": 7,
                        "number": "DR-2026-000007",
                        "name": "智慧园区",
                        "status": "approved",
                        "status_label": "保护中",
                        "status_tone": "success",
                        "estimated_amount": 120_000_00,
                        "currency": "CNY",
                        "protection_until": TODAY,
                    },
                ],
                tags=["VIP"],
                segment={"label": "At risk", "tone": "seg-at_risk", "action": "Win back now."},
                today=TODAY,
                values={"channel": "phone", "assignee_id": 4},
                errors={"summary": "This field is required."},
                **form_choices(),
            ),
        ),
        (
            "empty",
            page_context(
                ALICE,
                "/customers/12",
                customer={**CUSTOMER, "last_contact_at": None, "next_followup_on": None, "rfm": ""},
                users=USERS,
                contacts=[],
                timeline=[],
                interaction_total=0,
                timeline_page=2,
                timeline_more=False,
                followups=[],
                tags=[],
                segment={"label": "New", "tone": "seg-new", "action": "Onboard."},
                today=TODAY,
                **form_choices(),
            ),
        ),
    ],
    "customers/log.html": [
        (
            "choices",
            page_context(
                ALICE,
                "/customers/log",
                customer_options=[("12", "星河 (上海)")],
                users=USERS,
                q="",
                **form_choices(),
            ),
        ),
        (
            "none",
            page_context(
                ALICE, "/customers/log", customer_options=[], users=USERS, q="zzz", **form_choices()
            ),
        ),
    ],
    "customers/followups.html": [
        (
            "due",
            page_context(
                ALICE,
                "/customers/followups",
                groups={"overdue": [FOLLOWUP], "today": [FOLLOWUP], "week": []},
                later=[],
                today=TODAY,
                month=False,
            ),
        ),
        (
            "none",
            page_context(
                ALICE,
                "/customers/followups",
                groups={"overdue": [], "today": [], "week": []},
                later=[],
                today=TODAY,
                month=True,
            ),
        ),
    ],
    "customers/settings.html": [
        (
            "admin",
            page_context(
                ALICE,
                "/customers/settings/",
                values={"members_see_all": True, "daily_digest": True},
            ),
        ),
    ],
    "customers/import.html": [
        (
            "form",
            page_context(
                ALICE,
                "/customers/import/",
                fields=FIELDS,
                errors={"file": "Upload a .csv or .xlsx file."},
            ),
        ),
    ],
    "customers/import_preview.html": [
        (
            "errors",
            page_context(
                ALICE,
                "/customers/import/5",
                imp=IMPORT,
                checked=Checked(
                    rows=3, errors=[RowError(2, "the customer name is missing")], error_count=201
                ),
                preview=[{"line": 2, "name": "星河", "contact_phone": "138"}],
                fields=FIELDS,
                values={"on_duplicate": "skip"},
            ),
        ),
        (
            "clean",
            page_context(
                ALICE,
                "/customers/import/5",
                imp=IMPORT,
                checked=Checked(rows=1, records=[RECORD]),
                preview=[],
                fields=FIELDS,
                values={"on_duplicate": "merge"},
            ),
        ),
        (
            "done",
            page_context(
                ALICE,
                "/customers/import/5",
                imp={**IMPORT, "status": "done"},
                checked=Checked(),
                preview=[],
                fields=FIELDS,
            ),
        ),
    ],
    "console/customers/activity.html": [
        (
            "rows",
            page_context(
                VERA,
                "/console/customers/",
                rows=[
                    {
                        "id": 1,
                        "code": "PA",
                        "name": "华东智联",
                        **FACTS,
                        "bars": mix_bars(FACTS["mix"]),
                    }
                ],
                totals=FACTS,
                total_bars=mix_bars(FACTS["mix"], 600),
                channel_labels={"phone": "Phone", "wechat": "WeChat", "visit": "Visit"},
                periods=[("30d", "Last 30 days")],
                period="30d",
                start=TODAY,
                last_day=TODAY,
                params={"period": "30d", "sort": "interactions"},
                values={"from": "2026-02-12", "to": "2026-03-14"},
            ),
        ),
        (
            "empty",
            page_context(
                VERA,
                "/console/customers/",
                rows=[],
                totals=row_facts(CustomerActivity(), 4),
                total_bars=[],
                channel_labels={},
                periods=[("30d", "Last 30 days")],
                period="custom",
                start=TODAY,
                last_day=TODAY,
                params={"period": "custom", "sort": "interactions"},
            ),
        ),
    ],
}

EMAIL_SAMPLES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "followup_digest": [
        (
            "due",
            {
                "name": "Bob 李博",
                "day": TODAY,
                "overdue": [FOLLOWUP],
                "today": [FOLLOWUP],
                "week": [],
                "counts": {"overdue": 35, "today": 1, "week": 0},
                "link": "http://testserver.local/customers/followups",
                "settings_link": "http://testserver.local/customers/settings",
            },
        )
    ]
}
