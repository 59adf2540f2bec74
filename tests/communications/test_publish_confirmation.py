"""Publishing a campaign asks first and names the people it will e-mail (issue 12, point 13)."""

from __future__ import annotations

from portal.communications.campaigns.tables import Campaign
from portal.core.tables import OutboundEmail
from portal.lib import jobs
from tests.communications.factories import make_campaign
from tests.factories import make_user
from tests.personas import post_form


async def _status(campaign_id: int) -> str:
    row = await Campaign.select(Campaign.status).where(Campaign.id == campaign_id).first()
    return str(row["status"])


async def test_publishing_does_nothing_until_confirmed(as_user, vera, alice, bob, carol):
    campaign_id = await make_campaign(vera.current, publish=False, files=0)
    client = await as_user(vera)

    asked = await client.get(f"/console/campaigns/{campaign_id}/publish?when=now")
    posted = await post_form(client, f"/console/campaigns/{campaign_id}/publish", {"when": "now"})
    await jobs.drain()

    assert asked.status_code == 200 and "Publish “Spring promotion”?" in asked.text
    assert posted.status_code == 200 and 'name="confirmed" value="1"' in posted.text
    assert await _status(campaign_id) == "draft"
    assert await OutboundEmail.count().where(OutboundEmail.kind == "campaign_published") == 0


async def test_the_count_shown_is_the_number_of_emails_queued(as_user, vera, alice, bob, carol):
    # given three users at partners A and B, one of them disabled, and vendor staff
    await make_user("partner_member", alice.partner_id, "off@partner-a.test")
    from portal.auth.tables import User

    await User.update({User.is_active: False}).where(User.email == "off@partner-a.test")
    campaign_id = await make_campaign(vera.current, publish=False, files=0)
    client = await as_user(vera)

    asked = await client.get(f"/console/campaigns/{campaign_id}/publish")
    done = await post_form(
        client, f"/console/campaigns/{campaign_id}/publish", {"when": "now", "confirmed": "1"}
    )
    await jobs.drain()

    assert "3 people at 2 partners will be e-mailed" in asked.text  # alice, bob, carol
    assert done.status_code == 303 and await _status(campaign_id) == "published"
    queued = await OutboundEmail.select(OutboundEmail.to_address).where(
        OutboundEmail.kind == "campaign_published"
    )
    assert sorted(m["to_address"] for m in queued) == sorted([alice.email, bob.email, carol.email])


async def test_the_chinese_confirmation_names_the_people_in_chinese(as_user, vera, alice, carol):
    campaign_id = await make_campaign(
        vera.current, publish=False, files=0, audience="tier", values=["gold"]
    )
    client = await as_user(vera)
    await post_form(client, "/language", {"locale": "zh_CN", "next": "/"})

    asked = await client.get(f"/console/campaigns/{campaign_id}/publish")

    assert "发布“春季促销”？" in asked.text
    assert "将向 1 家合作伙伴的 1 人发送邮件" in asked.text  # gold: partner A's alice only


async def test_a_published_campaign_is_not_offered_again(as_user, vera):
    campaign_id = await make_campaign(vera.current, files=0)
    response = await (await as_user(vera)).get(f"/console/campaigns/{campaign_id}/publish")
    assert response.status_code == 400 and "cannot be published any more" in response.text
