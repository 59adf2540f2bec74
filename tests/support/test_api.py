"""The cases JSON API: list, open, read, reply; the tenant wall and internal notes."""

from __future__ import annotations

from portal.support import services
from tests.factories import bearer_headers
from tests.support.factories import make_case


async def test_a_partner_opens_a_case_through_the_api(client, alice, partner_a):
    headers = await bearer_headers(client, alice)

    response = await client.post(
        "/api/v1/cases",
        json={
            "category": "billing",
            "priority": "high",
            "subject": "Invoice 2026-11 is missing",
            "description": "We did not receive the November invoice.",
        },
        headers=headers,
    )

    assert response.status_code == 201
    body = response.json()
    assert body["number"].startswith("CS-")
    assert body["status"] == "new"
    assert body["channel"] == "api"
    assert body["first_response"]["due_at"]
    assert body["first_response"]["business_minutes_left"] is not None


async def test_bad_input_answers_422_with_a_readable_message(client, alice):
    headers = await bearer_headers(client, alice)

    wrong_category = await client.post(
        "/api/v1/cases",
        json={"category": "nonsense", "subject": "Hi there", "description": "Long enough text."},
        headers=headers,
    )
    bad_order = await client.post(
        "/api/v1/cases",
        json={
            "category": "other",
            "subject": "Hi there",
            "description": "Long enough text.",
            "order_id": 999,
        },
        headers=headers,
    )

    assert wrong_category.status_code == 400
    assert "error" in wrong_category.json()
    assert bad_order.status_code == 422
    assert "order_id" in bad_order.json()["fields"]


async def test_the_api_never_shows_internal_notes_to_the_partner(client, alice, vera):
    case_id = await make_case(alice)
    await services.reply(vera.current, case_id, "internal: margin is thin", internal=True)
    await services.reply(vera.current, case_id, "Please restart the device.")

    partner = await client.get(
        f"/api/v1/cases/{case_id}", headers=await bearer_headers(client, alice)
    )
    vendor = await client.get(
        f"/api/v1/cases/{case_id}", headers=await bearer_headers(client, vera)
    )

    assert [m["body"] for m in partner.json()["messages"]] == ["Please restart the device."]
    assert len(vendor.json()["messages"]) == 2


async def test_another_partners_case_answers_404(client, alice, carol):
    case_id = await make_case(alice)

    response = await client.get(
        f"/api/v1/cases/{case_id}", headers=await bearer_headers(client, carol)
    )

    assert response.status_code == 404
    assert response.json()["status"] == 404


async def test_replies_through_the_api_and_a_partner_note_is_public(client, alice, vera):
    case_id = await make_case(alice)

    vendor = await client.post(
        f"/api/v1/cases/{case_id}/replies",
        json={"body": "Which firmware?", "status": "waiting_on_partner"},
        headers=await bearer_headers(client, vera),
    )
    partner = await client.post(
        f"/api/v1/cases/{case_id}/replies",
        json={"body": "2.0.3", "internal": True},
        headers=await bearer_headers(client, alice),
    )
    listing = await client.get("/api/v1/cases", headers=await bearer_headers(client, alice))

    assert vendor.status_code == 201 and vendor.json()["from_vendor"] is True
    assert partner.status_code == 201 and partner.json()["internal"] is False
    assert listing.json()["total"] == 1
    assert listing.json()["items"][0]["status"] == "open"


async def test_a_closed_case_refuses_a_vendor_reply_with_409(client, alice, vera):
    case_id = await make_case(alice)
    await services.change_status(vera.current, case_id, "closed")

    response = await client.post(
        f"/api/v1/cases/{case_id}/replies",
        json={"body": "late"},
        headers=await bearer_headers(client, vera),
    )

    assert response.status_code == 409


async def test_vendor_staff_open_a_case_for_a_partner(client, vera, alice, partner_a):
    response = await client.post(
        "/api/v1/cases",
        json={
            "category": "other",
            "subject": "Phone call",
            "description": "Called about delivery dates.",
            "partner_id": partner_a,
        },
        headers=await bearer_headers(client, vera),
    )

    assert response.status_code == 201
    assert response.json()["requester"] == alice.name
