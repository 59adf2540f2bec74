"""Issue 14 point 11: CSRF cookie rotated at sign-in, no-store on signed-in pages and API answers,
a partner naming another partner_id on POST /api/v1/cases is told so (422) and nothing is stored."""

from __future__ import annotations

from portal.customers.tables import Customer
from portal.partners.tables import Partner
from portal.support.tables import SupportCase as Case
from tests.factories import PASSWORD, bearer_headers
from tests.personas import post_form, sign_in


async def test_sign_in_rotates_the_csrf_cookie(client, alice):
    await client.get("/login")
    before = client.cookies.get("csrftoken")
    assert before
    response = await post_form(client, "/login", {"email": alice.email, "password": PASSWORD})
    assert response.status_code == 303
    assert client.cookies.get("csrftoken") is None
    await client.get("/account")
    after = client.cookies.get("csrftoken")
    assert after and after != before
    # forms keep working with the new token
    assert (await post_form(client, "/account/sessions/end-others")).status_code == 303


async def test_signed_in_pages_and_api_answers_are_not_stored(client, alice):
    assert "no-store" not in (await client.get("/login")).headers.get("cache-control", "")
    await sign_in(client, alice)
    assert (await client.get("/account")).headers["cache-control"] == "no-store"
    client.cookies.clear()
    headers = await bearer_headers(client, alice)
    me = await client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200 and me.headers["cache-control"] == "no-store"
    anonymous = await client.get("/api/v1/me")
    assert anonymous.headers["cache-control"] == "no-store"


async def test_a_partner_naming_another_partner_id_gets_422(client, alice, carol, partner_b):
    headers = await bearer_headers(client, alice)
    case = {
        "category": "billing",
        "priority": "high",
        "subject": "Invoice 2026-11 is missing",
        "description": "We did not receive the November invoice.",
    }
    response = await client.post(
        "/api/v1/cases", json={**case, "partner_id": partner_b}, headers=headers
    )
    assert response.status_code == 422, response.text
    assert "own company" in response.json()["error"]
    assert await Case.count() == 0
    own = await client.post(
        "/api/v1/cases", json={**case, "partner_id": alice.current.partner_id}, headers=headers
    )
    assert own.status_code == 201


async def test_cr_lf_in_a_one_line_field_of_the_api_is_refused_and_nothing_is_stored(
    client, alice, bob, vera
):
    case = {
        "category": "billing",
        "priority": "high",
        "subject": "Invoice missing\r\nBcc: everyone@example.com",
        "description": "Line one.\nLine two is fine in a description.",
    }
    response = await client.post(
        "/api/v1/cases", json=case, headers=await bearer_headers(client, alice)
    )
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["field"] == "subject"
    customer = await client.post(
        "/api/v1/customers", json={"name": "Acme\nEvil"}, headers=await bearer_headers(client, bob)
    )
    assert customer.status_code == 400
    partners_before = await Partner.count()
    partner = await client.post(
        "/api/v1/partners",
        json={"name": "Evil\rCo", "province": "SH", "tier": "silver", "kind": "dealer"},
        headers=await bearer_headers(client, vera),
    )
    assert partner.status_code == 400
    assert await Case.count() == 0 and await Customer.count() == 0
    assert await Partner.count() == partners_before
    # a tab is no line break, and multi-line fields keep their lines
    ok = await client.post(
        "/api/v1/cases",
        json={**case, "subject": "Invoice\tmissing"},
        headers=await bearer_headers(client, alice),
    )
    assert ok.status_code == 201
