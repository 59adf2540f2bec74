"""The vendor console's partner pages: list, create, edit, detail, tier, suspend, invitations."""

from __future__ import annotations

import pytest

from portal.auth.tables import AuthSession, Invitation
from portal.core.tables import AuditEntry, OutboundEmail
from portal.partners.schemas import PartnerChanges
from portal.partners.tables import Partner, TierChange
from tests.factories import make_partner, tier_id
from tests.personas import post_form

NEW_PARTNER = {
    "name": "杭州新锐科技",
    "name_en": "Hangzhou Xinrui",
    "kind": "dealer",
    "province": "ZJ",
    "city": "杭州",
    "credit_limit": "120,000.50",
    "locale": "zh_CN",
    "joined_on": "2025-01-15",
}


async def test_vera_lists_every_partner(as_user, vera, partner_a, partner_b):
    page = await (await as_user(vera)).get("/console/partners")
    assert page.status_code == 200
    assert "华东智联科技有限公司" in page.text and "岭南优品贸易有限公司" in page.text


async def test_manny_sees_only_his_partners(as_user, manny, partner_a, partner_b):
    client = await as_user(manny)
    page = await client.get("/console/partners")
    assert "华东智联科技有限公司" in page.text and "岭南优品贸易有限公司" not in page.text
    assert (await client.get(f"/console/partners/{partner_b}")).status_code == 404
    assert (await client.get(f"/console/partners/{partner_b}/edit")).status_code == 404


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"q": "Partner B"}, "岭南", "华东"),
        ({"tier": "silver"}, "岭南", "华东"),
        ({"kind": "dealer"}, "华东", "岭南"),
        ({"province": "SH"}, "华东", "岭南"),
    ],
)
async def test_vera_filters_the_list(as_user, vera, partner_a, partner_b, query, shown, hidden):
    page = await (await as_user(vera)).get("/console/partners", params=query)
    assert shown in page.text and hidden not in page.text


async def test_list_filters_by_status_and_channel_manager(
    as_user, vera, manny, partner_a, partner_b
):
    await Partner.update({Partner.status: "suspended"}).where(Partner.id == partner_b)
    client = await as_user(vera)
    suspended = await client.get("/console/partners", params={"status": "suspended"})
    assert "岭南" in suspended.text and "华东" not in suspended.text
    managed = await client.get("/console/partners", params={"manager": manny.id})
    assert "华东" in managed.text and "岭南" not in managed.text


async def test_list_is_paginated(as_user, vera):
    for n in range(27):
        await make_partner(name=f"分页伙伴 {n:02d}")
    client = await as_user(vera)
    first = await client.get("/console/partners")
    second = await client.get("/console/partners", params={"page": 2})
    assert "1–25 of 27" in first.text and 'rel="next"' in first.text
    assert "26–27 of 27" in second.text and "分页伙伴 26" in second.text


async def test_an_empty_search_says_so(as_user, vera, partner_a):
    page = await (await as_user(vera)).get("/console/partners", params={"q": "nothing-like-this"})
    assert page.status_code == 200 and "No partners match these filters." in page.text


async def test_a_bad_page_number_is_ignored_and_a_manager_no_user_can_be_is_not_found(
    as_user, vera, partner_a
):
    client = await as_user(vera)
    page = await client.get("/console/partners?page=abc")
    assert page.status_code == 200 and "华东" in page.text
    # an id that no row can have (issue 14 point 7): as unknown as a missing one
    assert (await client.get("/console/partners?manager=x")).status_code == 404


async def test_anonymous_is_sent_to_login(client, partner_a):
    response = await client.get(f"/console/partners/{partner_a}")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=/console/partners/")


async def test_vera_creates_a_partner(as_user, vera, manny):
    client = await as_user(vera)
    data = {**NEW_PARTNER, "tier_id": await tier_id("silver"), "channel_manager_id": manny.id}
    response = await post_form(client, "/console/partners/new", data)
    assert response.status_code == 303
    partner = await Partner.select().where(Partner.name == "杭州新锐科技").first()
    assert partner["credit_limit_amount"] == 12_000_050
    assert partner["channel_manager_id"] == manny.id and str(partner["joined_on"]) == "2025-01-15"
    assert response.headers["location"] == f"/console/partners/{partner['id']}"
    assert await TierChange.count().where(TierChange.partner == partner["id"]) == 1


