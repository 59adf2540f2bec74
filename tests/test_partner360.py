"""The console partner page as the vendor's 360° view (issue 12, point 10): real figures from
every domain, each section linking to its full list filtered to the partner, the channel team's
notes (edited, audited), and a channel manager's wall (another partner's page answers 404)."""

from __future__ import annotations

import json
import re

import pytest

from portal.core.tables import AuditEntry
from portal.partners.tables import Partner
from tests.customers.factories import log_contact, make_customer
from tests.orders.factories import make_product, place
from tests.personas import post_form
from tests.support.factories import make_case


@pytest.fixture(autouse=True)
def fresh_boards():  # type: ignore[no-untyped-def]
    """The page reads the leaderboard through its one-minute cache: start each test without."""
    from portal.performance import views

    views.forget_boards()
    yield
    views.forget_boards()


@pytest.fixture
async def busy_partner_a(partner_a, partner_b, alice, carol):
    """Partner A with a credit limit, two open orders, a case and a customer with a contact;
    partner B with an order and a case of its own (which A's page must not show)."""
    await Partner.update({Partner.credit_limit_amount: 100_000_00}).where(Partner.id == partner_a)
    await Partner.update({Partner.credit_limit_amount: 100_000_00}).where(Partner.id == partner_b)
    await make_product("P360-1", price=1_000_00, stock=100)
    first = await place(alice.current, {"P360-1": 2})
    second = await place(alice.current, {"P360-1": 1})
    other = await place(carol.current, {"P360-1": 1})
    await make_case(alice, subject="路由器夜间掉线")
    await make_case(carol, subject="岭南的发票问题")
    customer = await make_customer(alice.current, name="苏州启明软件")
    await log_contact(alice.current, customer, days_ago=1)
    await log_contact(alice.current, customer, days_ago=2, channel="wechat")
    return {"orders": [first, second], "other_order": other}


def _href(page: str, prefix: str) -> str:
    """The first link on the page whose address starts with `prefix` (HTML entities undone)."""
    match = re.search(r'href="(' + re.escape(prefix) + r'[^"]*)"', page)
    assert match, f"no link to {prefix}"
    return match.group(1).replace("&amp;", "&")


async def test_vera_sees_every_domain_of_partner_a_on_its_page(
    as_user, vera, partner_a, busy_partner_a
):
    page = await (await as_user(vera)).get(f"/console/partners/{partner_a}")

    assert page.status_code == 200
    text = page.text
    for placed in busy_partner_a["orders"]:  # recent orders, by number
        assert placed.number in text
    assert busy_partner_a["other_order"].number not in text
    assert "路由器夜间掉线" in text and "岭南的发票问题" not in text  # open cases
    assert "Open orders" in text and "Credit used" in text and "Channel team notes" in text
    assert "¥100,000.00" in text  # the credit limit beside what is used of it
    assert "Contacts in the last 30 days: 2" in text  # customers and contact activity
    assert "<svg" in text and 'class="sparkline"' in text  # the score's revenue trend
    assert "Alice 张爱丽" in text  # users and last sign-in


async def test_the_sections_link_to_their_lists_filtered_to_the_partner(
    as_user, vera, partner_a, busy_partner_a
):
    client = await as_user(vera)
    page = (await client.get(f"/console/partners/{partner_a}")).text

    orders = await client.get(_href(page, f"/console/orders?partner_id={partner_a}"))
    assert busy_partner_a["orders"][0].number in orders.text
    assert busy_partner_a["other_order"].number not in orders.text
    cases = await client.get(_href(page, f"/console/cases?partner_id={partner_a}"))
    assert "路由器夜间掉线" in cases.text and "岭南的发票问题" not in cases.text
    customers = await client.get(_href(page, f"/console/customers?partner_id={partner_a}"))
    table = customers.text.split("<tbody>", 1)[1]  # the filter's select names every partner
    assert "华东智联科技有限公司" in table and "岭南优品贸易有限公司" not in table
    for prefix in (
        f"/console/finance/partners/{partner_a}",
        f"/console/performance/partners/{partner_a}",
        f"/console/campaigns?partner_id={partner_a}",
        f"/console/feedback?partner_id={partner_a}",
    ):
        assert (await client.get(_href(page, prefix))).status_code == 200, prefix


