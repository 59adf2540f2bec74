"""API tokens die with the access they stood for: password change/reset, "end other sessions",
disabling the user and suspending the partner revoke them for good (re-enabling does not help)."""

from __future__ import annotations

from portal.auth.tables import ApiToken, User
from tests.auth.test_api_auth import _token
from tests.auth.test_invitations_and_reset import _link
from tests.factories import PASSWORD
from tests.personas import post_form, sign_in


async def _works(client, token: str) -> bool:
    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code in (200, 401), response.text
    return response.status_code == 200


async def test_password_change_revokes_tokens_and_the_page_says_so(make_client, alice):
    api, browser = await make_client(), await make_client()
    token = await _token(api, alice)
    await sign_in(browser, alice)
    page = await browser.get("/account")
    assert "revokes every token for good" in page.text
    new = "brand-new-pass"
    data = {"current_password": PASSWORD, "password": new, "password_confirm": new}
    response = await post_form(browser, "/account/password", data)
    assert response.status_code == 303
    assert not await _works(api, token)
    assert await ApiToken.count().where(ApiToken.revoked_at.is_null()) == 0


async def test_password_reset_revokes_tokens(make_client, alice):
    api, browser = await make_client(), await make_client()
    token = await _token(api, alice)
    await post_form(browser, "/password-reset", {"email": alice.email})
    path = await _link("password_reset")
    new = "a-new-password"
    done = await post_form(browser, path, {"password": new, "password_confirm": new})
    assert done.status_code == 303
    assert not await _works(api, token)


async def test_ending_other_sessions_revokes_tokens(make_client, alice):
    api, laptop, phone = await make_client(), await make_client(), await make_client()
    token = await _token(api, alice)
    await sign_in(laptop, alice)
    await sign_in(phone, alice)
    response = await post_form(laptop, "/account/sessions/end-others")
    assert response.status_code == 303
    assert not await _works(api, token)
    assert (await laptop.get("/account")).status_code == 200


async def test_disabling_revokes_tokens_for_good(make_client, as_user, alice, bob):
    api = await make_client()
    token = await _token(api, bob)
    admin = await as_user(alice)
    off = await post_form(admin, f"/my-company/users/{bob.id}", {"role": "partner_member"})
    assert off.status_code == 303
    assert not await _works(api, token)
    on = {"role": "partner_member", "is_active": "on"}
    assert (await post_form(admin, f"/my-company/users/{bob.id}", on)).status_code == 303
    assert (await User.select(User.is_active).where(User.id == bob.id).first())["is_active"]
    assert not await _works(api, token)


async def test_suspension_revokes_tokens_for_good(make_client, as_user, vera, alice, partner_a):
    api = await make_client()
    token = await _token(api, alice)
    console = await as_user(vera)
    suspend = await post_form(console, f"/console/partners/{partner_a}/suspend", {"reason": "x"})
    assert suspend.status_code == 303
    assert not await _works(api, token)
    back = await post_form(console, f"/console/partners/{partner_a}/reactivate", {"reason": "ok"})
    assert back.status_code == 303
    assert not await _works(api, token)
    assert await _works(api, await _token(api, alice, "after"))


async def test_ending_one_session_keeps_tokens(make_client, alice):
    api, browser = await make_client(), await make_client()
    token = await _token(api, alice)
    await sign_in(browser, alice)
    assert (await post_form(browser, "/logout")).status_code == 303
    assert await _works(api, token)
