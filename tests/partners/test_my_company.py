"""The partner side: "My company" and the colleagues a partner admin manages."""

from __future__ import annotations

from portal.auth.constants import Role
from portal.auth.invitations import invite
from portal.auth.tables import AuthSession, Invitation, User
from portal.core.tables import OutboundEmail
from tests.personas import post_form


async def test_alice_sees_her_company_tier_credit_and_manager(as_user, alice, bob, manny):
    page = await (await as_user(alice)).get("/my-company")
    assert page.status_code == 200
    assert "华东智联科技有限公司" in page.text and "Gold" in page.text
    assert "50,000.00" in page.text
    assert manny.email in page.text and bob.email in page.text
    assert "Manage colleagues" in page.text


async def test_my_company_never_shows_internal_notes(as_user, bob, partner_a):
    from portal.partners.tables import Partner

    await Partner.update({Partner.notes: "late payer, watch closely"}).where(
        Partner.id == partner_a
    )
    page = await (await as_user(bob)).get("/my-company")
    assert page.status_code == 200 and "late payer" not in page.text


async def test_bob_cannot_manage_colleagues(as_user, bob, alice):
    client = await as_user(bob)
    assert (await client.get("/my-company/users")).status_code == 403
    assert (await client.get(f"/my-company/users/{alice.id}")).status_code == 403


async def test_vendor_staff_have_no_my_company(as_user, vera):
    assert (await (await as_user(vera)).get("/my-company")).status_code == 403


async def test_alice_invites_a_colleague_with_permissions(as_user, alice):
    client = await as_user(alice)
    data = {
        "email": "zhou@partner-a.test",
        "name": "周敏",
        "role": "partner_member",
        "can_purchasing": "on",
    }
    response = await post_form(client, "/my-company/users/invite", data)
    assert response.status_code == 303
    invitation = await Invitation.select().first()
    assert invitation["partner"] == alice.partner_id
    assert invitation["can_purchasing"] and not invitation["can_sales"]
    assert await OutboundEmail.exists().where(OutboundEmail.to_address == "zhou@partner-a.test")
    page = await client.get("/my-company/users")
    assert "zhou@partner-a.test" in page.text


async def test_inviting_a_taken_address_shows_the_error(as_user, alice, bob):
    data = {"email": bob.email, "role": "partner_member"}
    response = await post_form(await as_user(alice), "/my-company/users/invite", data)
    assert response.status_code == 400 and "already exists" in response.text
    assert await Invitation.count() == 0


async def test_alice_cannot_invite_vendor_staff(as_user, alice):
    data = {"email": "evil@partner-a.test", "role": "vendor_admin"}
    response = await post_form(await as_user(alice), "/my-company/users/invite", data)
    assert response.status_code == 400 and await Invitation.count() == 0


async def test_alice_changes_bob_permissions(as_user, alice, bob):
    client = await as_user(alice)
    assert (await client.get(f"/my-company/users/{bob.id}")).status_code == 200
    data = {"role": "partner_member", "can_sales": "on", "can_purchasing": "on", "is_active": "on"}
    response = await post_form(client, f"/my-company/users/{bob.id}", data)
    assert response.status_code == 303
    row = await User.select().where(User.id == bob.id).first()
    assert row["can_sales"] and row["can_purchasing"] and row["is_active"]


async def test_disabling_bob_ends_his_sessions(as_user, alice, bob):
    bob_client = await as_user(bob)
    response = await post_form(
        await as_user(alice), f"/my-company/users/{bob.id}", {"role": "partner_member"}
    )
    assert response.status_code == 303
    assert await AuthSession.count().where(AuthSession.user == bob.id) == 0
    assert (await bob_client.get("/")).status_code == 303


async def test_alice_cannot_demote_or_disable_herself(as_user, alice):
    data = {"role": "partner_member", "is_active": ""}
    response = await post_form(await as_user(alice), f"/my-company/users/{alice.id}", data)
    assert response.status_code == 400 and "cannot disable yourself" in response.text
    row = await User.select(User.role, User.is_active).where(User.id == alice.id).first()
    assert row == {"role": "partner_admin", "is_active": True}


async def test_carol_cannot_reach_alice_colleagues(as_user, carol, bob):
    client = await as_user(carol)
    assert (await client.get(f"/my-company/users/{bob.id}")).status_code == 404
    data = {"role": "partner_member", "is_active": ""}
    assert (await post_form(client, f"/my-company/users/{bob.id}", data)).status_code == 404
    assert (await User.select(User.is_active).where(User.id == bob.id).first())["is_active"]


async def test_carol_cannot_revoke_alice_invitation(as_user, alice, carol):
    invitation_id = await invite(
        actor=alice.current,
        email="x@partner-a.test",
        name="X",
        role=Role.PARTNER_MEMBER,
        partner_id=alice.partner_id,
    )
    response = await post_form(
        await as_user(carol), f"/my-company/invitations/{invitation_id}/revoke"
    )
    assert response.status_code == 404
    assert (await Invitation.select().first())["revoked_at"] is None


async def test_alice_revokes_her_invitation(as_user, alice):
    invitation_id = await invite(
        actor=alice.current,
        email="x@partner-a.test",
        name="X",
        role=Role.PARTNER_MEMBER,
        partner_id=alice.partner_id,
    )
    client = await as_user(alice)
    url = f"/my-company/invitations/{invitation_id}/revoke"
    page = await client.get(url)
    assert page.status_code == 200 and "x@partner-a.test" in page.text
    assert (await Invitation.select().first())["revoked_at"] is None
    response = await post_form(client, url, {"confirmed": "1"})
    assert response.status_code == 303
    assert (await Invitation.select().first())["revoked_at"] is not None