async def test_invalid_partner_form_shows_errors_beside_the_fields(as_user, vera):
    client = await as_user(vera)
    data = {**NEW_PARTNER, "name": "", "credit_limit": "12.345", "tier_id": await tier_id()}
    response = await post_form(client, "/console/partners/new", data)
    assert response.status_code == 400
    assert "This field is required." in response.text
    assert "Use at most two decimal places." in response.text
    assert 'value="杭州"' in response.text  # what was typed stays
    assert await Partner.count() == 0


async def test_an_unknown_province_is_refused_by_the_service(as_user, vera):
    data = {**NEW_PARTNER, "province": "XX", "tier_id": await tier_id()}
    response = await post_form(await as_user(vera), "/console/partners/new", data)
    assert response.status_code == 400 and "Choose one of the options." in response.text
    assert await Partner.count() == 0


async def test_manny_cannot_create_partners(as_user, manny):
    client = await as_user(manny)
    response = await post_form(client, "/console/partners/new", {**NEW_PARTNER, "tier_id": 1})
    assert response.status_code == 403


async def test_vera_edits_a_partner_and_the_credit_change_is_audited(as_user, vera, partner_a):
    client = await as_user(vera)
    form = await client.get(f"/console/partners/{partner_a}/edit")
    assert 'value="50000.00"' in form.text
    data = {**NEW_PARTNER, "name": "华东智联", "credit_limit": "90000", "tier_id": await tier_id()}
    response = await post_form(client, f"/console/partners/{partner_a}/edit", data)
    assert response.status_code == 303
    row = await Partner.select().where(Partner.id == partner_a).first()
    assert row["name"] == "华东智联" and row["credit_limit_amount"] == 9_000_000
    assert await AuditEntry.exists().where(AuditEntry.action == "partner.credit_limit_change")


async def test_changing_the_tier_in_the_edit_form_needs_a_reason(as_user, vera, partner_a):
    client = await as_user(vera)
    data = {**NEW_PARTNER, "name": "改名", "tier_id": await tier_id("platinum")}
    response = await post_form(client, f"/console/partners/{partner_a}/edit", data)
    assert response.status_code == 400 and "Say why the tier changes." in response.text
    row = await Partner.select(Partner.name).where(Partner.id == partner_a).first()
    assert row["name"] != "改名"  # the whole edit was rolled back


async def test_manny_edits_only_the_contact_of_his_partner(as_user, manny, partner_a):
    client = await as_user(manny)
    form = await client.get(f"/console/partners/{partner_a}/edit")
    assert 'name="contact_phone"' in form.text and 'name="credit_limit"' not in form.text
    data = {"contact_phone": "021-1234", "credit_limit": "99999999", "name": "Hijacked"}
    response = await post_form(client, f"/console/partners/{partner_a}/edit", data)
    assert response.status_code == 303
    row = await Partner.select().where(Partner.id == partner_a).first()
    assert row["contact_phone"] == "021-1234"
    assert row["credit_limit_amount"] == 50_000_00 and row["name"] != "Hijacked"


async def test_detail_shows_data_history_users_and_audit_link(as_user, vera, alice, partner_a):
    page = await (await as_user(vera)).get(f"/console/partners/{partner_a}")
    assert page.status_code == 200
    assert "华东智联科技有限公司" in page.text and alice.email in page.text
    assert "Partner administrator" in page.text and "Initial tier" in page.text
    assert f'href="/console/audit?partner_id={partner_a}"' in page.text


async def test_tier_change_keeps_history_with_the_reason(as_user, vera, partner_a):
    client = await as_user(vera)
    url = f"/console/partners/{partner_a}/tier"
    data = {"tier_id": await tier_id("platinum"), "tier_reason": "Q3 revenue above target"}
    assert (await post_form(client, url, data)).status_code == 303
    change = await TierChange.select().order_by(TierChange.id, ascending=False).first()
    assert change["reason"] == "Q3 revenue above target" and change["changed_by_id"] == vera.id
    page = await client.get(f"/console/partners/{partner_a}")
    assert "Q3 revenue above target" in page.text and "Vera" in page.text


async def test_tier_change_without_reason_is_refused(as_user, vera, partner_a):
    client = await as_user(vera)
    data = {"tier_id": await tier_id("platinum"), "tier_reason": ""}
    response = await post_form(client, f"/console/partners/{partner_a}/tier", data)
    assert response.status_code == 400 and "Say why the tier changes." in response.text
    assert await TierChange.count().where(TierChange.partner == partner_a) == 1


async def test_manny_cannot_change_tiers_or_suspend(as_user, manny, partner_a):
    client = await as_user(manny)
    data = {"tier_id": await tier_id("platinum"), "tier_reason": "why not"}
    assert (await post_form(client, f"/console/partners/{partner_a}/tier", data)).status_code == 403
    suspend = await post_form(client, f"/console/partners/{partner_a}/suspend", {"reason": "x"})
    assert suspend.status_code == 403


