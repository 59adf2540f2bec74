"""The deals JSON API contract: paths, field names, status codes."""

from __future__ import annotations

import datetime as dt

from portal.lib.clock import local_now, today
from tests.customers.factories import make_customer
from tests.deals.factories import make_deal, product_sku
from tests.factories import bearer_headers


async def test_a_partner_registers_and_submits_a_deal(client, alice):
    await product_sku("API-CAM")
    customer_id = await make_customer(alice.current, "接口客户有限公司")
    headers = await bearer_headers(client, alice)
    body = {
        "customer_id": customer_id,
        "name": "智慧园区",
        "expected_close_on": "2027-03-31",
        "lines": [{"sku": "API-CAM", "quantity": 40}],
        "estimated_amount": 12000000,
    }
    created = await client.post("/api/v1/deals", json=body, headers=headers)
    assert created.status_code == 201, created.text
    deal = created.json()
    assert deal["number"] == f"DR-{local_now().year}-{deal['id']:06d}"
    assert (deal["status"], deal["conflict"], deal["protection_until"]) == ("draft", False, None)
    assert deal["estimated_amount"] == 12000000
    submitted = await client.post(f"/api/v1/deals/{deal['id']}/submit", headers=headers)
    assert submitted.json()["status"] == "submitted"


async def test_the_vendor_approves_and_the_dates_come_back(client, alice, vera):
    deal_id = await make_deal(alice.current, status="submitted")
    headers = await bearer_headers(client, vera)
    answer = await client.post(
        f"/api/v1/deals/{deal_id}/approve", json={"days": 30}, headers=headers
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "approved"
    assert body["protection_from"] == today().isoformat()
    assert body["protection_until"] == (today() + dt.timedelta(days=29)).isoformat()
    again = await client.post(f"/api/v1/deals/{deal_id}/approve", json={}, headers=headers)
    assert again.status_code == 409 and again.json()["error"]


async def test_bad_input_answers_422_with_the_fields(client, alice):
    headers = await bearer_headers(client, alice)
    body = {"name": "x", "customer_name": "某客户", "lines": [{"sku": "NO-SUCH", "quantity": 1}]}
    answer = await client.post("/api/v1/deals", json=body, headers=headers)
    assert answer.status_code == 422
    assert "lines" in answer.json()["fields"]


async def test_conflict_flag_without_a_name(client, alice, carol):
    await make_deal(alice.current, "冲突接口客户有限公司", status="submitted")
    deal_id = await make_deal(carol.current, "冲突接口客户")
    headers = await bearer_headers(client, carol)
    answer = await client.post(f"/api/v1/deals/{deal_id}/submit", headers=headers)
    body = answer.json()
    assert body["conflict"] is True
    assert "华东智联" not in answer.text and body["conflict_message"]


async def test_another_partners_deal_is_404(client, alice, carol):
    deal_id = await make_deal(alice.current)
    headers = await bearer_headers(client, carol)
    assert (await client.get(f"/api/v1/deals/{deal_id}", headers=headers)).status_code == 404
    patch = await client.patch(f"/api/v1/deals/{deal_id}", json={"name": "x"}, headers=headers)
    assert patch.status_code == 404
