"""API tokens: issue, use, list, revoke; /api/v1/me; JSON errors."""

from __future__ import annotations

from portal.auth.tables import ApiToken
from tests.factories import PASSWORD
from tests.personas import post_form, sign_in


async def _token(client, persona, name="ERP sync"):
    response = await client.post(
        "/api/v1/auth/tokens", json={"email": persona.email, "password": PASSWORD, "name": name}
    )
    assert response.status_code == 201, response.text
    return response.json()["token"]


async def test_alice_gets_a_token_and_reads_me(client, alice):
    token = await _token(client, alice)
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    body = me.json()
    assert body["email"] == alice.email
    assert body["role"] == "partner_admin"
    assert set(body["permissions"]) == {"sales", "purchasing"}


async def test_tokens_are_stored_hashed(client, alice):
    token = await _token(client, alice)
    rows = await ApiToken.select(ApiToken.token_hash, ApiToken.prefix)
    assert rows and token not in {r["token_hash"] for r in rows}
    assert token.startswith(rows[0]["prefix"])


async def test_wrong_password_answers_401_json(client, alice):
    response = await client.post(
        "/api/v1/auth/tokens", json={"email": alice.email, "password": "wrong-one", "name": "x"}
    )
    assert response.status_code == 401
    assert "not correct" in response.json()["error"]


async def test_token_requests_are_throttled_like_the_login(client, alice):
    for _ in range(5):
        await client.post(
            "/api/v1/auth/tokens", json={"email": alice.email, "password": "bad-pass"}
        )
    response = await client.post(
        "/api/v1/auth/tokens", json={"email": alice.email, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "Too many" in response.json()["error"]


async def test_malformed_json_answers_400_with_a_message(client):
    response = await client.post(
        "/api/v1/auth/tokens", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"]


async def test_missing_field_names_the_field(client):
    response = await client.post("/api/v1/auth/tokens", json={"email": "a@b.test"})
    assert response.status_code == 400
    assert "password" in response.text


async def test_revoked_token_stops_working(client, alice):
    token = await _token(client, alice)
    row = await ApiToken.select(ApiToken.id).first()
    await sign_in(client, alice)
    response = await post_form(client, f"/account/tokens/{row['id']}/revoke")
    assert response.status_code == 303
    client.cookies.clear()
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 401
    assert me.json()["error"]


async def test_anonymous_me_is_401_json(client):
    response = await client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/json")


async def test_api_write_with_only_a_session_cookie_is_refused(client, vera):
    # a cookie could ride along on a cross-site request: API writes need a bearer token
    await sign_in(client, vera)
    response = await client.post("/api/v1/partners", json={"name": "X"})
    assert response.status_code == 401
    assert (await client.get("/api/v1/partners")).status_code == 200


async def test_carol_cannot_revoke_alice_token(make_client, alice, carol):
    a, c = await make_client(), await make_client()
    await _token(a, alice)
    row = await ApiToken.select(ApiToken.id).first()
    await sign_in(c, carol)
    response = await post_form(c, f"/account/tokens/{row['id']}/revoke")
    assert response.status_code == 404


async def test_openapi_schema_is_served(client):
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/auth/tokens" in paths and "/api/v1/me" in paths
