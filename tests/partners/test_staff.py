"""Vendor staff in the console: vendor admins invite, change roles, disable and enable."""

from __future__ import annotations

from portal.auth.constants import Role
from portal.auth.invitations import invite
from portal.auth.tables import AuthSession, Invitation, User
from tests.personas import post_form


async def test_vera_lists_the_vendor_staff_but_no_partner_users(as_user, vera, manny, alice):
    page = await (await as_user(vera)).get("/console/staff")
    assert page.status_code == 200
    assert manny.email in page.text and alice.email not in page.text


async def test_manny_cannot_manage_staff(as_user, manny, vera):
    client = await as_user(manny)
    assert (await client.get("/console/staff")).status_code == 403
    data = {"role": "channel_manager", "is_active": ""}
    assert (await post_form(client, f"/console/staff/{vera.id}", data)).status_code == 403


async def test_vera_invites_a_channel_manager(as_user, vera):
    data = {"email": "new.manager@vendor.test", "name": "New", "role": "channel_manager"}
    response = await post_form(await as_user(vera), "/console/staff/invite", data)
    assert response.status_code == 303
    invitation = await Invitation.select().first()
    assert invitation["partner"] is None and invitation["role"] == "channel_manager"


async def test_staff_cannot_be_invited_with_a_partner_role(as_user, vera):
    data = {"email": "odd@vendor.test", "role": "partner_admin"}
    response = await post_form(await as_user(vera), "/console/staff/invite", data)
    assert response.status_code == 400 and "needs a partner" in response.text
    assert await Invitation.count() == 0


async def test_vera_disables_and_enables_manny(as_user, vera, manny):
    manny_client = await as_user(manny)
    client = await as_user(vera)
    disabled = await post_form(client, f"/console/staff/{manny.id}", {"role": "channel_manager"})
    assert disabled.status_code == 303
    assert await AuthSession.count().where(AuthSession.user == manny.id) == 0
    assert (await manny_client.get("/console/partners")).status_code == 303
    data = {"role": "channel_manager", "is_active": "on"}
    assert (await post_form(client, f"/console/staff/{manny.id}", data)).status_code == 303
    assert (await User.select(User.is_active).where(User.id == manny.id).first())["is_active"]


async def test_vera_promotes_manny_to_vendor_admin(as_user, vera, manny):
    data = {"role": "vendor_admin", "is_active": "on"}
    assert (
        await post_form(await as_user(vera), f"/console/staff/{manny.id}", data)
    ).status_code == 303
    assert (await User.select(User.role).where(User.id == manny.id).first())[
        "role"
    ] == "vendor_admin"


async def test_partner_users_are_not_staff(as_user, vera, alice):
    data = {"role": "partner_member", "is_active": ""}
    response = await post_form(await as_user(vera), f"/console/staff/{alice.id}", data)
    assert response.status_code == 404
    assert (await User.select(User.is_active).where(User.id == alice.id).first())["is_active"]


async def test_vera_revokes_a_staff_invitation_but_not_a_partner_one(as_user, vera, alice):
    staff_invite = await invite(
        actor=vera.current,
        email="s@vendor.test",
        name="S",
        role=Role.CHANNEL_MANAGER,
        partner_id=None,
    )
    partner_invite = await invite(
        actor=alice.current,
        email="p@partner-a.test",
        name="P",
        role=Role.PARTNER_MEMBER,
        partner_id=alice.partner_id,
    )
    client = await as_user(vera)
    assert (
        await post_form(
            client, f"/console/staff/invitations/{staff_invite}/revoke", {"confirmed": "1"}
        )
    ).status_code == 303
    assert (
        await post_form(client, f"/console/staff/invitations/{partner_invite}/revoke")
    ).status_code == 404
