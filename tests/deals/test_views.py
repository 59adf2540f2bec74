"""Deal pages as the partner and the vendor see them."""

from __future__ import annotations

from portal.deals.tables import Deal
from tests.deals.factories import make_deal, product_sku
from tests.personas import post_form


async def test_alice_registers_a_deal_for_a_new_customer_and_submits_it(alice, as_user):
    await product_sku("DEAL-CAM")
    client = await as_user(alice)
    response = await post_form(
        client,
        "/deals/new",
        {
            "name": "园区安防改造",
            "customer_name": "杭州新客户有限公司",
            "customer_phone": "+86 138 0013 8000",
            "lines": "DEAL-CAM 40",
            "estimated_amount": "120,000",
            "stage": "proposal",
            "then": "submit",
        },
    )
    assert response.status_code == 303
    page = await client.get(response.headers["location"])
    assert page.status_code == 200
    assert "园区安防改造" in page.text
    row = await Deal.select().first()
    assert (row["status"], row["estimated_amount"], row["phone_key"]) == (
        "submitted",
        120_000_00,
        "13800138000",
    )


async def test_errors_appear_beside_the_fields(alice, as_user):
    client = await as_user(alice)
    response = await post_form(client, "/deals/new", {"name": "x", "lines": "NOPE forty"})
    assert response.status_code == 400
    assert 'id="e-f-lines"' in response.text
    assert await Deal.count() == 0


async def test_the_conflict_message_names_no_partner(alice, carol, as_user):
    await make_deal(alice.current, "重复客户有限公司", status="submitted")
    deal_id = await make_deal(carol.current, "重复客户", status="submitted")
    page = await (await as_user(carol)).get(f"/deals/{deal_id}")
    assert page.status_code == 200
    assert "another partner" in page.text or "其他合作伙伴" in page.text
    assert "华东智联" not in page.text


async def test_vendor_sees_both_conflicting_deals_side_by_side(alice, carol, vera, as_user):
    await make_deal(alice.current, "重复客户有限公司", status="submitted")
    deal_id = await make_deal(carol.current, "重复客户", status="submitted")
    page = await (await as_user(vera)).get(f"/console/deals/{deal_id}")
    assert page.status_code == 200
    assert "华东智联科技有限公司" in page.text and "岭南优品贸易有限公司" in page.text


async def test_board_list_console_and_export_render(alice, vera, as_user):
    await make_deal(alice.current, status="approved", vendor=vera.current)
    await make_deal(alice.current)
    client = await as_user(alice)
    for url in ("/deals/", "/deals/board", "/deals/?expiring=1", "/"):
        assert (await client.get(url)).status_code == 200, url
    export = await client.get("/deals/export.xlsx")
    assert export.status_code == 200 and export.content[:2] == b"PK"
    console = await (await as_user(vera)).get("/console/deals/")
    assert console.status_code == 200


async def test_the_board_speaks_chinese(alice, vera, as_user):
    await make_deal(alice.current, status="approved", vendor=vera.current)
    client = await as_user(alice)
    client.cookies.set("lang", "zh_CN")
    page = await client.get("/deals/board")
    assert "商机看板" in page.text and "已确认" in page.text and "保护中" in page.text
