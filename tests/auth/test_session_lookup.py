"""The per-request lookup of the signed-in user: one statement, the same user, the same refusals."""

from __future__ import annotations

from portal.auth.constants import PartnerStatus
from portal.auth.sessions import start_session, user_for_api_token, user_for_session
from portal.auth.tables import User
from portal.partners.tables import Partner
from tests.auth.test_api_auth import _token
from tests.query_count import count_queries


async def test_alice_session_is_one_statement_with_her_partner(alice, partner_a):
    token = await start_session(alice.id, "127.0.0.1", "pytest")
    with count_queries() as seen:
        user = await user_for_session(token, "10.0.0.1")
    assert seen.n == 1
    assert user is not None
    assert (user.id, user.email, user.role, user.partner_id) == (
        alice.id,
        alice.email,
        "partner_admin",
        partner_a,
    )
    assert user.partner_name == "华东智联科技有限公司"
    assert user.partner_status == PartnerStatus.ACTIVE
    assert user.can_sales is True and user.can_purchasing is True  # bools, not 0/1
    assert user.session_id is not None and user.ip == "10.0.0.1"


async def test_vendor_session_has_no_partner(vera):
    token = await start_session(vera.id, "127.0.0.1", "pytest")
    user = await user_for_session(token)
    assert user is not None
    assert (user.partner_id, user.partner_name, user.partner_status) == (None, "", "")


async def test_suspended_partner_or_disabled_user_is_refused_at_once(alice, bob, partner_a):
    alice_token = await start_session(alice.id, "127.0.0.1", "pytest")
    bob_token = await start_session(bob.id, "127.0.0.1", "pytest")
    await User.update({User.is_active: False}).where(User.id == bob.id)
    assert await user_for_session(bob_token) is None
    assert await user_for_session(alice_token) is not None
    await Partner.update({Partner.status: PartnerStatus.SUSPENDED}).where(Partner.id == partner_a)
    assert await user_for_session(alice_token) is None


async def test_api_token_is_one_statement_and_refused_when_suspended(client, alice, partner_a):
    token = await _token(client, alice)
    await user_for_api_token(token)  # the first call touches last_used_at
    with count_queries() as seen:
        user = await user_for_api_token(token)
    assert seen.n == 1
    assert user is not None and user.token_id is not None and user.partner_id == partner_a
    await Partner.update({Partner.status: PartnerStatus.SUSPENDED}).where(Partner.id == partner_a)
    assert await user_for_api_token(token) is None


async def test_unknown_token_is_refused(alice):
    assert await user_for_session("not-a-token") is None
    assert await user_for_api_token("not-a-token") is None


async def test_a_static_file_is_served_without_looking_the_session_up(as_user, alice):
    # given alice signed in (her browser sends the session cookie with every request)
    browser = await as_user(alice)
    # when her browser fetches the stylesheet, then no statement runs for it ...
    with count_queries() as seen:
        response = await browser.get("/static/css/portal.css")
    assert response.status_code == 200 and "text/css" in response.headers["content-type"]
    assert seen.sql == []
    # ... while a page still resolves her session
    with count_queries() as seen:
        home = await browser.get("/")
    assert home.status_code == 200 and seen.n >= 1
