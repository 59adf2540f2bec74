"""The public "Become a partner" form and the review of applications in the console."""

from __future__ import annotations

from portal.auth.tables import Invitation
from portal.core.tables import AuditEntry, OutboundEmail
from portal.partners.tables import Partner, PartnerApplication
from tests.factories import tier_id
from tests.personas import post_form

APPLICATION = {
    "company_name": "深圳新星电子有限公司",
    "kind": "dealer",
    "province": "GD",
    "city": "深圳",
    "contact_name": "周敏",
    "contact_email": "Zhou@Xinxing.test",
    "message": "We sell laptops.",
}


async def _submit(client, **changes) -> int:
    response = await post_form(client, "/apply", {**APPLICATION, **changes})
    assert response.status_code == 303, response.text
    row = (
        await PartnerApplication.select(PartnerApplication.id)
        .order_by(PartnerApplication.id, ascending=False)
        .first()
    )
    return int(row["id"])


async def test_anyone_applies_to_become_a_partner(client):
    form = await client.get("/apply")
    assert form.status_code == 200 and 'name="company_name"' in form.text
    response = await post_form(client, "/apply", APPLICATION)
    assert response.status_code == 303 and response.headers["location"] == "/apply/thanks"
    row = await PartnerApplication.select().first()
    assert row["status"] == "pending" and row["contact_email"] == "zhou@xinxing.test"
    thanks = await client.get("/apply/thanks")
    assert "Thank you! Your application has been received." in thanks.text


async def test_application_errors_show_beside_the_fields(client):
    data = {**APPLICATION, "company_name": "", "contact_email": "not-an-address"}
    response = await post_form(client, "/apply", data)
    assert response.status_code == 400
    assert "This field is required." in response.text
    assert "Enter a valid e-mail address." in response.text
    assert await PartnerApplication.count() == 0


async def test_application_with_an_unknown_province_is_refused(client):
    response = await post_form(client, "/apply", {**APPLICATION, "province": "ZZ"})
    assert response.status_code == 400 and "Choose one of the options." in response.text
    assert await PartnerApplication.count() == 0


async def test_application_keeps_the_visitor_language(client):
    await _submit(client, contact_email="zh@xinxing.test")
    client.cookies.set("lang", "zh_CN")
    await _submit(client, contact_email="zh2@xinxing.test")
    locales = [
        r["locale"]
        for r in await PartnerApplication.select(PartnerApplication.locale).order_by(
            PartnerApplication.id
        )
    ]
    assert locales == ["en", "zh_CN"]


async def test_applications_list_filters_by_status(as_user, client, vera):
    application_id = await _submit(client)
    await PartnerApplication.update({PartnerApplication.status: "declined"}).where(
        PartnerApplication.id == application_id
    )
    await _submit(client, company_name="成都天府贸易")
    console = await as_user(vera)
    pending = await console.get("/console/applications")
    assert "成都天府贸易" in pending.text and "深圳新星" not in pending.text
    declined = await console.get("/console/applications", params={"status": "declined"})
    assert "深圳新星" in declined.text and "成都天府贸易" not in declined.text


async def test_approving_creates_the_partner_and_invites_its_admin(as_user, client, vera, manny):
    application_id = await _submit(client)
    data = {"tier_id": await tier_id("registered"), "channel_manager_id": manny.id}
    response = await post_form(
        await as_user(vera), f"/console/applications/{application_id}/approve", data
    )
    assert response.status_code == 303
    partner = await Partner.select().where(Partner.name == "深圳新星电子有限公司").first()
    assert partner["channel_manager_id"] == manny.id and partner["province"] == "GD"
    assert response.headers["location"] == f"/console/partners/{partner['id']}"
    invitation = await Invitation.select().first()
    assert invitation["partner"] == partner["id"] and invitation["role"] == "partner_admin"
    mail = await OutboundEmail.select().where(OutboundEmail.kind == "invitation").first()
    assert mail["to_address"] == "zhou@xinxing.test"


async def test_an_application_is_approved_only_once(as_user, client, vera):
    application_id = await _submit(client)
    console = await as_user(vera)
    url = f"/console/applications/{application_id}/approve"
    data = {"tier_id": await tier_id("registered")}
    assert (await post_form(console, url, data)).status_code == 303
    again = await post_form(console, url, data)
    assert again.status_code == 400 and "already been reviewed" in again.text
    assert await Partner.count() == 1


async def test_declining_keeps_the_reason(as_user, client, vera):
    application_id = await _submit(client)
    console = await as_user(vera)
    url = f"/console/applications/{application_id}/decline"
    response = await post_form(
        console, url, {"reason": "Outside our sales regions", "confirmed": "1"}
    )
    assert response.status_code == 303
    row = await PartnerApplication.select().where(PartnerApplication.id == application_id).first()
    assert row["status"] == "declined" and row["decline_reason"] == "Outside our sales regions"
    page = await console.get(f"/console/applications/{application_id}")
    assert "Outside our sales regions" in page.text
    assert await AuditEntry.exists().where(AuditEntry.action == "application.decline")


async def test_declining_without_a_reason_is_refused(as_user, client, vera):
    application_id = await _submit(client)
    url = f"/console/applications/{application_id}/decline"
    response = await post_form(await as_user(vera), url, {"reason": " ", "confirmed": "1"})
    assert response.status_code == 400 and "Say why the application is declined." in response.text
    row = await PartnerApplication.select().where(PartnerApplication.id == application_id).first()
    assert row["status"] == "pending"


async def test_manny_reads_applications_but_cannot_decide(as_user, client, manny):
    application_id = await _submit(client)
    console = await as_user(manny)
    page = await console.get(f"/console/applications/{application_id}")
    assert page.status_code == 200 and "Approve and invite" not in page.text
    url = f"/console/applications/{application_id}/decline"
    assert (await post_form(console, url, {"reason": "no"})).status_code == 403


async def test_partners_cannot_see_applications(as_user, client, alice):
    application_id = await _submit(client)
    response = await (await as_user(alice)).get(f"/console/applications/{application_id}")
    assert response.status_code == 403


async def test_an_unknown_application_is_404(as_user, vera):
    assert (await (await as_user(vera)).get("/console/applications/999")).status_code == 404
