"""An end customer's response to a campaign (the public response form) becomes a lead with
source "campaign", routed to a partner at once, and only once however often it is sent."""

from __future__ import annotations

import datetime as dt

from portal.communications.campaigns.response_pages import RESPONSES_PER_HOUR
from portal.communications.campaigns.responses import response_path
from portal.deals.lead_tables import Lead, LeadOffer
from portal.lib.clock import today
from tests.communications.factories import make_campaign
from tests.leads.factories import make_rule
from tests.personas import post_form

RESPONSE = {
    "company": "杭州响应科技有限公司",
    "contact_name": "李女士",
    "phone": "138 0013 8000",
    "email": "li@xiangying.cn",
    "province": "SH",
    "city": "上海",
    "note": "想了解园区摄像机",
}


async def test_a_response_becomes_one_routed_campaign_lead(vera, alice, client):
    # given a published campaign and a routing rule taking Shanghai leads
    await make_rule(vera.current)
    campaign_id = await make_campaign(vera.current)
    form = await client.get(response_path(campaign_id))
    assert form.status_code == 200 and "Tell us about your project" in form.text
    assert "Spring promotion" not in form.text and "10% off" not in form.text  # partners' text
    # when an end customer (not signed in) sends the form, then sends it again
    sent = await post_form(client, response_path(campaign_id), RESPONSE)
    assert sent.status_code == 303
    thanks = await client.get(sent.headers["location"])
    assert thanks.status_code == 200 and "partner near you" in thanks.text
    again = await post_form(
        client, response_path(campaign_id), {**RESPONSE, "phone": "13800138000"}
    )
    assert again.status_code == 303
    # then there is one lead, from the campaign, offered to alice's partner once
    leads = await Lead.select()
    assert len(leads) == 1
    lead = leads[0]
    assert (lead["company"], lead["source"], lead["status"], lead["partner"]) == (
        "杭州响应科技有限公司",
        "campaign",
        "offered",
        alice.partner_id,
    )
    assert f"#{campaign_id}" in lead["note"]
    assert await LeadOffer.count() == 1


async def test_another_response_to_the_same_campaign_is_another_lead(vera, client):
    campaign_id = await make_campaign(vera.current)
    for company in ("甲方响应有限公司", "乙方响应有限公司"):
        sent = await post_form(client, response_path(campaign_id), {**RESPONSE, "company": company})
        assert sent.status_code == 303
    assert await Lead.count() == 2


async def test_a_response_without_a_way_to_reach_is_refused_beside_the_fields(vera, client):
    campaign_id = await make_campaign(vera.current)
    response = await post_form(
        client,
        response_path(campaign_id),
        {**RESPONSE, "phone": "", "email": "", "province": "XX"},
    )
    assert response.status_code == 400
    assert 'id="e-f-phone"' in response.text and 'id="e-f-province"' in response.text
    assert await Lead.count() == 0


async def test_a_draft_or_ended_campaign_takes_no_response(vera, client, time_travel):
    draft = await make_campaign(vera.current, publish=False)
    ended = await make_campaign(vera.current, ends_on=today() + dt.timedelta(days=1))
    time_travel.move_to(
        dt.datetime.combine(today() + dt.timedelta(days=3), dt.time(4, tzinfo=dt.UTC))
    )
    for campaign_id in (draft, ended):
        assert (await client.get(response_path(campaign_id))).status_code == 404
        sent = await post_form(client, response_path(campaign_id), RESPONSE)
        assert sent.status_code == 404
    assert await Lead.count() == 0


async def test_a_link_without_the_campaigns_key_finds_nothing(vera, client):
    # campaign ids run in sequence: the link carries a key, so counting ids finds no form
    campaign_id = await make_campaign(vera.current)
    for path in (
        f"/campaigns/{campaign_id}/respond/0123456789abcdef0123",
        response_path(campaign_id + 1).replace(str(campaign_id + 1), str(campaign_id), 1),
    ):
        assert (await client.get(path)).status_code == 404
        assert (await post_form(client, path, RESPONSE)).status_code == 404
    assert await Lead.count() == 0


async def test_one_address_sending_many_responses_is_stopped_and_told_why(vera, client):
    # given a published campaign and one client address
    campaign_id = await make_campaign(vera.current)
    answers = []
    # when it sends more responses in an hour than a person would
    for n in range(RESPONSES_PER_HOUR + 2):
        sent = await post_form(
            client, response_path(campaign_id), {**RESPONSE, "company": f"第{n}号公司"}
        )
        answers.append(sent.status_code)
    # then the first ones become leads and the rest are refused with a message, writing nothing
    assert answers[:RESPONSES_PER_HOUR] == [303] * RESPONSES_PER_HOUR
    assert answers[RESPONSES_PER_HOUR:] == [429, 429]
    assert "Too many responses from your network" in sent.text
    assert await Lead.count() == RESPONSES_PER_HOUR


async def test_partners_and_the_vendor_see_the_link_to_pass_on(vera, alice, client, as_user):
    campaign_id = await make_campaign(vera.current)
    partner_page, console_page = f"/campaigns/{campaign_id}", f"/console/campaigns/{campaign_id}"
    for persona, path in ((alice, partner_page), (vera, console_page)):
        page = await (await as_user(persona)).get(path)
        assert page.status_code == 200
        assert f"http://testserver.local{response_path(campaign_id)}" in page.text
