"""My account: profile, password, sessions, expiry."""

from __future__ import annotations

import datetime as dt

from portal.auth.tables import AuthSession, User
from portal.lib import clock
from portal.settings import get_settings
from tests.factories import PASSWORD
from tests.personas import post_form, sign_in


async def test_account_page_lists_my_sessions(make_client, alice):
    laptop, phone = await make_client(), await make_client()
    await sign_in(laptop, alice)
    await sign_in(phone, alice)
    page = await laptop.get("/account/")
    assert page.status_code == 200
    assert page.text.count("pytest") >= 2  # the user agent of both sessions


async def test_alice_ends_her_other_sessions(make_client, alice):
    laptop, phone = await make_client(), await make_client()
    await sign_in(laptop, alice)
    await sign_in(phone, alice)
    response = await post_form(laptop, "/account/sessions/end-others")
    assert response.status_code == 303
    assert (await phone.get("/")).status_code == 303
    assert (await laptop.get("/")).status_code == 200


async def test_alice_cannot_end_carol_session(make_client, alice, carol):
    a, c = await make_client(), await make_client()
    await sign_in(a, alice)
    await sign_in(c, carol)
    carol_session = (
        await AuthSession.select(AuthSession.id).where(AuthSession.user == carol.id).first()
    )
    response = await post_form(a, f"/account/sessions/{carol_session['id']}/end")
    assert response.status_code == 404
    assert (await c.get("/")).status_code == 200


async def test_password_change_ends_other_sessions_and_needs_the_current_password(
    make_client, alice
):
    laptop, phone = await make_client(), await make_client()
    await sign_in(laptop, alice)
    await sign_in(phone, alice)
    wrong = await post_form(
        laptop,
        "/account/password",
        {
            "current_password": "not-it",
            "password": "brand-new-pass",
            "password_confirm": "brand-new-pass",
        },
    )
    assert wrong.status_code == 400 and "not correct" in wrong.text
    ok = await post_form(
        laptop,
        "/account/password",
        {
            "current_password": PASSWORD,
            "password": "brand-new-pass",
            "password_confirm": "brand-new-pass",
        },
    )
    assert ok.status_code == 303
    assert (await phone.get("/")).status_code == 303
    assert (await laptop.get("/")).status_code == 200


async def test_short_password_is_refused_next_to_the_field(client, alice):
    await sign_in(client, alice)
    response = await post_form(
        client,
        "/account/password",
        {"current_password": PASSWORD, "password": "short", "password_confirm": "short"},
    )
    assert response.status_code == 400
    assert "At least 8 characters" in response.text


async def test_idle_session_expires(client, alice):
    await sign_in(client, alice)
    idle = dt.timedelta(minutes=get_settings().session_idle_minutes + 1)
    await AuthSession.update({AuthSession.last_seen_at: clock.now() - idle}).where(
        AuthSession.user == alice.id
    )
    assert (await client.get("/")).status_code == 303
    assert await AuthSession.count() == 0


async def test_absolute_expiry_ends_an_active_session(client, alice):
    await sign_in(client, alice)
    await AuthSession.update({AuthSession.expires_at: clock.now()}).where(
        AuthSession.user == alice.id
    )
    assert (await client.get("/")).status_code == 303


async def test_disabled_user_is_signed_out_everywhere(client, alice):
    await sign_in(client, alice)
    await User.update({User.is_active: False}).where(User.id == alice.id)
    assert (await client.get("/")).status_code == 303


async def test_profile_language_preference_changes_the_page_language(client, alice):
    await sign_in(client, alice)
    response = await post_form(client, "/account/profile", {"name": "Alice Z", "locale": "zh_CN"})
    assert response.status_code == 303
    page = await client.get("/account/")
    assert 'lang="zh-CN"' in page.text


async def test_language_switch_for_anonymous_visitors_uses_a_cookie(client):
    await post_form(client, "/language", {"locale": "zh_CN", "next": "/login"})
    page = await client.get("/login")
    assert 'lang="zh-CN"' in page.text


async def test_accept_language_decides_without_a_preference(client):
    page = await client.get("/login", headers={"accept-language": "zh-CN,zh;q=0.9,en;q=0.8"})
    assert 'lang="zh-CN"' in page.text
    page = await client.get("/login", headers={"accept-language": "en-US,en;q=0.9"})
    assert 'lang="en"' in page.text
