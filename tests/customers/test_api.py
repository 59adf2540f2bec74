"""The customers JSON API: create, duplicate 409, read, patch, the contact log, and the wall."""

from __future__ import annotations

from tests.customers.factories import make_customer
from tests.factories import bearer_headers


async def test_a_website_form_creates_a_customer_through_the_api(client, bob):
    headers = await bearer_headers(client, bob)

    response = await client.post(
        "/api/v1/customers",
        json={
            "name": "Web Lead Co",
            "tags": ["website"],
            "contacts": [{"name": "Jane", "phone": "+86 139 0000 1111", "email": "JANE@lead.cn"}],
        },
        headers=headers,
    )

    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Web Lead Co" and body["source"] == "website"
    assert body["contacts"][0]["email"] == "jane@lead.cn"
    assert response.headers["location"] == f"/api/v1/customers/{body['id']}"


async def test_a_duplicate_answers_409_with_the_existing_customer(client, bob):
    existing = await make_customer(bob.current, "Dup Co", phone="13900001111")
    headers = await bearer_headers(client, bob)

    response = await client.post(
        "/api/v1/customers",
        json={"name": "Other", "contacts": [{"name": "x", "phone": "139-0000-1111"}]},
        headers=headers,
    )

    assert response.status_code == 409
    assert response.json()["duplicates"][0]["id"] == existing


async def test_bad_input_answers_a_readable_4xx(client, bob):
    headers = await bearer_headers(client, bob)
    missing = await client.post("/api/v1/customers", json={"contacts": []}, headers=headers)
    bad_email = await client.post(
        "/api/v1/customers",
        json={"name": "X", "contacts": [{"name": "a", "email": "nope"}]},
        headers=headers,
    )
    assert missing.status_code == 400 and "name" in missing.text
    assert bad_email.status_code == 422 and "e-mail" in bad_email.json()["error"]


async def test_patch_changes_only_the_given_fields(client, bob):
    customer_id = await make_customer(bob.current, "Patch Co", city="上海")
    headers = await bearer_headers(client, bob)

    response = await client.patch(
        f"/api/v1/customers/{customer_id}",
        json={"industry": "零售", "tags": ["a", "b"]},
        headers=headers,
    )

    assert response.status_code == 200
    body = response.json()
    assert body["industry"] == "零售" and body["city"] == "上海" and body["tags"] == ["a", "b"]


async def test_a_call_centre_logs_a_contact_and_reads_the_log(client, bob):
    customer_id = await make_customer(bob.current)
    headers = await bearer_headers(client, bob)

    created = await client.post(
        f"/api/v1/customers/{customer_id}/interactions",
        json={
            "channel": "phone",
            "summary": "Inbound call: wants a demo",
            "followup_on": "2099-01-01",
        },
        headers=headers,
    )
    listed = await client.get(f"/api/v1/customers/{customer_id}/interactions", headers=headers)

    assert created.status_code == 201 and created.json()["direction"] == "inbound"
    assert listed.json()["total"] == 1
    assert listed.json()["items"][0]["summary"] == "Inbound call: wants a demo"


async def test_carol_gets_404_for_alice_customer_on_every_api_route(client, alice, carol):
    customer_id = await make_customer(alice.current)
    headers = await bearer_headers(client, carol)
    responses = [
        await client.get(f"/api/v1/customers/{customer_id}", headers=headers),
        await client.patch(f"/api/v1/customers/{customer_id}", json={"name": "x"}, headers=headers),
        await client.get(f"/api/v1/customers/{customer_id}/interactions", headers=headers),
        await client.post(
            f"/api/v1/customers/{customer_id}/interactions",
            json={"channel": "phone", "summary": "x"},
            headers=headers,
        ),
    ]
    assert [r.status_code for r in responses] == [404] * 4
    assert all(r.json()["status"] == 404 for r in responses)


async def test_vendor_staff_read_only_name_and_contact_of_a_shared_customer(client, alice, vera):
    from portal.orders.tables import Order
    from tests.orders.factories import make_product, place

    customer_id = await make_customer(alice.current, "Shared Ltd", contact="刘工")
    await make_product("API-C", stock=5)
    placed = await place(alice.current, {"API-C": 1})
    await Order.update({Order.end_customer_id: customer_id}).where(Order.id == placed.order_id)
    headers = await bearer_headers(client, vera)

    body = (await client.get(f"/api/v1/customers/{customer_id}", headers=headers)).json()

    assert (
        body["name"] == "Shared Ltd" and body["contact_name"] == "刘工" and body["shared"] is True
    )
    assert "notes" not in body and "tags" not in body
