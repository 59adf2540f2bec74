"""Invitations and password resets travel by e-mail as one-time links that expire."""

from __future__ import annotations

import re

import httpx

from portal.auth.constants import Role
from portal.auth.invitations import invite
from portal.auth.tables import Invitation, PasswordReset, User
from portal.core.tables import OutboundEmail
from portal.lib import clock
from tests.personas import post_form


async def _link(kind: str) -> str:
    row = (
        await OutboundEmail.select(OutboundEmail.body_text)
        .where(OutboundEmail.kind == kind)
        .first()
    )
    match = re.search(r"http://testserver\.local(/\S+)", row["body_text"])
    assert match, row["body_text"]
    return match.group(1)


async def test_invited_colleague_creates_an_account_and_is_signed_in(client, alice):
    await invite(
        actor=alice.current,
        email="new@partner-a.test",
        name="New Person",
        role=Role.PARTNER_MEMBER,
        partner_id=alice.partner_id,
        can_purchasing=True,
    )
    path = await _link("invitation")
    assert (await client.get(path)).status_code == 200
    response = await post_form(
        client,
        path,
        {"name": "New Person", "password": "long-enough-1", "password_confirm": "long-enough-1"},
    )
    assert response.status_code == 303
    user = await User.select().where(User.email == "new@partner-a.test").first()
    assert user["partner"] == alice.partner_id and user["can_purchasing"] and not user["can_sales"]
    assert (await client.get("/")).status_code == 200


async def test_an_invitation_link_works_once(make_client, alice):
    await invite(
        actor=alice.current,
        email="once@partner-a.test",
        name="Once",
        role=Role.PARTNER_MEMBER,
        partner_id=alice.partner_id,
    )
    path = await _link("invitation")
    first, second = await make_client(), await make_client()
    data = {"name": "Once", "password": "long-enough-1", "password_confirm": "long-enough-1"}
    assert (await post_form(first, path, data)).status_code == 303
    assert (await post_form(second, path, data)).status_code == 404


async def test_an_expired_invitation_is_refused(client, alice):
    await invite(
        actor=alice.current,
        email="late@partner-a.test",
        name="Late",
        role=Role.PARTNER_MEMBER,
        partner_id=alice.partner_id,
    )
    await Invitation.update({Invitation.expires_at: clock.now()}).where(
        Invitation.email == "late@partner-a.test"
    )
    response = await client.get(await _link("invitation"))
    assert response.status_code == 404


async def test_mismatched_passwords_show_next_to_the_field(client, alice):
    await invite(
        actor=alice.current,
        email="typo@partner-a.test",
        name="Typo",
        role=Role.PARTNER_MEMBER,
        partner_id=alice.partner_id,
    )
    response = await post_form(
        client,
        await _link("invitation"),
        {"name": "Typo", "password": "long-enough-1", "password_confirm": "long-enough-2"},
    )
    assert response.status_code == 400 and "do not match" in response.text
    assert not await User.exists().where(User.email == "typo@partner-a.test")


async def test_password_reset_by_emailed_link(client, alice):
    response = await post_form(client, "/password-reset", {"email": alice.email})
    assert response.status_code == 303
    path = await _link("password_reset")
    changed = await post_form(
        client, path, {"password": "a-new-password", "password_confirm": "a-new-password"}
    )
    assert changed.status_code == 303
    login = await post_form(client, "/login", {"email": alice.email, "password": "a-new-password"})
    assert login.status_code == 303
    # the link is used up
    again = await post_form(
        client, path, {"password": "another-one-1", "password_confirm": "another-one-1"}
    )
    assert again.status_code == 404


async def test_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client):
    response = await post_form(client, "/password-reset", {"email": "nobody@nowhere.test"})
    assert response.status_code == 303
    assert await OutboundEmail.count() == 0
    assert await PasswordReset.count() == 0


async def test_reset_link_expires(client, alice):
    await post_form(client, "/password-reset", {"email": alice.email})
    await PasswordReset.update({PasswordReset.expires_at: clock.now()}).where(
        PasswordReset.user == alice.id
    )
    assert (await client.get(await _link("password_reset"))).status_code == 404


async def test_invitation_email_is_in_the_partner_language(alice):
    await invite(
        actor=alice.current,
        email="zh@partner-a.test",
        name="中文",
        role=Role.PARTNER_MEMBER,
        partner_id=alice.partner_id,
    )
    row = await OutboundEmail.select(OutboundEmail.subject, OutboundEmail.body_text).first()
    assert re.search(
        r"[\u4e00-\u9fff]", row["subject"] + row["body_text"]
    )  # partner A's locale is zh_CN


def _from(app, address: str) -> httpx.AsyncClient:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=app, client=(address, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver.local")


async def test_reset_requests_for_one_account_from_many_addresses_send_three_emails(app, alice):
    answers = []
    for n in range(12):
        async with _from(app, f"198.51.100.{n + 1}") as browser:
            answers.append(await post_form(browser, "/password-reset", {"email": alice.email}))

    assert [a.status_code for a in answers] == [303] * 3 + [429] * 9
    assert await OutboundEmail.count().where(OutboundEmail.kind == "password_reset") == 3
    assert "Too many failed attempts" in answers[-1].text


async def test_one_address_asking_for_many_unknown_accounts_is_limited_like_a_known_one(app):
    async with _from(app, "203.0.113.7") as browser:
        answers = [
            await post_form(browser, "/password-reset", {"email": f"nobody{n}@nowhere.test"})
            for n in range(12)
        ]

    assert [a.status_code for a in answers] == [303] * 10 + [429] * 2
    assert await OutboundEmail.count() == 0
