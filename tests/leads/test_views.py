"""Lead pages as the vendor and the partner see them, in both languages."""

from __future__ import annotations

from portal.deals.lead_tables import Lead
from portal.deals.tables import Deal
from tests.deals.factories import product_sku
from tests.leads.factories import make_lead, make_rule
from tests.personas import post_form


async def test_vera_enters_a_lead_and_it_is_offered_to_alices_company(vera, alice, as_user):
    await make_rule(vera.current)
    client = await as_user(vera)
    data = {
        "company": "宁波表单线索有限公司",
        "contact_name": "周女士",
        "phone": "13700001111",
        "province": "SH",
    }
    answer = await post_form(client, "/console/leads/new", data)
    assert answer.status_code == 303
    page = await client.get(answer.headers["location"])
    assert "宁波表单线索有限公司" in page.text and "华东智联科技有限公司" in page.text
    row = await Lead.select().first()
    assert (row["status"], row["partner"]) == ("offered", alice.partner_id)


async def test_form_errors_appear_beside_the_fields(vera, as_user):
    client = await as_user(vera)
    answer = await post_form(
        client, "/console/leads/new", {"company": "x", "contact_name": "y", "province": "SH"}
    )
    assert answer.status_code == 400 and 'id="e-f-phone"' in answer.text
    assert await Lead.count() == 0


async def test_alice_sees_the_lead_waiting_accepts_it_and_registers_a_deal(vera, alice, as_user):
    await make_rule(vera.current)
    await product_sku("LEAD-CAM")
    lead_id = await make_lead(vera.current, "SH", company="温州等待线索有限公司")
    client = await as_user(alice)
    home = await client.get("/")
    assert "/leads" in home.text
    listed = await client.get("/leads/")
    assert "温州等待线索有限公司" in listed.text
    accepted = await post_form(client, f"/leads/{lead_id}/accept", {})
    assert accepted.status_code == 303
    page = await client.get(f"/leads/{lead_id}")
    assert f"/leads/{lead_id}/deal" in page.text
    form = await client.get(f"/leads/{lead_id}/deal")
    assert form.status_code == 200 and "温州等待线索有限公司" in form.text
    lead = await Lead.select().where(Lead.id == lead_id).first()
    saved = await post_form(
        client,
        f"/leads/{lead_id}/deal",
        {
            "name": "温州项目",
            "customer_id": str(lead["customer_id"]),
            "lines": "LEAD-CAM 10",
            "stage": "qualified",
        },
    )
    assert saved.status_code == 303, saved.text
    deal = await Deal.select().first()
    lead = await Lead.select().where(Lead.id == lead_id).first()
    assert (lead["status"], lead["deal_id"], deal["customer"]) == (
        "converted",
        deal["id"],
        lead["customer_id"],
    )


async def test_a_decline_needs_a_reason(vera, alice, as_user):
    await make_rule(vera.current)
    lead_id = await make_lead(vera.current, "SH")
    client = await as_user(alice)
    answer = await post_form(client, f"/leads/{lead_id}/decline", {"reason": ""})
    assert answer.status_code == 400
    assert (await Lead.select().where(Lead.id == lead_id).first())["status"] == "offered"


async def test_an_import_with_bad_rows_names_the_lines_and_writes_nothing(vera, as_user):
    client = await as_user(vera)
    text = "公司名称,联系人,电话,省份\n好公司,王,13900001111,浙江\n,李,13900002222,ZJ\n坏省份,赵,139,火星\n"
    answer = await post_form(
        client, "/console/leads/import", {}, files={"file": ("l.csv", text.encode(), "text/csv")}
    )
    assert answer.status_code == 400
    assert ">3<" in answer.text and ">4<" in answer.text and ">2<" not in answer.text
    assert await Lead.count() == 0


async def test_a_clean_import_writes_every_lead_and_routes_them(vera, alice, as_user):
    await make_rule(vera.current)
    client = await as_user(vera)
    text = "company,contact_name,phone,province\n甲,王,13900001111,SH\n乙,李,13900002222,上海\n"
    answer = await post_form(
        client, "/console/leads/import", {}, files={"file": ("l.csv", text.encode(), "text/csv")}
    )
    assert answer.status_code == 200
    assert await Lead.count().where(Lead.status == "offered") == 2


async def test_console_pages_render_in_chinese_and_english(vera, alice, as_user):
    await make_rule(vera.current)
    lead_id = await make_lead(vera.current, "SH")
    client = await as_user(vera)
    for lang, word, other in (("zh_CN", "线索", "Leads"), ("en", "Leads", "分发")):
        client.cookies.set("lang", lang)
        for url in (
            "/console/leads/",
            f"/console/leads/{lead_id}",
            "/console/leads/rules",
            "/console/leads/partners",
            "/console/leads/import",
            "/console/leads/new",
        ):
            page = await client.get(url)
            assert page.status_code == 200, url
            assert word in page.text and other not in page.text, (lang, url)
