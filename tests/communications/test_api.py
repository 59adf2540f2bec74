"""The communications JSON API: only addressed campaigns, answers with range checks (422)."""

from __future__ import annotations

from tests.communications.factories import make_campaign, make_request, question_ids
from tests.factories import bearer_headers


async def test_campaign_list_shows_only_those_addressed_to_the_partner(client, alice, carol, vera):
    mine = await make_campaign(vera.current, audience="partners", values=[str(alice.partner_id)])
    await make_campaign(vera.current, audience="partners", values=[str(carol.partner_id)])

    body = (
        await client.get("/api/v1/campaigns", headers=await bearer_headers(client, alice))
    ).json()

    assert [c["id"] for c in body["items"]] == [mine]
    detail = (
        await client.get(f"/api/v1/campaigns/{mine}", headers=await bearer_headers(client, alice))
    ).json()
    assert (
        detail["files"][0]["download_url"] == f"/campaigns/{mine}/files/{detail['files'][0]['id']}"
    )


async def test_foreign_campaign_is_404_on_the_api(client, alice, carol, vera):
    theirs = await make_campaign(vera.current, audience="partners", values=[str(carol.partner_id)])
    response = await client.get(
        f"/api/v1/campaigns/{theirs}", headers=await bearer_headers(client, alice)
    )
    assert response.status_code == 404
    assert response.json()["status"] == 404


async def test_answering_through_the_api(client, alice, vera):
    request_id = await make_request(vera.current)
    ids = await question_ids(request_id)
    headers = await bearer_headers(client, alice)

    listed = (await client.get("/api/v1/feedback-requests", headers=headers)).json()
    response = await client.post(
        f"/api/v1/feedback-requests/{request_id}/responses",
        json={
            "answers": [
                {"question_id": ids["nps"], "value": 10},
                {"question_id": ids["csat"], "value": 5},
            ]
        },
        headers=headers,
    )

    assert listed["items"][0]["questions"][0]["max"] == 10
    assert response.status_code == 201
    assert response.json()["request_id"] == request_id


async def test_an_out_of_range_answer_is_422_with_a_message(client, alice, vera):
    request_id = await make_request(vera.current)
    ids = await question_ids(request_id)
    response = await client.post(
        f"/api/v1/feedback-requests/{request_id}/responses",
        json={
            "answers": [
                {"question_id": ids["nps"], "value": 11},
                {"question_id": ids["csat"], "value": 0},
            ]
        },
        headers=await bearer_headers(client, alice),
    )
    body = response.json()
    assert response.status_code == 422
    assert body["questions"][str(ids["nps"])] == "Choose a score from 0 to 10."
    assert body["questions"][str(ids["csat"])] == "Choose a score from 1 to 5."


async def test_a_malformed_body_is_400_not_500(client, alice, vera):
    request_id = await make_request(vera.current)
    response = await client.post(
        f"/api/v1/feedback-requests/{request_id}/responses",
        json={"answers": "nope"},
        headers=await bearer_headers(client, alice),
    )
    assert response.status_code == 400


async def test_carol_cannot_answer_a_request_for_partner_a(client, alice, carol, vera):
    request_id = await make_request(
        vera.current, audience="partners", values=[str(alice.partner_id)]
    )
    response = await client.post(
        f"/api/v1/feedback-requests/{request_id}/responses",
        json={"answers": []},
        headers=await bearer_headers(client, carol),
    )
    assert response.status_code == 404
