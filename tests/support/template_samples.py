"""Sample contexts for the support pages and case e-mails (rendered in both languages by
tests/test_templates.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.lib.charts import line_chart
from portal.support.figures import CaseFigures
from portal.web import Page
from tests.template_samples import ALICE, NOW, VERA, page_context

LATER = NOW + dt.timedelta(hours=5)
CASE: dict[str, Any] = {
    "id": 12,
    "number": "CS-2026-000012",
    "subject": "摄像机夜间掉线 <b>",
    "description": "每天晚上 23 点左右断开网络。\nSince Monday.",
    "status": "open",
    "priority": "high",
    "category": "technical",
    "channel": "email",
    "partner": 1,
    "partner_name": ALICE.partner_name,
    "partner_code": "P00001",
    "requester": ALICE.id,
    "requester_name": ALICE.name,
    "requester_email": ALICE.email,
    "assignee_id": VERA.id,
    "assignee_name": VERA.name,
    "team": 3,
    "team_name": "技术支持",
    "tier_code": "gold",
    "order_id": 42,
    "end_customer_id": 7,
    "first_response_target": 240,
    "resolution_target": 1080,
    "fr_warn_at": NOW,
    "fr_due_at": NOW + dt.timedelta(hours=1),
    "fr_second_at": LATER,
    "res_warn_at": LATER,
    "res_due_at": LATER + dt.timedelta(hours=3),
    "res_second_at": LATER + dt.timedelta(days=2),
    "first_responded_at": NOW + dt.timedelta(minutes=30),
    "resolved_at": None,
    "resolved_within_sla": None,
    "closed_at": None,
    "reopen_count": 1,
    "csat_score": None,
    "created_at": NOW,
    "updated_at": LATER,
    "sla": "at_risk",
    "sla_due": LATER,
}
RESOLVED = {
    **CASE,
    "status": "resolved",
    "resolved_at": LATER,
    "resolved_within_sla": True,
    "sla": "met",
}
WAITING = {**CASE, "status": "waiting_on_partner", "sla": "paused", "first_responded_at": None}
FILE = {
    "id": 5,
    "message": 2,
    "filename": "photo.jpg",
    "size": 204800,
    "content_type": "image/jpeg",
    "is_internal": False,
    "created_at": NOW,
}
MESSAGES = [
    {
        "id": 1,
        "author_name": VERA.name,
        "author_is_vendor": True,
        "is_internal": True,
        "channel": "portal",
        "body": "Batch 42?",
        "created_at": NOW,
        "files": [],
    },
    {
        "id": 2,
        "author_name": VERA.name,
        "author_is_vendor": True,
        "is_internal": False,
        "channel": "portal",
        "body": "请升级固件。",
        "created_at": LATER,
        "files": [FILE],
    },
    {
        "id": 3,
        "author_name": ALICE.name,
        "author_is_vendor": False,
        "is_internal": False,
        "channel": "email",
        "body": "Done, thanks",
        "created_at": LATER,
        "files": [],
    },
]
EVENTS = [
    {
        "kind": "opened",
        "from_status": "",
        "to_status": "new",
        "actor_name": ALICE.name,
        "detail": "portal",
        "at": NOW,
    },
    {
        "kind": "escalated",
        "from_status": "",
        "to_status": "",
        "actor_name": "system",
        "detail": "first_response:1",
        "at": NOW,
    },
    {
        "kind": "reply",
        "from_status": "new",
        "to_status": "open",
        "actor_name": VERA.name,
        "detail": "",
        "at": LATER,
    },
]
ESCALATIONS = [
    {"deadline": "first_response", "level": 1, "at": NOW, "notified_at": NOW},
    {"deadline": "resolution", "level": 2, "at": LATER, "notified_at": None},
]
DETAIL = {
    "case": CASE,
    "messages": MESSAGES,
    "events": EVENTS,
    "case_files": [FILE],
    "escalations": ESCALATIONS,
    "csat": None,
}
ROW = {**CASE}
ARTICLE = {
    "id": 3,
    "title": "如何重置摄像机",
    "body": "按住复位键 10 秒。\nHold reset for 10 s.",
    "snippet": "…按住复位键…",
    "title_zh": "如何重置摄像机",
    "title_en": "Resetting a camera",
    "body_zh": "按住复位键 10 秒。",
    "body_en": "Hold reset.",
    "status": "published",
    "views": 12,
    "updated_at": NOW,
    "category.name_zh": "常见问题",
    "category.name_en": "FAQ",
    "category": 1,
    "keywords": "reset",
}
CATEGORIES = [{"id": 1, "code": "FAQ", "name_zh": "常见问题", "name_en": "FAQ", "position": 0}]
STAFF = [{"id": VERA.id, "name": VERA.name, "email": VERA.email}]
TEAMS = [{"id": 3, "name": "技术支持"}]
STATUS = [
    ("new", "New"),
    ("open", "Open"),
    ("waiting_on_partner", "Waiting on partner"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
]
CATEGORY = [("technical", "Technical"), ("billing", "Billing")]
PRIORITY = [("urgent", "Urgent"), ("normal", "Normal")]
FIGURES = CaseFigures(
    cases_opened=12,
    cases_resolved=9,
    sla_met=8,
    sla_breached=2,
    first_response_minutes_avg=75,
    resolution_minutes_avg=620,
    csat_avg_x100=440,
    first_contact_resolved=5,
    first_responses=10,
    csat_answers=4,
)

SAMPLES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "support/list.html": [
        (
            "rows",
            page_context(
                cases=[ROW, {**ROW, "id": 13, "sla": "breached"}],
                counts={"new": 1, "waiting_on_partner": 2},
                status_options=STATUS,
                pager=Page(1, 30, 2),
            ),
        ),
        ("empty", page_context(cases=[], counts={}, status_options=STATUS)),
    ],
    "support/new.html": [
        (
            "form",
            page_context(
                values={"priority": "normal"},
                errors={"subject": "At least 3 characters.", "files": "Too large"},
                category_options=CATEGORY,
                priority_options=PRIORITY,
                orders=[(42, "SO-2026-000042")],
                customers=[(7, "上海某某医院")],
            ),
        ),
    ],
    "support/show.html": [
        (
            "open",
            page_context(
                **{**DETAIL, "messages": MESSAGES[1:], "escalations": []},
                can_reopen=False,
                reopen_until=None,
            ),
        ),
        (
            "resolved",
            page_context(
                **{**DETAIL, "case": RESOLVED, "messages": MESSAGES[1:], "csat": 4},
                can_reopen=True,
                reopen_until=LATER,
            ),
        ),
        (
            "waiting",
            page_context(
                **{**DETAIL, "case": WAITING, "messages": []},
                can_reopen=False,
                reopen_until=None,
                errors={"body": "This field is required."},
            ),
        ),
    ],
    "support/kb_list.html": [
        (
            "results",
            page_context(
                articles=[ARTICLE, {**ARTICLE, "status": "draft", "snippet": ""}],
                categories=CATEGORIES,
                values={"q": "重置"},
            ),
        ),
        ("empty", page_context(articles=[], categories=CATEGORIES, values={"q": "x"})),
    ],
    "support/kb_show.html": [
        ("article", page_context(article=ARTICLE)),
        ("vendor", page_context(VERA, article=ARTICLE)),
    ],
    "console/support/queue.html": [
        (
            "rows",
            page_context(
                VERA,
                cases=[ROW, {**ROW, "id": 14, "sla": "breached"}],
                queues=[
                    {
                        "team": 3,
                        "team_name": "技术支持",
                        "assignee_id": VERA.id,
                        "assignee_name": VERA.name,
                        "n": 4,
                        "breached": 1,
                    },
                    {
                        "team": None,
                        "team_name": None,
                        "assignee_id": None,
                        "assignee_name": "",
                        "n": 2,
                        "breached": 0,
                    },
                ],
                partners=[{"id": 1, "name": ALICE.partner_name, "code": "P1"}],
                teams=TEAMS,
                staff=STAFF,
                status_options=STATUS,
                category_options=CATEGORY,
                priority_options=PRIORITY,
                pager=Page(1, 50, 2),
            ),
        ),
        (
            "empty",
            page_context(
                VERA,
                cases=[],
                queues=[],
                partners=[],
                teams=[],
                staff=STAFF,
                status_options=STATUS,
                category_options=CATEGORY,
                priority_options=PRIORITY,
            ),
        ),
    ],
    "console/support/new.html": [
        (
            "form",
            page_context(
                VERA,
                values={"priority": "normal", "partner_id": 1},
                errors={"partner_id": "Choose a partner."},
                partners=[{"id": 1, "name": ALICE.partner_name, "code": "P1"}],
                category_options=CATEGORY,
                priority_options=PRIORITY,
            ),
        ),
    ],
    "console/support/case.html": [
        (
            "open",
            page_context(
                VERA,
                **DETAIL,
                fr_left=None,
                res_left=-75,
                staff=STAFF,
                teams=TEAMS,
                tier_names={"gold": "Gold"},
                priority_options=PRIORITY,
                status_options=STATUS,
            ),
        ),
        (
            "new",
            page_context(
                VERA,
                **{**DETAIL, "case": {**CASE, "first_responded_at": None, "status": "new"}},
                fr_left=42,
                res_left=900,
                staff=STAFF,
                teams=TEAMS,
                tier_names={"gold": "Gold"},
                priority_options=PRIORITY,
                status_options=STATUS,
            ),
        ),
        (
            "closed",
            page_context(
                VERA,
                **{**DETAIL, "case": {**RESOLVED, "status": "closed"}, "csat": 5},
                fr_left=None,
                res_left=None,
                staff=STAFF,
                teams=TEAMS,
                tier_names={"gold": "Gold"},
                priority_options=PRIORITY,
                status_options=STATUS,
            ),
        ),
    ],
    "console/support/figures.html": [
        (
            "figures",
            page_context(
                VERA,
                total=FIGURES,
                rows=[(ALICE.partner_name, FIGURES)],
                chart=line_chart(["11-01", "11-02", "11-03"], [3, 5, 2], "Backlog"),
                values={"since": "2026-11-01", "until": "2026-11-26"},
            ),
        ),
        (
            "empty",
            page_context(
                VERA, total=CaseFigures(), rows=[], chart=line_chart([], [], "Backlog"), values={}
            ),
        ),
    ],
    "console/support/articles.html": [
        ("rows", page_context(VERA, articles=[ARTICLE], values={})),
        ("empty", page_context(VERA, articles=[], values={})),
    ],
    "console/support/article.html": [
        (
            "new",
            page_context(
                VERA,
                values={"status": "draft", "source_case_id": 12},
                categories=CATEGORIES,
                article=None,
            ),
        ),
        (
            "edit",
            page_context(
                VERA,
                values={**ARTICLE, "category_id": 1},
                errors={"body_zh": "Required"},
                categories=CATEGORIES,
                article=ARTICLE,
            ),
        ),
    ],
    "console/support/settings.html": [
        (
            "settings",
            page_context(
                VERA,
                values={
                    "time_zone": "Asia/Shanghai",
                    "start": "09:00",
                    "end": "18:00",
                    "work_days": [0, 1, 2, 3, 4],
                    "warn_percent": 80,
                    "second_breach_percent": 200,
                },
                weekdays=[(0, "Monday"), (5, "Saturday")],
                holidays=[
                    {"id": 1, "on": dt.date(2026, 10, 1), "name": "国庆节", "is_workday": False},
                    {"id": 2, "on": dt.date(2026, 9, 27), "name": "调休", "is_workday": True},
                ],
                targets=[
                    {
                        "priority": "urgent",
                        "tier_id": None,
                        "tier": None,
                        "key": "urgent_0",
                        "first_response": 60,
                        "resolution": 480,
                    },
                    {
                        "priority": "urgent",
                        "tier_id": 1,
                        "tier": {"id": 1, "name_zh": "金牌", "name_en": "Gold"},
                        "key": "urgent_1",
                        "first_response": None,
                        "resolution": None,
                    },
                ],
                priority_options=dict(PRIORITY),
                errors={"fr_urgent_0": "Enter a whole number."},
            ),
        ),
    ],
    "console/support/teams.html": [
        (
            "teams",
            page_context(
                VERA,
                teams=[
                    {
                        "id": 3,
                        "name": "技术支持",
                        "lead_id": VERA.id,
                        "is_active": True,
                        "member_ids": [VERA.id],
                    }
                ],
                staff=STAFF,
                names={VERA.id: VERA.name},
                values={"is_active": True},
            ),
        ),
    ],
    "console/support/rules.html": [
        (
            "rules",
            page_context(
                VERA,
                rules=[
                    {
                        "id": 1,
                        "position": 10,
                        "name": "质量投诉",
                        "category": "quality_complaint",
                        "priority": "",
                        "province": "SH",
                        "tier_code": "gold",
                        "team_name": "技术支持",
                        "assignee_id": None,
                    },
                    {
                        "id": 2,
                        "position": 20,
                        "name": "",
                        "category": "",
                        "priority": "",
                        "province": "",
                        "tier_code": None,
                        "team_name": None,
                        "assignee_id": VERA.id,
                    },
                ],
                teams=TEAMS,
                staff=STAFF,
                names={VERA.id: VERA.name},
                tiers=[{"id": 1, "code": "gold", "name_zh": "金牌", "name_en": "Gold"}],
                provinces=[("SH", ("上海", "Shanghai"))],
                tier_names={"gold": "金牌"},
                province_name={"SH": "上海"}.get,
                category_options=CATEGORY,
                priority_options=PRIORITY,
                values={"position": 100},
                errors={"team_id": "Send the cases either to a team or to one person."},
            ),
        ),
        (
            "empty",
            page_context(
                VERA,
                rules=[],
                teams=[],
                staff=STAFF,
                names={},
                tiers=[],
                provinces=[],
                tier_names={},
                province_name=str,
                category_options=CATEGORY,
                priority_options=PRIORITY,
                values={},
            ),
        ),
    ],
}

MAIL: dict[str, Any] = {
    "name": ALICE.name,
    "number": "CS-2026-000012",
    "subject": "摄像机夜间掉线 <b>",
    "partner_name": ALICE.partner_name,
    "status": "open",
    "priority": "high",
    "for_vendor": False,
    "link": "http://testserver.local/cases/12",
    "by_email": True,
}
EMAIL_SAMPLES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "case_opened": [("partner", MAIL)],
    "case_assigned": [("vendor", {**MAIL, "for_vendor": True, "description": "每天晚上断开。"})],
    "case_reply": [
        (
            "to_partner",
            {
                **MAIL,
                "author": VERA.name,
                "body": "请升级固件。\n谢谢",
                "status": "waiting_on_partner",
            },
        ),
        (
            "to_vendor",
            {**MAIL, "for_vendor": True, "by_email": False, "author": ALICE.name, "body": "Done"},
        ),
    ],
    "case_status": [
        ("resolved", {**MAIL, "status": "resolved", "reason": ""}),
        ("closed", {**MAIL, "status": "closed", "reason": "Partner confirmed", "for_vendor": True}),
    ],
    "case_escalation": [
        (
            "warning",
            {**MAIL, "for_vendor": True, "deadline": "first_response", "level": 1, "due_at": NOW},
        ),
        (
            "breach",
            {**MAIL, "for_vendor": True, "deadline": "resolution", "level": 2, "due_at": NOW},
        ),
        (
            "breach-lead",
            {**MAIL, "for_vendor": True, "deadline": "resolution", "level": 2, "due_at": NOW}
            | {"as_lead": True},
        ),
        (
            "second",
            {**MAIL, "for_vendor": True, "deadline": "resolution", "level": 3, "due_at": NOW},
        ),
    ],
}
