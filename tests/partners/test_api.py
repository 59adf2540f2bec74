"""The partners JSON API: GET/POST /api/v1/partners, GET/PATCH /api/v1/partners/{id}."""

from __future__ import annotations

from portal.auth.sessions import create_api_token
from portal.core.tables import AuditEntry
from portal.partners.tables import Partner, TierChange

NEW = {
    "name": "成都天府贸易",
    "kind": "distributor",
    "tier": "silver",
    "province": "SC",
    "credit_limit_amount": 30_000_00,
}


async def _api(client, persona):
    """The client, sending the persona's bearer token (API writes need one)."""
    token = await create_api_token(persona.current, "tests")
    client.headers["Authorization"] = f"Bearer {token}"
    return client


async def test_vera_lists_partners_with_filters_and_paging(client, vera, partner_a, partner_b):
    api = await _api(client, vera)
    everything = (await api.get("/api/v1/partners")).json()
    assert everything["total"] == 2 and {p["code"] for p in everything["items"]} >= {"P00001"}
    silver = (await api.get("/api/v1/partners", params={"tier": "silver"})).json()
    assert [p["name_en"] for p in silver["items"]] == ["Partner B"]
    paged = (await api.get("/api/v1/partners", params={"per_page": 1, "page": 2})).json()
    assert paged["total"] == 2 and len(paged["items"]) == 1 and paged["page"] == 2


async def test_manny_lists_only_his_partners(client, manny, partner_a, partner_b):
    body = (await (await _api(client, manny)).get("/api/v1/partners")).json()
    assert [p["id"] for p in body["items"]] == [partner_a]


async def test_partner_users_cannot_list_partners(client, alice):
    response = await (await _api(client, alice)).get("/api/v1/partners")
    assert response.status_code == 403 and response.json()["error"]


async def test_alice_reads_her_own_partner_but_not_carols(client, alice, partner_a, partner_b):
    api = await _api(client, alice)
    own = await api.get(f"/api/v1/partners/{partner_a}")
    assert own.status_code == 200 and own.json()["tier"] == "gold"
    assert own.json()["credit_limit_amount"] == 50_000_00
    assert (await api.get(f"/api/v1/partners/{partner_b}")).status_code == 404


async def test_vera_creates_a_partner(client, vera):
    response = await (await _api(client, vera)).post("/api/v1/partners", json=NEW)
    assert response.status_code == 201
    body = response.json()
    assert body["tier"] == "silver" and body["status"] == "active" and body["code"].startswith("P")
    assert await Partner.exists().where(Partner.id == body["id"])


async def test_bad_tier_and_province_answer_422_naming_the_fields(client, vera):
    response = await (await _api(client, vera)).post(
        "/api/v1/partners", json={**NEW, "tier": "diamond", "province": "XX"}
    )
    assert response.status_code == 422
    body = response.json()
    assert set(body["fields"]) == {"tier", "province"} and "tier" in body["error"]
    assert await Partner.count() == 0


async def test_an_unknown_field_is_refused(client, vera):
    response = await (await _api(client, vera)).post(
        "/api/v1/partners", json={**NEW, "colour": "red"}
    )
    assert response.status_code == 400 and "colour" in response.text


async def test_manny_cannot_create_partners(client, manny):
    response = await (await _api(client, manny)).post("/api/v1/partners", json=NEW)
    assert response.status_code == 403


async def test_a_session_cookie_alone_cannot_write(as_user, vera):
    response = await (await as_user(vera)).post("/api/v1/partners", json=NEW)
    assert response.status_code == 401


async def test_vera_patches_only_the_fields_sent(client, vera, partner_a):
    api = await _api(client, vera)
    response = await api.patch(
        f"/api/v1/partners/{partner_a}", json={"city": "苏州", "credit_limit_amount": 1}
    )
    assert response.status_code == 200
    assert response.json()["city"] == "苏州" and response.json()["name_en"] == "Partner A"
    assert await AuditEntry.exists().where(AuditEntry.action == "partner.credit_limit_change")


async def test_tier_change_by_api_needs_a_reason(client, vera, partner_a):
    api = await _api(client, vera)
    refused = await api.patch(f"/api/v1/partners/{partner_a}", json={"tier": "platinum"})
    assert refused.status_code == 422 and "tier_reason" in refused.json()["fields"]
    done = await api.patch(
        f"/api/v1/partners/{partner_a}", json={"tier": "platinum", "tier_reason": "Big deal"}
    )
    assert done.status_code == 200 and done.json()["tier"] == "platinum"
    change = await TierChange.select().order_by(TierChange.id, ascending=False).first()
    assert change["reason"] == "Big deal"


async def test_suspend_by_api(client, vera, alice, partner_a):
    response = await (await _api(client, vera)).patch(
        f"/api/v1/partners/{partner_a}", json={"status": "suspended"}
    )
    assert response.status_code == 200 and response.json()["status"] == "suspended"


async def test_an_unknown_status_is_422(client, vera, partner_a):
    response = await (await _api(client, vera)).patch(
        f"/api/v1/partners/{partner_a}", json={"status": "deleted"}
    )
    assert response.status_code == 422 and "status" in response.json()["fields"]


async def test_alice_gets_403_patching_her_partner_and_404_for_carols(
    make_client, alice, partner_a, partner_b
):
    api = await _api(await make_client(), alice)
    own = await api.patch(f"/api/v1/partners/{partner_a}", json={"city": "北京"})
    assert own.status_code == 403
    other = await api.patch(f"/api/v1/partners/{partner_b}", json={"city": "北京"})
    assert other.status_code == 404
    assert await AuditEntry.exists().where(AuditEntry.action == "permission.denied")


async def test_manny_patches_the_contact_but_not_the_credit_limit(
    client, manny, partner_a, partner_b
):
    api = await _api(client, manny)
    ok = await api.patch(f"/api/v1/partners/{partner_a}", json={"contact_phone": "021-8888"})
    assert ok.status_code == 200 and ok.json()["contact_phone"] == "021-8888"
    refused = await api.patch(f"/api/v1/partners/{partner_a}", json={"credit_limit_amount": 9})
    assert refused.status_code == 403 and "credit_limit_amount" in refused.json()["error"]
    assert (await api.patch(f"/api/v1/partners/{partner_b}", json={"city": "x"})).status_code == 404


async def test_an_unknown_partner_is_404_json(client, vera):
    response = await (await _api(client, vera)).get("/api/v1/partners/9999")
    assert response.status_code == 404 and response.json()["error"]


async def test_partners_api_is_in_the_openapi_schema(client):
    paths = (await client.get("/schema/openapi.json")).json()["paths"]
    assert {"/api/v1/partners", "/api/v1/partners/{partner_id}"} <= set(paths)
