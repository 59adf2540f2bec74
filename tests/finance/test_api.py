"""The finance JSON API: receivables for partners and staff, invoice numbers and payments for
vendor staff (the contract's paths and field names), refusals as readable JSON."""

from __future__ import annotations

import asyncio

from portal.finance.tables import Payment
from tests.factories import bearer_headers
from tests.finance.factories import iso, partner_code, shipped_order


async def test_alice_lists_her_unpaid_receivables_with_her_account(client, alice, vera, carol):
    order = await shipped_order(alice, vera)
    await shipped_order(carol, vera)
    headers = await bearer_headers(client, alice)

    body = (await client.get("/api/v1/receivables", headers=headers)).json()

    assert body["total"] == 1
    item = body["items"][0]
    assert (item["order_number"], item["amount"], item["open_amount"], item["state"]) == (
        order["number"],
        order["total"],
        order["total"],
        "open",
    )
    assert item["due_on"] == iso(30)  # net 30 from today's shipment
    assert body["account"]["owed_amount"] == order["total"]


async def test_vera_posts_a_payment_and_the_same_reference_answers_the_same_payment(
    client, alice, vera
):
    order = await shipped_order(alice, vera)
    headers = await bearer_headers(client, vera)
    body = {
        "partner_code": await partner_code(alice.partner_id),
        "amount": order["total"] + 100000,
        "paid_on": iso(-1),
        "bank_reference": "ICBC-API-1",
    }

    first = await client.post("/api/v1/payments", json=body, headers=headers)
    again = await client.post("/api/v1/payments", json=body, headers=headers)

    assert first.status_code == 201, first.text
    assert again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["created"] is True and again.json()["created"] is False
    assert first.json()["allocations"] == [
        {
            "receivable_id": order["receivable_id"],
            "order_number": order["number"],
            "amount": order["total"],
        }
    ]
    assert first.json()["unallocated_amount"] == 100000


async def test_64_concurrent_api_posts_with_one_reference_are_one_payment(client, alice, vera):
    headers = await bearer_headers(client, vera)
    body = {
        "partner_code": await partner_code(alice.partner_id),
        "amount": 100000,
        "paid_on": iso(-1),
        "bank_reference": "RACE-API",
    }

    answers = await asyncio.gather(
        *(client.post("/api/v1/payments", json=body, headers=headers) for _ in range(64))
    )

    assert sorted({a.status_code for a in answers}) == [200, 201]
    assert len({a.json()["id"] for a in answers}) == 1
    assert await Payment.count() == 1


async def test_a_reference_recorded_for_another_amount_answers_409(client, alice, vera):
    headers = await bearer_headers(client, vera)
    body = {
        "partner_code": await partner_code(alice.partner_id),
        "amount": 100,
        "paid_on": iso(-1),
        "bank_reference": "R1",
    }
    await client.post("/api/v1/payments", json=body, headers=headers)

    answer = await client.post("/api/v1/payments", json={**body, "amount": 200}, headers=headers)

    assert answer.status_code == 409
    assert "already recorded" in answer.json()["error"]


async def test_bad_payments_answer_422_with_a_reason(client, alice, vera):
    headers = await bearer_headers(client, vera)
    code = await partner_code(alice.partner_id)

    future = await client.post(
        "/api/v1/payments",
        json={"partner_code": code, "amount": 100, "paid_on": iso(1), "bank_reference": "F1"},
        headers=headers,
    )
    floaty = await client.post(
        "/api/v1/payments",
        json={
            "partner_code": code,
            "amount": 10.5,
            "paid_on": iso(-1),
            "bank_reference": "F2",
        },
        headers=headers,
    )

    assert future.status_code == 422
    assert "future" in future.json()["error"]
    assert floaty.status_code == 400
    assert await Payment.count() == 0


async def test_manny_cannot_post_a_payment_for_a_partner_he_does_not_manage(client, manny, carol):
    headers = await bearer_headers(client, manny)
    body = {
        "partner_code": await partner_code(carol.partner_id),
        "amount": 100,
        "paid_on": iso(-1),
        "bank_reference": "M1",
    }

    answer = await client.post("/api/v1/payments", json=body, headers=headers)

    assert answer.status_code == 404
    assert await Payment.count() == 0


async def test_vera_records_an_invoice_number_and_carol_cannot_see_the_receivable(
    client, alice, vera, carol
):
    order = await shipped_order(alice, vera)
    headers = await bearer_headers(client, vera)

    answer = await client.post(
        f"/api/v1/receivables/{order['receivable_id']}/invoice",
        json={"invoice_number": "04400123"},
        headers=headers,
    )
    carols = await client.get(
        "/api/v1/receivables?status=all", headers=await bearer_headers(client, carol)
    )

    assert answer.status_code == 200
    assert answer.json()["invoice_number"] == "04400123"
    assert carols.json()["total"] == 0
