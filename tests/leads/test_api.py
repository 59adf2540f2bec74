"""The leads JSON API contract: paths, field names, status codes."""

from __future__ import annotations

from portal.deals.lead_tables import Lead
from tests.factories import bearer_headers
from tests.leads.factories import make_lead, make_rule


async def test_the_website_posts_a_lead_and_it_is_offered_at_once(client, vera, alice):
    await make_rule(vera.current)
    headers = await bearer_headers(client, vera)
    body = {
        "company": "浙江某某制造有限公司",
        "contact_name": "陈先生",
        "phone": "13900001111",
        "province": "SH",
    }
    answer = await client.post("/api/v1/leads", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    lead = answer.json()
    assert lead["number"].startswith("LD-") and lead["number"].endswith(f"{lead['id']:06d}")
    assert (lead["status"], lead["partner_code"], lead["province"]) == (
        "offered",
        (await _partner_code(alice.partner_id)),
        "SH",
    )
    assert [h["outcome"] for h in lead["history"]] == [""]
    one = await client.get(f"/api/v1/leads/{lead['id']}", headers=headers)
    assert one.json()["company"] == "浙江某某制造有限公司"


async def _partner_code(partner_id: int) -> str:
    from portal.partners.tables import Partner

    row = await Partner.select(Partner.code).where(Partner.id == partner_id).first()
    return row["code"]


async def test_bad_input_answers_422_naming_the_fields(client, vera):
    headers = await bearer_headers(client, vera)
    body = {"company": "某公司", "contact_name": "陈", "province": "XX", "product_interest": "nope"}
    answer = await client.post("/api/v1/leads", json=body, headers=headers)
    assert answer.status_code == 422
    assert {"province", "phone", "product_interest"} <= set(answer.json()["fields"])
    missing = await client.post("/api/v1/leads", json={"company": "x"}, headers=headers)
    assert missing.status_code == 400 and missing.json()["error"]
    assert await Lead.count() == 0


async def test_a_partner_token_cannot_post_leads(client, alice):
    headers = await bearer_headers(client, alice)
    body = {"company": "某公司", "contact_name": "陈", "phone": "1", "province": "SH"}
    assert (await client.post("/api/v1/leads", json=body, headers=headers)).status_code == 403


async def test_the_partner_accepts_or_declines_and_sees_only_its_own(client, vera, alice, carol):
    await make_rule(vera.current)
    mine = await make_lead(vera.current, "SH")
    theirs = await make_lead(vera.current, "GD")
    headers = await bearer_headers(client, alice)
    listed = (await client.get("/api/v1/leads", headers=headers)).json()
    assert [item["id"] for item in listed["items"]] == [mine]
    assert listed["items"][0]["history"] is None
    assert (await client.get(f"/api/v1/leads/{theirs}", headers=headers)).status_code == 404
    refused = await client.post(f"/api/v1/leads/{theirs}/accept", headers=headers)
    assert refused.status_code == 404
    accepted = await client.post(f"/api/v1/leads/{mine}/accept", headers=headers)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted" and accepted.json()["customer_id"]
    again = await client.post(
        f"/api/v1/leads/{mine}/decline", json={"reason": "x"}, headers=headers
    )
    assert again.status_code == 409 and again.json()["error"]
    carol_headers = await bearer_headers(client, carol)
    declined = await client.post(
        f"/api/v1/leads/{theirs}/decline", json={"reason": "不做"}, headers=carol_headers
    )
    assert declined.status_code == 200 and declined.json()["outcome"] == "declined"
    gone = await client.get(f"/api/v1/leads/{theirs}", headers=carol_headers)
    assert gone.status_code == 404
