"""The orders JSON API: products with prices, placing with Idempotency-Key, refusals per line,
the tenant wall (404), vendor actions and ERP stock sync."""

from __future__ import annotations

from tests.factories import bearer_headers
from tests.orders.factories import make_price_list, make_product, make_warehouse, stock_of


async def _order(client, headers, lines, key=None, **extra):
    if key:
        headers = {**headers, "Idempotency-Key": key}
    return await client.post("/api/v1/orders", json={"lines": lines, **extra}, headers=headers)


async def test_alice_lists_products_with_her_net_price_reason_and_availability(client, alice):
    await make_product("API-1", price=500_00, stock=8)
    await make_product("API-2", price=100_00, stock=0, stock_display="bands")
    await make_price_list("gold", discount_bp=2000)

    response = await client.get("/api/v1/products", headers=await bearer_headers(client, alice))

    assert response.status_code == 200
    body = response.json()
    first, second = body["items"]
    assert body["total"] == 2
    assert (first["sku"], first["net_price_amount"], first["price_rule"]) == (
        "API-1",
        400_00,
        "tier_discount",
    )
    assert first["price_reason"] == "Gold tier price list"
    assert (first["availability"], first["available_quantity"]) == ("in_stock", 8)
    assert (second["availability"], second["available_quantity"]) == ("out", None)


async def test_one_product_by_sku_and_an_unknown_sku(client, alice):
    await make_product("ONE-1")
    headers = await bearer_headers(client, alice)

    found = await client.get("/api/v1/products/ONE-1", headers=headers)
    missing = await client.get("/api/v1/products/NOPE", headers=headers)

    assert found.status_code == 200 and found.json()["sku"] == "ONE-1"
    assert missing.status_code == 404 and missing.json()["error"]


async def test_alice_places_an_order_and_gets_201_with_lines_and_totals(client, alice):
    await make_product("PO-1", price=250_00, stock=10)
    headers = await bearer_headers(client, alice)

    response = await _order(client, headers, [{"sku": "PO-1", "quantity": 4}], note="Rush")

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "submitted" and body["number"].startswith("SO-")
    assert body["total_amount"] == 1_000_00
    assert body["lines"][0]["unit_price_amount"] == 250_00
    assert body["lines"][0]["price_reason"] == "List price"
    assert response.headers["location"] == f"/api/v1/orders/{body['id']}"


async def test_a_retried_request_with_the_same_key_returns_the_same_order(client, alice):
    await make_product("IK-1", stock=10)
    headers = await bearer_headers(client, alice)
    lines = [{"sku": "IK-1", "quantity": 2}]

    first = await _order(client, headers, lines, key="erp-0001")
    again = await _order(client, headers, lines, key="erp-0001")
    other = await _order(client, headers, [{"sku": "IK-1", "quantity": 3}], key="erp-0001")

    assert first.json()["id"] == again.json()["id"]
    assert again.headers.get("idempotent-replayed") == "true"
    assert other.status_code == 422
    assert await stock_of("IK-1") == (10, 2)


async def test_a_stock_refusal_answers_409_with_a_message_per_line(client, alice):
    await make_product("ST-1", stock=1)
    await make_product("ST-2", stock=5)

    response = await _order(
        client,
        await bearer_headers(client, alice),
        [{"sku": "ST-2", "quantity": 1}, {"sku": "ST-1", "quantity": 2}],
    )

    assert response.status_code == 409
    body = response.json()
    assert body["error"] and body["status"] == 409
    assert body["lines"] == [{"line": 2, "sku": "ST-1", "message": "Only 1 available."}]


async def test_an_invalid_request_answers_422_with_a_message_per_line(client, alice):
    await make_product("MQ-1", min_order_quantity=10)

    response = await _order(
        client,
        await bearer_headers(client, alice),
        [{"sku": "MQ-1", "quantity": 3}, {"sku": "UNKNOWN", "quantity": 1}],
    )

    assert response.status_code == 422
    assert [line["sku"] for line in response.json()["lines"]] == ["MQ-1", "UNKNOWN"]


async def test_a_malformed_body_answers_400(client, alice):
    response = await _order(
        client, await bearer_headers(client, alice), [{"sku": "X", "quantity": 0}]
    )

    assert response.status_code == 400


async def test_carol_gets_404_for_alices_order(client, alice, carol):
    await make_product("TW-1")
    created = await _order(
        client, await bearer_headers(client, alice), [{"sku": "TW-1", "quantity": 1}]
    )
    order_id = created.json()["id"]
    carol_headers = await bearer_headers(client, carol)

    read = await client.get(f"/api/v1/orders/{order_id}", headers=carol_headers)
    cancel = await client.post(f"/api/v1/orders/{order_id}/cancel", headers=carol_headers)

    assert read.status_code == 404
    assert cancel.status_code == 404


