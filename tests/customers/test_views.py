"""Customer pages as a user sees them: create with duplicate warning, 360° page, logging a
contact, follow-ups, bulk tags, export, settings, the home card and both languages."""

from __future__ import annotations

import datetime as dt
import io

from portal.customers.tables import Customer, Interaction
from portal.lib import clock
from tests.customers.factories import log_contact, make_customer, set_followup
from tests.personas import post_form

CUSTOMER_FORM = {
    "kind": "company",
    "name": "深圳蓝海电子有限公司",
    "source": "exhibition",
    "tags": "VIP, 2026 展会",
    "contact_name": "陈总",
    "contact_phone": "13912345678",
    "contact_email": "chen@lanhai.cn",
}


async def test_bob_creates_a_customer_and_lands_on_its_page(as_user, bob):
    client = await as_user(bob)

    response = await post_form(client, "/customers/new", CUSTOMER_FORM)

    assert response.status_code == 303
    page = await client.get(response.headers["location"])
    assert "深圳蓝海电子有限公司" in page.text and "陈总" in page.text and "VIP" in page.text


async def test_a_duplicate_phone_shows_a_warning_and_saves_nothing_until_confirmed(as_user, bob):
    client = await as_user(bob)
    await post_form(client, "/customers/new", CUSTOMER_FORM)

    again = await post_form(client, "/customers/new", {**CUSTOMER_FORM, "name": "蓝海"})
    assert again.status_code == 409
    assert "already exists" in again.text and "深圳蓝海电子有限公司" in again.text
    assert await Customer.count() == 1

    forced = await post_form(
        client, "/customers/new", {**CUSTOMER_FORM, "name": "蓝海", "allow_duplicate": "on"}
    )
    assert forced.status_code == 303
    assert await Customer.count() == 2


async def test_bad_input_shows_errors_next_to_the_fields_in_chinese(as_user, bob):
    client = await as_user(bob)
    response = await post_form(
        client,
        "/customers/new",
        {"name": "", "contact_email": "not-an-email"},
        headers={"Accept-Language": "zh-CN"},
    )
    assert response.status_code == 400
    assert "必填" in response.text or "此项" in response.text
    assert await Customer.count() == 0


async def test_logging_a_contact_from_the_customer_page_shows_it_on_the_timeline(as_user, bob):
    customer_id = await make_customer(bob.current, "Timeline Co")
    client = await as_user(bob)
    due = (clock.today() + dt.timedelta(days=3)).isoformat()

    response = await post_form(
        client,
        f"/customers/{customer_id}/interactions",
        {
            "channel": "wechat",
            "direction": "inbound",
            "summary": "Asked for a quote on 20 cameras",
            "outcome": "quote",
            "followup_on": due,
            "assignee_id": str(bob.id),
        },
    )

    assert response.status_code == 303
    page = await client.get(f"/customers/{customer_id}")
    assert "Asked for a quote on 20 cameras" in page.text
    row = await Interaction.select().first()
    assert (
        row["channel"] == "wechat"
        and row["assignee"] == bob.id
        and row["followup_on"].isoformat() == due
    )


async def test_a_contact_without_summary_is_refused_with_the_error_on_the_page(as_user, bob):
    customer_id = await make_customer(bob.current)
    client = await as_user(bob)
    response = await post_form(
        client, f"/customers/{customer_id}/interactions", {"channel": "phone", "summary": ""}
    )
    assert response.status_code == 400
    assert "This field is required." in response.text
    assert await Interaction.count() == 0


async def test_log_a_contact_page_takes_two_clicks(as_user, bob):
    customer_id = await make_customer(bob.current, "Quick Co")
    client = await as_user(bob)
    form = await client.get("/customers/log")
    assert "Quick Co" in form.text

    response = await post_form(
        client,
        "/customers/log",
        {"customer_id": str(customer_id), "channel": "visit", "summary": "Site visit"},
    )

    assert (
        response.status_code == 303 and response.headers["location"] == f"/customers/{customer_id}"
    )
    assert await Interaction.count() == 1


