"""Signing in and out, throttling, sessions."""

from __future__ import annotations

from portal.auth.tables import AuthSession
from portal.core.tables import AuditEntry
from tests.factories import PASSWORD
from tests.personas import post_form, sign_in


async def test_alice_signs_in_and_sees_her_home(client, alice):
    response = await post_form(client, "/login", {"email": alice.email, "password": PASSWORD})
    assert response.status_code == 303
    home = await client.get("/")
    assert home.status_code == 200
    assert "Alice" in home.text


async def test_wrong_password_and_unknown_email_get_the_same_answer(client, alice):
    wrong = await post_form(client, "/login", {"email": alice.email, "password": "nope-nope"})
    unknown = await post_form(client, "/login", {"email": "nobody@x.test", "password": "nope-nope"})
    assert wrong.status_code == unknown.status_code == 400
    assert "not correct" in wrong.text and "not correct" in unknown.text
    actions = await AuditEntry.select(AuditEntry.action).where(AuditEntry.action == "login.failure")
    assert len(actions) == 2


async def test_login_is_throttled_per_account(client, alice):
    for _ in range(5):
        await post_form(client, "/login", {"email": alice.email, "password": "wrong-password"})
    blocked = await post_form(client, "/login", {"email": alice.email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Too many failed attempts" in blocked.text


async def test_each_login_gets_a_new_session_token(make_client, alice):
    first, second = await make_client(), await make_client()
    for c in (first, second):
        await post_form(c, "/login", {"email": alice.email, "password": PASSWORD})
    assert first.cookies.get("portal_session") != second.cookies.get("portal_session")
    assert await AuthSession.count().where(AuthSession.user == alice.id) == 2


async def test_logout_ends_the_session(client, alice):
    await sign_in(client, alice)
    await post_form(client, "/logout")
    response = await client.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


async def test_form_without_csrf_token_is_refused(client, alice):
    await client.get("/login")
    response = await client.post("/login", data={"email": alice.email, "password": PASSWORD})
    assert response.status_code == 403