async def test_suspending_a_partner_signs_its_users_out(as_user, vera, alice, partner_a):
    alice_client = await as_user(alice)
    assert (await alice_client.get("/my-company")).status_code == 200
    response = await post_form(
        await as_user(vera), f"/console/partners/{partner_a}/suspend", {"reason": "Unpaid invoices"}
    )
    assert response.status_code == 303
    after = await alice_client.get("/my-company")
    assert after.status_code == 303 and after.headers["location"].startswith("/login")
    assert await AuthSession.count().where(AuthSession.user == alice.id) == 0


async def test_suspending_needs_a_reason(as_user, vera, partner_a):
    response = await post_form(await as_user(vera), f"/console/partners/{partner_a}/suspend", {})
    assert response.status_code == 400 and "Say why the partner is suspended." in response.text
    row = await Partner.select(Partner.status).where(Partner.id == partner_a).first()
    assert row["status"] == "active"


async def test_vera_reactivates_a_partner(as_user, vera, partner_a):
    await Partner.update({Partner.status: "suspended"}).where(Partner.id == partner_a)
    response = await post_form(await as_user(vera), f"/console/partners/{partner_a}/reactivate")
    assert response.status_code == 303
    row = await Partner.select(Partner.status).where(Partner.id == partner_a).first()
    assert row["status"] == "active"
    assert await AuditEntry.exists().where(AuditEntry.action == "partner.reactivate")


async def test_vera_invites_the_first_partner_admin(as_user, vera, partner_b):
    data = {"email": "boss@partner-b.test", "name": "Boss", "role": "partner_admin"}
    response = await post_form(
        await as_user(vera), f"/console/partners/{partner_b}/invitations", data
    )
    assert response.status_code == 303
    invitation = await Invitation.select().first()
    assert invitation["partner"] == partner_b and invitation["role"] == "partner_admin"
    assert await OutboundEmail.exists().where(OutboundEmail.to_address == "boss@partner-b.test")


async def test_a_vendor_role_cannot_be_invited_into_a_partner(as_user, vera, partner_b):
    data = {"email": "x@partner-b.test", "role": "vendor_admin"}
    response = await post_form(
        await as_user(vera), f"/console/partners/{partner_b}/invitations", data
    )
    assert response.status_code == 400 and await Invitation.count() == 0


async def test_manny_cannot_invite_into_a_partner_outside_his_scope(as_user, manny, partner_b):
    data = {"email": "x@partner-b.test", "role": "partner_admin"}
    response = await post_form(
        await as_user(manny), f"/console/partners/{partner_b}/invitations", data
    )
    assert response.status_code == 404 and await Invitation.count() == 0


async def test_vera_revokes_an_open_invitation(as_user, vera, partner_a):
    client = await as_user(vera)
    data = {"email": "late@partner-a.test", "role": "partner_member"}
    await post_form(client, f"/console/partners/{partner_a}/invitations", data)
    invitation = await Invitation.select(Invitation.id).first()
    url = f"/console/partners/{partner_a}/invitations/{invitation['id']}/revoke"
    asked = await post_form(client, url)  # the partner page's button: asks first
    assert asked.status_code == 200 and "late@partner-a.test" in asked.text
    assert (await Invitation.select(Invitation.revoked_at).first())["revoked_at"] is None
    assert (await post_form(client, url, {"confirmed": "1"})).status_code == 303
    row = await Invitation.select(Invitation.revoked_at).first()
    assert row["revoked_at"] is not None


async def test_vera_exports_the_filtered_partner_list_to_excel(as_user, vera, partner_a, partner_b):
    import io

    from openpyxl import load_workbook

    from portal.core.tables import AuditEntry
    from portal.partners.services import update_partner
    from portal.partners.tables import Partner

    # a name that a spreadsheet would run as a formula
    row = await Partner.select().where(Partner.id == partner_b).first()
    await update_partner(vera.current, row, PartnerChanges(name='=HYPERLINK("http://x")'))
    client = await as_user(vera)
    response = await client.get("/console/partners/export.xlsx", params={"kind": "distributor"})
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ['\'=HYPERLINK("http://x")']  # partner A is a dealer, filtered out
    assert await AuditEntry.exists().where(AuditEntry.action == "partner.export")


async def test_manny_exports_only_his_partners(as_user, manny, partner_a, partner_b):
    import io

    from openpyxl import load_workbook

    client = await as_user(manny)
    response = await client.get("/console/partners/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 2  # header + partner A