async def test_quick_log_refuses_another_partners_customer(as_user, bob, carol):
    foreign = await make_customer(carol.current)
    client = await as_user(bob)
    response = await post_form(
        client, "/customers/log", {"customer_id": str(foreign), "channel": "phone", "summary": "x"}
    )
    assert response.status_code == 400
    assert await Interaction.count() == 0


async def test_the_home_page_shows_due_and_overdue_followups(as_user, bob):
    customer_id = await make_customer(bob.current)
    interaction = await log_contact(bob.current, customer_id, days_ago=5, followup_in_days=1)
    await set_followup(interaction, clock.today() - dt.timedelta(days=2), bob.id)
    client = await as_user(bob)

    home = await client.get("/")

    assert "Follow-ups" in home.text and "Overdue" in home.text
    page = await client.get("/customers/followups")
    assert "Called about the new router series" in page.text


async def test_bulk_tag_from_the_list_and_filter_by_tag(as_user, bob):
    first = await make_customer(bob.current, "First Co")
    await make_customer(bob.current, "Second Co")
    client = await as_user(bob)

    response = await post_form(client, "/customers/bulk-tag", {"tag": "重点", "ids": [str(first)]})

    assert response.status_code == 303
    page = await client.get("/customers/", params={"tag": "重点"})
    assert "First Co" in page.text and "Second Co" not in page.text


async def test_export_is_an_xlsx_with_formulas_neutralised(as_user, bob):
    from openpyxl import load_workbook

    await make_customer(bob.current, '=HYPERLINK("http://evil")')
    client = await as_user(bob)

    response = await client.get("/customers/export.xlsx")

    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.cell(row=2, column=2).value.startswith("'=")


async def test_alice_limits_members_to_their_own_customers(as_user, alice, bob):
    await make_customer(alice.current, "Alice only")
    admin = await as_user(alice)
    await post_form(admin, "/customers/settings/visibility", {})
    member = await as_user(bob)
    page = await member.get("/customers/")
    assert "Alice only" not in page.text


async def test_a_user_turns_off_the_daily_digest(as_user, bob):
    from portal.customers.services import wants_digest

    client = await as_user(bob)
    response = await post_form(client, "/customers/settings/digest", {})
    assert response.status_code == 303
    assert await wants_digest(bob.id) is False


async def test_the_vendor_sees_activity_figures_without_customer_names(as_user, alice, vera):
    customer_id = await make_customer(alice.current, "Secret Customer Ltd")
    await log_contact(alice.current, customer_id, channel="wechat")
    client = await as_user(vera)

    page = await client.get("/console/customers/")

    assert page.status_code == 200
    assert "Secret Customer Ltd" not in page.text
    assert "华东智联科技有限公司" in page.text and "<svg" in page.text


async def test_the_customer_list_reads_in_chinese(as_user, bob):
    await make_customer(bob.current, "中文客户")
    client = await as_user(bob)
    page = await client.get("/customers/", headers={"Accept-Language": "zh-CN"})
    assert "中文客户" in page.text
    assert '<html lang="zh-CN"' in page.text


async def test_the_timeline_pages_through_older_contacts(as_user, bob, monkeypatch):
    from portal.customers import services

    monkeypatch.setattr(services, "TIMELINE_LIMIT", 2)
    customer_id = await make_customer(bob.current)
    for n, days in enumerate((3, 2, 1)):
        await log_contact(bob.current, customer_id, days_ago=days, summary=f"Contact number {n}")
    client = await as_user(bob)

    first = await client.get(f"/customers/{customer_id}")
    second = await client.get(f"/customers/{customer_id}?page=2")

    assert "Contact number 2" in first.text and "Contact number 0" not in first.text
    assert "Older contacts" in first.text
    assert "Contact number 0" in second.text and "Newer" in second.text
