"""Sample contexts for the campaign, notification and feedback pages and e-mails (rendered in
both languages by tests/test_templates.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.communications.feedback.charts import add_charts
from portal.web import Confirm
from tests.template_samples import ALICE, NOW, VERA, page_context

TODAY = dt.date(2026, 3, 14)
CAMPAIGN: dict[str, Any] = {
    "id": 5,
    "title_zh": "春季促销 <b>",
    "title_en": "Spring promotion",
    "description_zh": "全线产品九折。\n第二段。",
    "description_en": "10% off.",
    "starts_on": TODAY,
    "ends_on": TODAY + dt.timedelta(days=30),
    "audience": "tier",
    "audience_values": ["gold"],
    "status": "published",
    "publish_at": NOW,
    "published_at": NOW,
    "reached_partners": 120,
    "reached_users": 340,
    "opened_partners": 45,
    "file_count": 2,
    "is_new": True,
    "current": True,
}
DRAFT = {**CAMPAIGN, "id": 6, "status": "draft", "published_at": None, "reached_partners": 0}
FILES = [
    {
        "id": 1,
        "filename": "产品手册.pdf",
        "content_type": "application/pdf",
        "size": 204_800,
        "kind": "pdf",
        "previewable": True,
    },
    {
        "id": 2,
        "filename": "banner.png",
        "content_type": "image/png",
        "size": 40_000,
        "kind": "png",
        "previewable": True,
    },
    {
        "id": 3,
        "filename": "kit.zip",
        "content_type": "application/zip",
        "size": 9_000_000,
        "kind": "zip",
        "previewable": False,
    },
]
AUDIENCE_OPTIONS = {
    "audiences": [("all", "All partners"), ("tier", "Tiers"), ("partners", "Hand-picked")],
    "tier_options": [("gold", "Gold"), ("silver", "Silver")],
    "kind_options": [("dealer", "Dealer")],
    "region_options": [("SH", "Shanghai")],
}
STATUS = {"draft": "Draft", "scheduled": "Scheduled", "published": "Published", "open": "Open"}
REQUEST: dict[str, Any] = {
    "id": 9,
    "title_zh": "满意度调查",
    "title_en": "Satisfaction survey",
    "intro_zh": "一分钟。",
    "intro_en": "One minute.",
    "series": "nps-quarterly",
    "audience": "all",
    "audience_values": [],
    "answer_scope": "user",
    "status": "open",
    "opens_at": NOW,
    "due_at": NOW + dt.timedelta(days=7),
    "reminder_days": 2,
    "responses": 12,
    "answered": False,
    "can_answer": True,
}
QUESTIONS = [
    {
        "id": 1,
        "kind": "nps",
        "text_zh": "推荐？",
        "text_en": "Recommend?",
        "required": True,
        "options": [],
        "scale": (0, 10),
    },
    {
        "id": 2,
        "kind": "csat",
        "text_zh": "满意？",
        "text_en": "Satisfied?",
        "required": True,
        "options": [],
        "scale": (1, 5),
    },
    {
        "id": 3,
        "kind": "single",
        "text_zh": "渠道",
        "text_en": "Channel",
        "required": False,
        "options": [{"zh": "线上", "en": "Online"}, {"zh": "门店", "en": "Store"}],
        "scale": None,
    },
    {
        "id": 4,
        "kind": "multi",
        "text_zh": "支持",
        "text_en": "Support",
        "required": False,
        "options": [{"zh": "培训", "en": "Training"}, {"zh": "物料", "en": "Material"}],
        "scale": None,
    },
    {
        "id": 5,
        "kind": "text",
        "text_zh": "建议",
        "text_en": "Ideas",
        "required": False,
        "options": [],
        "scale": None,
    },
]
RESULTS: dict[str, Any] = {
    "request": REQUEST,
    "addressed": 30,
    "addressed_partners": 10,
    "responses": 12,
    "responding_partners": 7,
    "response_rate": 0.4,
    "questions": [
        {
            "id": 1,
            "kind": "nps",
            "text": "Recommend?",
            "answers": 12,
            "distribution": [(v, v % 3) for v in range(11)],
            "promoters": 5,
            "passives": 3,
            "detractors": 4,
            "nps": 8,
        },
        {
            "id": 2,
            "kind": "csat",
            "text": "Satisfied?",
            "answers": 12,
            "distribution": [(v, v) for v in range(1, 6)],
            "average": 3.67,
        },
        {
            "id": 3,
            "kind": "single",
            "text": "Channel",
            "answers": 5,
            "options": [("A", 3), ("B", 2)],
        },
        {"id": 4, "kind": "multi", "text": "Support", "answers": 0, "options": [("A", 0)]},
        {
            "id": 5,
            "kind": "text",
            "text": "Ideas",
            "answers": 300,
            "texts": [{"text": "更快 <script>", "partner_name": "A 公司", "updated_at": NOW}],
        },
    ],
}
add_charts(RESULTS)
TREND = [
    {"id": 8, "title": "Q3", "due_at": NOW, "responses": 10, "nps": -5, "csat": 3.2},
    {"id": 9, "title": "Q4", "due_at": NOW, "responses": 12, "nps": 8, "csat": None},
]
REACH = {
    "totals": {"reached": 3, "opened": 1, "downloaded": 1},
    "by_tier": {"gold": {"reached": 2, "opened": 1, "downloaded": 1}},
    "by_region": {"SH": {"reached": 3, "opened": 1, "downloaded": 0}},
    "never_opened": [
        {
            "partner": 4,
            "partner_code": "P0004",
            "partner_name": "岭南",
            "tier_code": "gold",
            "province": "GD",
        }
    ],
    "files": [{"id": 1, "filename": "手册.pdf", "downloads": 4, "partners": 1}],
}
ACTIVITY = [
    {
        "kind": "download",
        "at": NOW,
        "filename": "手册.pdf",
        "user_name": "Alice",
        "partner_name": "A",
    }
]
NOTIFICATIONS = [
    {
        "id": 1,
        "kind": "campaign",
        "title_zh": "新活动",
        "title_en": "New campaign",
        "created_at": NOW,
        "read_at": None,
    },
    {
        "id": 2,
        "kind": "order",
        "title_zh": "订单已发货",
        "title_en": "Order shipped",
        "created_at": NOW,
        "read_at": NOW,
    },
]


def region_name(code: str) -> str:
    return code


SAMPLES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "communications/campaigns.html": [
        ("list", page_context(ALICE, "/campaigns", campaigns=[CAMPAIGN], tab="current")),
        ("empty-past", page_context(ALICE, "/campaigns", campaigns=[], tab="past")),
    ],
    "communications/campaign.html": [
        ("files", page_context(ALICE, "/campaigns/5", campaign=CAMPAIGN, files=FILES)),
        ("no-files", page_context(ALICE, "/campaigns/5", campaign=CAMPAIGN, files=[])),
    ],
    "communications/campaign_respond.html": [
        (
            "form",
            page_context(
                None,
                "/campaigns/5/respond/0123456789abcdef0123",
                key="0123456789abcdef0123",
                campaign=CAMPAIGN,
                province_options=[("ZJ", "浙江"), ("SH", "上海")],
                errors={"phone": "Give a phone number or an e-mail address."},
                values={"company": "杭州响应科技有限公司", "province": "ZJ"},
            ),
        ),
        (
            "sent",
            page_context(
                None,
                "/campaigns/5/respond/0123456789abcdef0123/thanks",
                campaign=CAMPAIGN,
                sent=True,
            ),
        ),
    ],
    "communications/notifications.html": [
        ("list", page_context(ALICE, "/notifications", notifications=NOTIFICATIONS, show="")),
        ("empty", page_context(ALICE, "/notifications", notifications=[], show="unread")),
    ],
    "communications/feedback_list.html": [
        (
            "requests",
            page_context(
                ALICE,
                "/feedback",
                open_requests=[REQUEST, {**REQUEST, "answered": True}],
                closed_requests=[{**REQUEST, "status": "closed"}],
            ),
        ),
        ("empty", page_context(ALICE, "/feedback", open_requests=[], closed_requests=[])),
    ],
    "communications/feedback_form.html": [
        (
            "new",
            page_context(
                ALICE, "/feedback/9", req=REQUEST, questions=QUESTIONS, mine=None, can_answer=True
            ),
        ),
        (
            "errors",
            page_context(
                ALICE,
                "/feedback/9",
                req=REQUEST,
                questions=QUESTIONS,
                mine={"updated_at": NOW, "user_name": "Bob"},
                can_answer=False,
                errors={"q1": "Choose a score from 0 to 10."},
                values={"q1": "11", "q4": ["0"], "q5": "x"},
            ),
        ),
    ],
    "console/communications/campaigns.html": [
        (
            "list",
            page_context(
                VERA,
                "/console/campaigns",
                campaigns=[CAMPAIGN, {**DRAFT, "status": "scheduled"}],
                status_labels=STATUS,
            ),
        ),
        ("empty", page_context(VERA, "/console/campaigns", campaigns=[], status_labels=STATUS)),
    ],
    "console/communications/campaign_form.html": [
        ("new", page_context(VERA, "/console/campaigns/new", campaign=None, **AUDIENCE_OPTIONS)),
    ],
    "console/communications/campaign.html": [
        (
            "draft",
            page_context(
                VERA,
                "/console/campaigns/6",
                campaign=DRAFT,
                files=FILES,
                editable=True,
                status_labels=STATUS,
                audience_count=3,
                accept=".pdf",
                accepted_label="PDF",
                max_mb=50,
                errors={"file": "Too big."},
                **AUDIENCE_OPTIONS,
            ),
        ),
        (
            "published",
            page_context(
                VERA,
                "/console/campaigns/5",
                campaign=CAMPAIGN,
                files=[],
                editable=False,
                status_labels=STATUS,
                audience_count=3,
                **AUDIENCE_OPTIONS,
            ),
        ),
    ],
    "console/communications/reach.html": [
        (
            "reach",
            page_context(
                VERA,
                "/console/campaigns/5/reach",
                campaign=CAMPAIGN,
                reach=REACH,
                activity=ACTIVITY,
                tier_names={"gold": "金牌"},
                region_name=region_name,
            ),
        ),
    ],
    "console/communications/requests.html": [
        (
            "list",
            page_context(
                VERA, "/console/feedback", requests=[REQUEST], auto=False, status_labels=STATUS
            ),
        ),
        (
            "auto-empty",
            page_context(VERA, "/console/feedback", requests=[], auto=True, status_labels=STATUS),
        ),
    ],
    "console/communications/request_form.html": [
        (
            "new",
            page_context(
                VERA,
                "/console/feedback/new",
                req=None,
                scopes=[("user", "Per user")],
                **AUDIENCE_OPTIONS,
            ),
        ),
    ],
    "console/communications/request.html": [
        (
            "draft",
            page_context(
                VERA,
                "/console/feedback/9",
                req={**REQUEST, "status": "draft"},
                questions=QUESTIONS,
                editable=True,
                status_labels=STATUS,
                question_labels={"nps": "NPS"},
                question_kinds=[("nps", "NPS")],
                scopes=[("user", "Per user")],
                audience_count=4,
                **AUDIENCE_OPTIONS,
            ),
        ),
        (
            "open",
            page_context(
                VERA,
                "/console/feedback/9",
                req=REQUEST,
                questions=QUESTIONS,
                editable=False,
                status_labels=STATUS,
                question_labels={},
                question_kinds=[],
                scopes=[("user", "Per user")],
                audience_count=4,
                **AUDIENCE_OPTIONS,
            ),
        ),
    ],
    "console/communications/results.html": [
        (
            "results",
            page_context(
                VERA,
                "/console/feedback/9/results",
                res=RESULTS,
                req=REQUEST,
                trend=TREND,
                choices={"tiers": ["gold"], "regions": ["SH"], "partners": [(1, "P0001 A")]},
                tier_names={"gold": "金牌"},
                region_name=region_name,
                values={"tier": "gold", "region": "", "partner": 1},
                params={"tier": "gold"},
            ),
        ),
        (
            "empty",
            page_context(
                VERA,
                "/console/feedback/9/results",
                res={**RESULTS, "responses": 0, "response_rate": None, "questions": []},
                req=REQUEST,
                trend=[],
                choices={"tiers": [], "regions": [], "partners": []},
                tier_names={},
                region_name=region_name,
            ),
        ),
    ],
    "console/communications/settings.html": [
        (
            "settings",
            page_context(VERA, "/console/feedback/settings", values={"auto_csat_orders": True}),
        ),
    ],
}

LINK = "http://testserver.local/campaigns/5"
EMAIL_SAMPLES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "notice": [
        (
            "order-to-approve",
            {
                "name": "Vera <b>",
                "title": "订单 PO-1 待审批",
                "lines": ["华东智联 提交了订单 PO-1，金额 ¥1,000.00，等待您审批。"],
                "link": "http://testserver.local/console/orders/1",
                "link_label": "在门户中打开",
                "kind_label": "待审批订单",
                "settings_link": "http://testserver.local/notifications/settings",
            },
        ),
        (
            "no-name",
            {
                "name": "",
                "title": "Your tier is now Gold",
                "lines": ["Your company moved from Silver to Gold.", "Reason: Q3 revenue"],
                "link": "http://testserver.local/my-company",
                "link_label": "Open in the portal",
                "kind_label": "Tier changes of my company",
                "settings_link": "http://testserver.local/notifications/settings",
            },
        ),
    ],
    "campaign_published": [
        (
            "campaign",
            {
                "title": "春季促销 <b>",
                "description": "全线九折",
                "starts_on": TODAY,
                "ends_on": TODAY,
                "link": LINK,
            },
        ),
        (
            "no-period",
            {"title": "X", "description": "", "starts_on": None, "ends_on": None, "link": LINK},
        ),
    ],
    "feedback_request": [
        ("request", {"title": "满意度", "intro": "一分钟", "due_at": NOW, "link": LINK}),
    ],
    "feedback_reminder": [
        ("reminder", {"title": "满意度", "intro": "", "due_at": NOW, "link": LINK}),
    ],
}

SAMPLES["confirm.html"] = [
    (
        "publish",
        page_context(
            VERA,
            "/console/campaigns/6/publish",
            confirm=Confirm(
                heading="Publish “春季促销 <b>”?",
                lines=[
                    "37 people at 12 partners will be e-mailed and see it in their notifications."
                ],
                action="/console/campaigns/6/publish",
                button="Publish",
                cancel="/console/campaigns/6",
                fields={"when": "now", "publish_on": "", "publish_time": ""},
            ),
        ),
    ),
    (
        "decline-with-error",
        page_context(
            VERA,
            "/console/applications/3/decline",
            confirm=Confirm(
                heading="Decline the application of 新星?",
                lines=["周敏 (zhou@xinxing.test) will be e-mailed."],
                action="/console/applications/3/decline",
                button="Decline and e-mail",
                cancel="/console/applications/3",
                danger=True,
                reason={"label": "Reason", "data": {"reason": ""}, "required": True, "help": ""},
            ),
            errors={"reason": "Say why the application is declined."},
        ),
    ),
]
SAMPLES["communications/notification_settings.html"] = [
    (
        "vendor",
        page_context(
            VERA,
            "/notifications/settings",
            kinds=[("order_to_approve", "Orders to approve"), ("application", "New applications")],
            values={"order_to_approve": True, "application": False},
        ),
    ),
    ("nothing-to-choose", page_context(ALICE, "/notifications/settings", kinds=[], values={})),
]
