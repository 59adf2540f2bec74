"""Sample contexts for the partner pages (rendered by tests/test_templates.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.web import Page
from tests.template_samples import ALICE, NOW, VERA, page_context

MANNY = CurrentUser(id=2, email="manny@vendor.test", name="Manny 陈", role="channel_manager")
BOB = CurrentUser(
    id=5,
    email="bob@partner-a.test",
    name="Bob 李博",
    role="partner_member",
    partner_id=1,
    partner_name=ALICE.partner_name,
    partner_status="active",
    can_sales=True,
)

OPTIONS: dict[str, Any] = {
    "tier_options": [(1, "Platinum"), (2, "Gold"), (3, "Silver"), (4, "Registered")],
    "tier_code_options": [("platinum", "Platinum"), ("gold", "Gold")],
    "manager_options": [(2, "Manny 陈")],
    "province_options": [("SH", "Shanghai"), ("GD", "Guangdong")],
    "province_names": {"SH": "Shanghai", "GD": "Guangdong"},
    "locale_options": [("zh_CN", "简体中文"), ("en", "English")],
}
PARTNER = {
    "id": 1,
    "code": "P00001",
    "name": ALICE.partner_name,
    "name_en": "Partner <A>",
    "kind": "dealer",
    "tier": 2,
    "tier.code": "gold",
    "tier.name_zh": "金牌",
    "tier.name_en": "Gold",
    "tier.rank": 2,
    "province": "SH",
    "city": "上海",
    "address": "浦东新区 1 号",
    "contact_name": "张爱丽",
    "contact_phone": "021-6288 1024",
    "contact_email": "a@partner-a.test",
    "credit_limit_amount": 80_000_000,
    "currency": "CNY",
    "channel_manager_id": 2,
    "channel_manager_name": "Manny 陈",
    "status": "active",
    "joined_on": dt.date(2024, 5, 1),
    "locale": "zh_CN",
    "notes": "Key account",
    "created_at": NOW,
    "updated_at": NOW,
}
ADDRESS = {
    "id": 7,
    "partner": 1,
    "label": "上海仓库",
    "recipient": "王经理",
    "phone": "138 0000 0000",
    "address": "上海市浦东新区张江路 1 号",
    "is_default": True,
    "created_at": NOW,
    "updated_at": NOW,
}
SUSPENDED = {**PARTNER, "status": "suspended", "notes": ""}
MANAGER = {
    "id": 2,
    "name": "Manny 陈",
    "email": "manny@vendor.test",
    "phone": "138 0000 0000",
    "title": "渠道经理",
}
USERS = [
    {
        "id": 4,
        "email": ALICE.email,
        "name": ALICE.name,
        "role": "partner_admin",
        "can_sales": True,
        "can_purchasing": True,
        "is_active": True,
        "last_login_at": NOW,
        "phone": "",
        "title": "总经理",
    },
    {
        "id": 5,
        "email": BOB.email,
        "name": BOB.name,
        "role": "partner_member",
        "can_sales": True,
        "can_purchasing": False,
        "is_active": False,
        "last_login_at": None,
        "phone": "",
        "title": "",
    },
]
INVITATIONS = [
    {
        "id": 7,
        "email": "new@partner-a.test",
        "name": "New",
        "role": "partner_member",
        "created_at": NOW,
        "expires_at": NOW,
        "can_sales": False,
        "can_purchasing": True,
    },
]
HISTORY = [
    {
        "id": 2,
        "changed_at": NOW,
        "changed_by_name": "Vera 王",
        "reason": "Q1 revenue",
        "from_tier.name_zh": "银牌",
        "from_tier.name_en": "Silver",
        "to_tier.name_zh": "金牌",
        "to_tier.name_en": "Gold",
    },
    {
        "id": 1,
        "changed_at": NOW,
        "changed_by_name": "",
        "reason": "Initial tier",
        "from_tier.name_zh": None,
        "from_tier.name_en": None,
        "to_tier.name_zh": "银牌",
        "to_tier.name_en": "Silver",
    },
]
APPLICATION = {
    "id": 3,
    "company_name": "新星电子",
    "kind": "dealer",
    "province": "GD",
    "city": "深圳",
    "address": "",
    "contact_name": "周敏",
    "contact_email": "zhou@xinxing.test",
    "contact_phone": "",
    "website": "",
    "message": "We sell <b>laptops</b>.",
    "locale": "zh_CN",
    "status": "pending",
    "decline_reason": "",
    "reviewed_by_id": None,
    "reviewed_at": None,
    "partner": None,
    "ip": "",
    "created_at": NOW,
}
DECLINED = {
    **APPLICATION,
    "status": "declined",
    "decline_reason": "Outside our regions",
    "reviewed_by_id": 1,
    "reviewed_at": NOW,
}
STAFF = [
    {
        "id": 1,
        "email": VERA.email,
        "name": VERA.name,
        "role": "vendor_admin",
        "can_sales": False,
        "can_purchasing": False,
        "is_active": True,
        "last_login_at": NOW,
        "phone": "",
        "title": "",
    },
    {
        "id": 2,
        "email": MANNY.email,
        "name": MANNY.name,
        "role": "channel_manager",
        "can_sales": False,
        "can_purchasing": False,
        "is_active": False,
        "last_login_at": None,
        "phone": "",
        "title": "",
    },
]
COUNTS = {"active": 12, "suspended": 1}


def _overview() -> dict[str, Any]:
    """What portal.partner360 gives the page (the sections of other domains)."""
    from portal.communications.figures import CampaignFigures, FeedbackFigures
    from portal.customers.figures import CustomerActivity
    from portal.lib import charts
    from portal.performance.periods import Period

    period = Period.parse("2026-10")
    return {
        "score": {"period": period, "score": 72, "rank": 3, "total": 14, "change": -4},
        "trend": {
            "chart": charts.sparkline([0, 5, 3, 8], title="Revenue"),
            "first": period.shift(-11),
            "last": period,
            "values": [0, 5, 3, 8],
        },
        "orders": {
            "open_count": 2,
            "open_status": "approved,submitted",
            "total": 7,
            "recent": [
                {
                    "id": 9,
                    "number": "SO-2026-00009",
                    "status": "submitted",
                    "total_amount": 3_000_00,
                    "currency": "CNY",
                    "submitted_at": NOW,
                    "end_customer_name": "苏州启明软件",
                }
            ],
        },
        "credit": {
            "currency": "CNY",
            "credit_limit_amount": 100_000_00,
            "exposure_amount": 120_000_00,
            "open_orders_amount": 3_000_00,
            "unbilled_amount": 0,
            "owed_amount": 117_000_00,
            "overdue_amount": 17_000_00,
            "on_account_amount": 0,
            "available_credit_amount": 0,
            "share": 1.2,
            "bar": charts.progress_bar(1.0, label="Credit used"),
            "over": True,
        },
        "cases": {
            "open_count": 1,
            "breached": 1,
            "rows": [
                {
                    "id": 4,
                    "number": "C-2610-0004",
                    "subject": "路由器夜间掉线",
                    "status": "open",
                    "sla": "breached",
                    "sla_due": NOW,
                }
            ],
        },
        "activity": CustomerActivity(customers_total=12, interactions=30, followups_due=4),
        "activity_days": 30,
        "activity_since": NOW.date(),
        "campaigns": CampaignFigures(campaigns_received=3, campaigns_opened=2),
        "feedback": FeedbackFigures(requests_received=1, nps=40, csat_avg_x100=420),
        "engagement_days": 90,
        "notes_changed": {"at": NOW, "actor_email": "manny@vendor.test"},
    }


def _show(user: CurrentUser, partner: dict[str, Any], **extra: Any) -> dict[str, Any]:
    context = {
        "overview": _overview(),
        "partner": partner,
        "manager": MANAGER,
        "history": HISTORY,
        "users": USERS,
        "invitations": INVITATIONS,
        "can_edit": True,
        "failed": "",
        **OPTIONS,
    }
    context.update(extra)
    return page_context(user, "/console/partners/1", **context)


SAMPLES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "partners/list.html": [
        (
            "rows",
            page_context(
                VERA,
                "/console/partners",
                partners=[PARTNER],
                counts=COUNTS,
                pager=Page(2, 25, 60),
                params={"q": "x", "page": 2},
                values={"q": "x"},
                filtered=True,
                **OPTIONS,
            ),
        ),
        (
            "empty-filtered",
            page_context(
                MANNY,
                "/console/partners",
                partners=[],
                counts=COUNTS,
                params={"q": "x"},
                filtered=True,
                **OPTIONS,
            ),
        ),
        (
            "empty",
            page_context(
                VERA,
                "/console/partners",
                partners=[],
                counts={},
                params={},
                filtered=False,
                **OPTIONS,
            ),
        ),
    ],
    "partners/form.html": [
        (
            "new",
            page_context(
                VERA,
                "/console/partners/new",
                partner=None,
                full=True,
                values={"kind": "dealer", "tier_id": 4},
                **OPTIONS,
            ),
        ),
        (
            "edit-errors",
            page_context(
                VERA,
                "/console/partners/1/edit",
                partner=PARTNER,
                full=True,
                values={**PARTNER, "credit_limit": "abc"},
                errors={"credit_limit": "Enter an amount."},
                **OPTIONS,
            ),
        ),
        (
            "contact-only",
            page_context(
                MANNY,
                "/console/partners/1/edit",
                partner=PARTNER,
                full=False,
                values=PARTNER,
                **OPTIONS,
            ),
        ),
    ],
    "partners/show.html": [
        ("admin", _show(VERA, PARTNER)),
        (
            "tier-error",
            _show(
                VERA,
                PARTNER,
                failed="tier",
                values={"tier_id": 1},
                errors={"tier_reason": "Say why the tier changes."},
            ),
        ),
        ("suspended-no-users", _show(VERA, SUSPENDED, users=[], invitations=[], manager=None)),
        (
            "notes-error",
            _show(
                MANNY,
                PARTNER,
                failed="notes",
                values={"notes": "长"},
                errors={"notes": "At most 5000 characters."},
            ),
        ),
        (
            "manager",
            _show(
                MANNY,
                PARTNER,
                failed="invite",
                values={"email": "x"},
                errors={"email": "Enter a valid e-mail address."},
            ),
        ),
    ],
    "partners/apply.html": [
        (
            "anonymous-errors",
            page_context(
                None,
                "/apply",
                values={"kind": "dealer"},
                errors={"province": "Choose one of the options."},
                **OPTIONS,
            ),
        ),
        ("signed-in", page_context(ALICE, "/apply", **OPTIONS)),
    ],
    "partners/apply_thanks.html": [("anonymous", page_context(None, "/apply/thanks"))],
    "partners/applications.html": [
        (
            "pending",
            page_context(
                VERA,
                "/console/applications",
                applications=[APPLICATION],
                status="pending",
                counts={"pending": 1, "approved": 0},
                pager=Page(1, 25, 1),
                params={"status": "pending"},
                province_names=OPTIONS["province_names"],
            ),
        ),
        (
            "empty",
            page_context(
                MANNY,
                "/console/applications",
                applications=[],
                status="all",
                counts={},
                params={"status": "all"},
                province_names={},
            ),
        ),
    ],
    "partners/application.html": [
        (
            "pending-error",
            page_context(
                VERA,
                "/console/applications/3",
                application=APPLICATION,
                reviewer=None,
                failed="decline",
                errors={"reason": "Say why the application is declined."},
                **OPTIONS,
            ),
        ),
        (
            "pending-manager",
            page_context(
                MANNY,
                "/console/applications/3",
                application=APPLICATION,
                reviewer=None,
                failed="",
                **OPTIONS,
            ),
        ),
        (
            "declined",
            page_context(
                VERA,
                "/console/applications/3",
                application=DECLINED,
                reviewer={"name": "Vera 王"},
                failed="",
                **OPTIONS,
            ),
        ),
    ],
    "partners/my_company.html": [
        (
            "admin",
            page_context(
                ALICE,
                "/my-company",
                partner=PARTNER,
                manager=MANAGER,
                users=USERS,
                province_names=OPTIONS["province_names"],
            ),
        ),
        (
            "member-no-manager",
            page_context(
                BOB, "/my-company", partner=PARTNER, manager=None, users=USERS, province_names={}
            ),
        ),
    ],
    "partners/colleagues.html": [
        (
            "with-invitations",
            page_context(
                ALICE,
                "/my-company/users",
                colleagues=USERS,
                invitations=INVITATIONS,
                values={"role": "partner_member"},
                errors={"email": "A user with this e-mail address already exists."},
            ),
        ),
    ],
    "partners/colleague.html": [
        (
            "error",
            page_context(
                ALICE,
                "/my-company/users/5",
                colleague=USERS[1],
                values=USERS[1],
                errors={"": "A partner needs at least one active admin."},
            ),
        ),
    ],
    "partners/addresses.html": [
        (
            "book",
            page_context(
                ALICE,
                "/my-company/addresses",
                addresses=[
                    ADDRESS,
                    {**ADDRESS, "id": 8, "label": "北京 <门店>", "is_default": False},
                ],
            ),
        ),
        (
            "empty-error",
            page_context(
                ALICE,
                "/my-company/addresses",
                addresses=[],
                values={"label": "x"},
                errors={"address": "Enter a name and the address."},
            ),
        ),
    ],
    "partners/address.html": [
        (
            "edit",
            page_context(ALICE, "/my-company/addresses/7", address=ADDRESS, values=ADDRESS),
        ),
    ],
    "console/staff.html": [
        (
            "list",
            page_context(
                VERA,
                "/console/staff",
                staff=STAFF,
                invitations=INVITATIONS,
                values={"role": "channel_manager"},
            ),
        ),
        (
            "invite-error",
            page_context(
                VERA,
                "/console/staff",
                staff=STAFF,
                invitations=[],
                values={"email": "bad", "role": "vendor_admin"},
                errors={"email": "Enter a valid e-mail address."},
            ),
        ),
    ],
}

_APPLICANT = {"name": "周敏", "company_name": "新星 <科技>", "received_at": NOW}
EMAIL_SAMPLES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "application_received": [("receipt", _APPLICANT), ("no-name", {**_APPLICANT, "name": ""})],
    "application_declined": [
        ("with-reason", {**_APPLICANT, "reason": "暂不在华南地区拓展渠道"}),
        ("no-reason", {**_APPLICANT, "reason": ""}),
    ],
}
