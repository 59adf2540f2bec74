"""The applicant is told (receipt, decline with the reason) in the application's language, and
declining asks first, naming who will be e-mailed (issue 12, points 13 and 14)."""

from __future__ import annotations

from portal.core.tables import OutboundEmail
from portal.lib import jobs
from portal.partners.tables import PartnerApplication
from tests.partners.test_applications import APPLICATION, _submit
from tests.personas import post_form


async def _mails(kind: str) -> list[dict]:
    return await OutboundEmail.select().where(OutboundEmail.kind == kind)


async def _status(application_id: int) -> str:
    row = await PartnerApplication.select().where(PartnerApplication.id == application_id).first()
    return str(row["status"])


async def test_the_applicant_gets_a_receipt_in_the_language_of_the_form(client):
    await post_form(client, "/language", {"locale": "zh_CN", "next": "/"})
    await _submit(client)
    await jobs.drain()

    (mail,) = await _mails("application_received")
    assert mail["to_address"] == "zhou@xinxing.test"
    assert "深圳新星电子有限公司" in mail["subject"] and "我们已收到" in mail["subject"]
    assert mail["status"] == "sent"


async def test_declining_does_nothing_until_confirmed(as_user, client, vera):
    application_id = await _submit(client)
    console = await as_user(vera)
    url = f"/console/applications/{application_id}/decline"

    page = await console.get(url)
    posted = await post_form(console, url, {"reason": "Outside our regions"})
    await jobs.drain()

    assert page.status_code == 200 and "zhou@xinxing.test" in page.text
    assert "will be e-mailed" in page.text
    assert posted.status_code == 200 and "Outside our regions" in posted.text  # kept, not sent
    assert await _status(application_id) == "pending"
    assert await _mails("application_declined") == []


async def test_a_confirmed_decline_emails_the_reason_once(as_user, client, vera):
    application_id = await _submit(client)  # an English form
    console = await as_user(vera)
    url = f"/console/applications/{application_id}/decline"
    data = {"reason": "Outside our sales regions", "confirmed": "1"}

    first = await post_form(console, url, data)
    again = await post_form(console, url, data)  # a second tab, a retried POST
    await jobs.drain()

    assert first.status_code == 303 and again.status_code == 400
    assert await _status(application_id) == "declined"
    (mail,) = await _mails("application_declined")
    assert mail["to_address"] == "zhou@xinxing.test"
    assert "Outside our sales regions" in mail["body_text"]
    assert "not able to accept" in mail["body_text"]  # English, as the form was


async def test_the_decline_email_speaks_the_applicants_language(as_user, client, vera):
    await post_form(client, "/language", {"locale": "zh_CN", "next": "/"})
    application_id = await _submit(client, company_name="华南测试有限公司")
    url = f"/console/applications/{application_id}/decline"
    await post_form(await as_user(vera), url, {"reason": "暂不拓展华南", "confirmed": "1"})
    await jobs.drain()

    (mail,) = await _mails("application_declined")
    assert "暂不拓展华南" in mail["body_text"] and "经审核" in mail["body_text"]


async def test_the_confirmation_asks_in_chinese(as_user, client, vera):
    application_id = await _submit(client)
    console = await as_user(vera)
    await post_form(console, "/language", {"locale": "zh_CN", "next": "/"})

    page = await console.get(f"/console/applications/{application_id}/decline")

    assert f"拒绝 {APPLICATION['company_name']} 的申请？" in page.text
    assert "系统将向 周敏（zhou@xinxing.test）发送邮件" in page.text