async def test_alice_lists_and_cancels_her_order(client, alice):
    await make_product("LC-1", stock=3)
    headers = await bearer_headers(client, alice)
    created = await _order(client, headers, [{"sku": "LC-1", "quantity": 3}])
    order_id = created.json()["id"]

    listed = await client.get("/api/v1/orders?status=submitted", headers=headers)
    cancelled = await client.post(
        f"/api/v1/orders/{order_id}/cancel", json={"reason": "Wrong item"}, headers=headers
    )

    assert [o["id"] for o in listed.json()["items"]] == [order_id]
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert await stock_of("LC-1") == (3, 0)


async def test_vera_approves_ships_in_parts_and_the_timeline_grows(client, alice, vera):
    await make_product("VS-1", stock=10)
    created = await _order(
        client, await bearer_headers(client, alice), [{"sku": "VS-1", "quantity": 5}]
    )
    order_id = created.json()["id"]
    headers = await bearer_headers(client, vera)

    approved = await client.post(f"/api/v1/orders/{order_id}/approve", headers=headers)
    partial = await client.post(
        f"/api/v1/orders/{order_id}/ship",
        json={"carrier": "SF", "tracking_number": "SF1", "lines": [{"sku": "VS-1", "quantity": 2}]},
        headers=headers,
    )
    rest = await client.post(
        f"/api/v1/orders/{order_id}/ship", json={"carrier": "SF"}, headers=headers
    )

    assert approved.json()["status"] == "approved"
    assert partial.json()["status"] == "partially_shipped"
    assert rest.json()["status"] == "shipped"
    assert [e["kind"] for e in rest.json()["events"]] == [
        "submitted",
        "approved",
        "shipped",
        "shipped",
    ]
    assert await stock_of("VS-1") == (5, 0)


async def test_approving_a_cancelled_order_is_a_409(client, alice, vera):
    await make_product("AC-1")
    alice_headers = await bearer_headers(client, alice)
    order_id = (await _order(client, alice_headers, [{"sku": "AC-1", "quantity": 1}])).json()["id"]
    await client.post(f"/api/v1/orders/{order_id}/cancel", headers=alice_headers)

    response = await client.post(
        f"/api/v1/orders/{order_id}/approve", headers=await bearer_headers(client, vera)
    )

    assert response.status_code == 409
    assert "not possible" in response.json()["error"]


async def test_reject_needs_a_reason(client, alice, vera):
    await make_product("RR-1")
    order_id = (
        await _order(client, await bearer_headers(client, alice), [{"sku": "RR-1", "quantity": 1}])
    ).json()["id"]
    headers = await bearer_headers(client, vera)

    empty = await client.post(
        f"/api/v1/orders/{order_id}/reject", json={"reason": ""}, headers=headers
    )
    done = await client.post(
        f"/api/v1/orders/{order_id}/reject", json={"reason": "EOL"}, headers=headers
    )

    assert empty.status_code == 400
    assert done.json()["reject_reason"] == "EOL"


async def test_the_erp_reads_and_sets_stock_per_warehouse(client, vera):
    await make_product("ERP-1", stock={"SH": 4})
    await make_warehouse("BJ", "北京仓")
    headers = await bearer_headers(client, vera)

    put = await client.put(
        "/api/v1/stock/ERP-1", json={"warehouse": "BJ", "on_hand": 30}, headers=headers
    )
    read = await client.get("/api/v1/stock/ERP-1", headers=headers)

    assert put.status_code == 200, put.text
    assert {lv["warehouse"]: lv["on_hand"] for lv in read.json()["levels"]} == {"BJ": 30, "SH": 4}
    assert read.json()["available"] == 34


async def test_stock_sync_refuses_a_count_below_the_reservations(client, alice, vera):
    await make_product("ERP-2", stock={"SH": 10})
    await _order(client, await bearer_headers(client, alice), [{"sku": "ERP-2", "quantity": 6}])

    response = await client.put(
        "/api/v1/stock/ERP-2",
        json={"warehouse": "SH", "on_hand": 5},
        headers=await bearer_headers(client, vera),
    )

    assert response.status_code == 409
    assert "reserved" in response.json()["error"]


async def test_unknown_warehouse_is_a_422(client, vera):
    await make_product("ERP-3")

    response = await client.put(
        "/api/v1/stock/ERP-3",
        json={"warehouse": "XX", "on_hand": 1},
        headers=await bearer_headers(client, vera),
    )

    assert response.status_code == 422


async def test_an_order_placed_while_redis_is_unreachable_answers_201_and_waits_for_the_sweeper(
    client, alice
):
    from portal.orders.tables import OrderEvent
    from portal.settings import override
    from tests.operations.processes import closed_port

    # given a product and a queue (REDIS_URL) that nothing answers
    await make_product("DOWN-1", price=100_00, stock=5)
    headers = await bearer_headers(client, alice)

    with override(redis_url=f"redis://127.0.0.1:{closed_port()}/3"):
        # when alice places an order through the API
        response = await _order(client, headers, [{"sku": "DOWN-1", "quantity": 2}])

    # then the committed order is answered as placed (a retry would order twice), and its
    # status e-mail waits in the database for the sweeper
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "submitted"
    assert await stock_of("DOWN-1") == (5, 2)
    assert await OrderEvent.count() >= 1
