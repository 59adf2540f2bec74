"""Sample contexts for rendering templates in tests (tests/test_templates.py).

Each domain keeps its own samples next to its tests, in `tests/<domain>/template_samples.py`, with
the same two dicts: SAMPLES (page template name -> [(variant, context)]) and EMAIL_SAMPLES (e-mail
name -> [(variant, context)]). Build page contexts with `page_context(user, path, **values)`; it adds
what portal.web.page() and Litestar put in every page (request, csrf_input, user, flashes, errors,
values). This module holds the shared personas and the samples of the auth, home and error pages.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.web import Page

NOW = dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.UTC)
CSRF = '<input type="hidden" name="_csrf_token" value="sample-csrf">'

ALICE = CurrentUser(
    id=4,
    email="alice@partner-a.test",
    name="Alice 张爱丽",
    role="partner_admin",
    partner_id=1,
    partner_name="华东智联科技有限公司",
    partner_status="active",
    can_sales=True,
    can_purchasing=True,
    session_id=11,
)
VERA = CurrentUser(
    id=1, email="vera@vendor.test", name="Vera 王", role="vendor_admin", session_id=12
)


def request_for(path: str = "/") -> SimpleNamespace:
    return SimpleNamespace(url=SimpleNamespace(path=path, query=""), query_params={})


def page_context(user: CurrentUser | None = ALICE, path: str = "/", **extra: Any) -> dict[str, Any]:
    """What portal.web.page() and Litestar put in every page's context."""
    return {
        "request": request_for(path),
        "csrf_input": CSRF,
        "user": user,
        "flashes": [["success", "Saved."], ["error", "Not saved."]],
        "errors": {},
        "values": {},
        "pager": Page(number=1, per_page=25, total=0),
        "params": {},
        **extra,
    }


PROFILE = {
    "id": 4,
    "email": ALICE.email,
    "name": ALICE.name,
    "phone": "+86 21 5555 0101",
    "title": "采购经理",
    "locale": "",
    "role": "partner_admin",
    "partner": 1,
    "partner.name": ALICE.partner_name,
    "last_login_at": NOW,
}
SESSIONS = [
    {
        "id": 11,
        "created_at": NOW,
        "last_seen_at": NOW,
        "ip": "10.0.0.1",
        "user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0 Safari/537.36",
    },
    {
        "id": 12,
        "created_at": NOW,
        "last_seen_at": NOW,
        "ip": "10.0.0.2",
        "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Mobile MicroMessenger/8.0",
    },
]
TOKENS = [
    {"id": 3, "name": "ERP <sync>", "prefix": "ppt_AbCd", "created_at": NOW, "last_used_at": None}
]
INVITATION = {
    "id": 9,
    "email": "new@partner-a.test",
    "name": "New Person",
    "role": "partner_member",
    "partner": 1,
    "partner.name": ALICE.partner_name,
}


def sample_cards() -> list[Any]:
    from portal.lib.cards import Card

    return [
        Card(
            title="Partner applications",
            items=[("Waiting for review", "2", "/console/applications")],
            link="/console/applications",
            link_label="Review applications",
            tone="attention",
        ),
        Card(title="Partners", items=[("Active", "14", ""), ("Suspended", "0", "")], tone="ok"),
        Card(title="Orders", empty="No orders yet."),
    ]


# template name -> [(variant, context)]
SAMPLES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "home.html": [
        ("partner", page_context(cards=sample_cards())),
        ("vendor", page_context(VERA, cards=sample_cards())),
        ("no-cards", page_context(cards=[])),
    ],
    "auth/login.html": [
        ("blank", page_context(None, "/login", flashes=[], values={"next": "/my-company"})),
        (
            "error",
            page_context(
                None,
                "/login",
                values={"email": "a@b.test"},
                errors={"": "The e-mail address or password is not correct."},
            ),
        ),
    ],
    "auth/reset_request.html": [
        ("blank", page_context(None, "/password-reset")),
        (
            "error",
            page_context(
                None, "/password-reset", errors={"email": "Enter a valid e-mail address."}
            ),
        ),
    ],
    "auth/reset.html": [
        (
            "valid",
            page_context(
                None,
                "/password-reset/tok",
                token="tok",
                valid=True,
                errors={"password_confirm": "The two passwords do not match."},
            ),
        ),
        ("expired", page_context(None, "/password-reset/tok", token="tok", valid=False)),
    ],
    "auth/invitation.html": [
        (
            "partner",
            page_context(
                None,
                "/invitations/tok",
                token="tok",
                invitation=INVITATION,
                values={"name": "New Person"},
            ),
        ),
        (
            "vendor",
            page_context(
                None,
                "/invitations/tok",
                token="tok",
                invitation={
                    **INVITATION,
                    "role": "channel_manager",
                    "partner": None,
                    "partner.name": None,
                },
            ),
        ),
        ("expired", page_context(None, "/invitations/tok", token="tok", invitation=None)),
    ],
    "auth/account.html": [
        (
            "plain",
            page_context(
                path="/account/", profile=PROFILE, sessions=SESSIONS, tokens=TOKENS, new_token=""
            ),
        ),
        (
            "new-token",
            page_context(
                path="/account/",
                profile=PROFILE,
                sessions=SESSIONS[:1],
                tokens=[],
                new_token="ppt_the-secret-value",
            ),
        ),
        (
            "profile-error",
            page_context(
                path="/account/",
                profile=PROFILE,
                sessions=SESSIONS,
                tokens=TOKENS,
                values={"name": "", "phone": "", "title": "", "locale": "en"},
                errors={"name": "This field is required."},
            ),
        ),
        (
            "vendor",
            page_context(
                VERA,
                "/account/",
                profile={**PROFILE, "role": "vendor_admin", "partner": None, "partner.name": None},
                sessions=[],
                tokens=[],
            ),
        ),
    ],
    "errors/error.html": [
        (
            "signed-in",
            page_context(
                path="/nope",
                status=404,
                title="Page not found",
                message="Page not found",
                flashes=[],
            ),
        ),
        (
            "anonymous",
            page_context(
                None,
                "/nope",
                status=500,
                title="Something went wrong",
                message="An unexpected error occurred.",
                flashes=[],
            ),
        ),
    ],
}


EMAIL_SAMPLES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "invitation": [
        (
            "partner",
            {
                "name": "周敏",
                "inviter": "Alice 张爱丽",
                "partner_name": "华东智联科技有限公司",
                "role": "partner_member",
                "link": "http://testserver.local/invitations/tok",
                "days": 7,
            },
        ),
        (
            "vendor",
            {
                "name": "",
                "inviter": "Vera",
                "partner_name": "",
                "role": "channel_manager",
                "link": "http://testserver.local/invitations/tok",
                "days": 1,
            },
        ),
    ],
    "password_reset": [
        (
            "reset",
            {
                "name": "Bob <b>",
                "link": "http://testserver.local/password-reset/tok",
                "minutes": 60,
            },
        ),
    ],
}
GENERIC_EMAIL = {"name": "Sample", "link": "http://testserver.local/sample"}