async def test_manny_sees_his_partner_and_404_for_another(as_user, manny, partner_a, partner_b):
    client = await as_user(manny)

    assert (await client.get(f"/console/partners/{partner_a}")).status_code == 200
    assert (await client.get(f"/console/partners/{partner_b}")).status_code == 404
    refused = await post_form(client, f"/console/partners/{partner_b}/notes", {"notes": "x"})
    assert refused.status_code == 404


async def test_manny_keeps_notes_on_his_partner_and_the_change_is_audited(
    as_user, manny, alice, partner_a
):
    client = await as_user(manny)

    saved = await post_form(
        client, f"/console/partners/{partner_a}/notes", {"notes": "老板下月去展会，提前备货"}
    )

    assert saved.status_code == 303
    page = await client.get(f"/console/partners/{partner_a}")
    assert "老板下月去展会，提前备货" in page.text and "manny@vendor.test" in page.text
    entry = (
        await AuditEntry.select()
        .where((AuditEntry.action == "partner.notes_change") & (AuditEntry.partner_id == partner_a))
        .first()
    )
    before, after = (
        json.loads(v) if isinstance(v, str) else v for v in (entry["before"], entry["after"])
    )
    assert before == {"notes": ""} and after == {"notes": "老板下月去展会，提前备货"}
    mine = await (await as_user(alice)).get("/my-company")
    assert "老板下月去展会" not in mine.text  # the partner never sees the channel team's notes


async def test_too_long_notes_are_refused_next_to_the_field(as_user, vera, partner_a):
    client = await as_user(vera)

    response = await post_form(
        client, f"/console/partners/{partner_a}/notes", {"notes": "长" * 5001}
    )

    assert response.status_code == 400
    assert "At most 5000 characters." in response.text


async def test_the_page_reads_in_chinese(as_user, vera, partner_a, busy_partner_a):
    page = await (await as_user(vera)).get(
        f"/console/partners/{partner_a}", headers={"Accept-Language": "zh-CN"}
    )

    assert page.status_code == 200
    assert "未完成订单" in page.text and "已用信用额度" in page.text and "渠道团队备注" in page.text
    assert "Open orders" not in page.text and "Credit used" not in page.text


async def test_a_suspended_partner_is_not_on_the_leaderboard_and_its_page_says_so(
    as_user, vera, partner_a
):
    await Partner.update({Partner.status: "suspended"}).where(Partner.id == partner_a)

    page = await (await as_user(vera)).get(f"/console/partners/{partner_a}")

    assert page.status_code == 200 and "Not on the leaderboard" in page.text


async def test_the_campaign_and_survey_lists_filter_by_partner_within_the_scope(
    as_user, vera, manny, partner_a, partner_b
):
    from tests.communications.factories import make_campaign, make_request

    await make_campaign(vera.current, title="全员促销", title_en="For everyone", files=0)
    await make_campaign(
        vera.current,
        audience="partners",
        values=[str(partner_b)],
        title="岭南专享",
        title_en="For Lingnan only",
        files=0,
    )
    await make_request(vera.current, audience="partners", values=[str(partner_b)])
    client = await as_user(manny)

    mine = await client.get("/console/campaigns", params={"partner_id": partner_a})
    assert "For everyone" in mine.text and "For Lingnan only" not in mine.text
    foreign = await client.get("/console/campaigns", params={"partner_id": partner_b})
    assert "For everyone" not in foreign.text and "For Lingnan only" not in foreign.text
    surveys = await client.get("/console/feedback", params={"partner_id": partner_b})
    assert "Partner satisfaction Q4 2026" not in surveys.text  # B is not manny's partner
    seen = await (await as_user(vera)).get("/console/feedback", params={"partner_id": partner_b})
    assert "Partner satisfaction Q4 2026" in seen.text
