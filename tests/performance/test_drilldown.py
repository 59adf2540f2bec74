"""Every scorecard figure opens the rows it counts, on the partner's and on the vendor's
scorecard, and the number shown is the number of rows behind the link (issue 12, point 11)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from portal.communications.campaigns.constants import ActivityKind
from portal.communications.campaigns.reads import record_activity
from portal.communications.campaigns.tables import CampaignFile
from portal.customers.tables import Customer
from portal.lib import clock
from portal.performance import views
from portal.performance.periods import Period
from portal.support.tables import SupportCase
from tests.communications.factories import answer, make_campaign, make_request
from tests.customers.factories import log_contact, make_customer
from tests.performance.factories import local, make_sale, refresh
from tests.support.factories import make_case

# metric -> what its figure is: "count" (rows behind the link) or "rate" (counted / rows)
CHECKED = {
    "order_count": "count",
    "customers_new": "count",
    "customers_active": "count",
    "interactions": "count",
    "interactions_per_user": "interactions",  # the contacts themselves (per user: / users)
    "followup_on_time": "rate",
    "cases_opened": "count",
    "sla_met_rate": "rate",
    "case_csat": "average",
    "campaign_open_rate": "rate",
    "files_downloaded": "count",
    "feedback_response_rate": "rate",
    "nps": "nps",
}


def day(period: Period, n: int) -> dt.date:
    return period.start + dt.timedelta(days=n - 1)


async def customer_work(closed: Period, alice: Any, bob: Any, carol: Any) -> None:
    """Two new customers, three contacts, two follow-ups due (one done on time) on the 15th;
    an older customer contacted the month before; partner B's customer."""
    old = await make_customer(alice.current)
    await Customer.update({Customer.created_at: local(closed.start - dt.timedelta(days=40))}).where(
        Customer.id == old
    )
    await log_contact(alice.current, old, days_ago=20)
    first = await make_customer(alice.current)
    second = await make_customer(bob.current)
    await log_contact(alice.current, first, channel="phone", followup_in_days=2)
    await log_contact(bob.current, second, channel="wechat", days_ago=1, followup_in_days=1)
    await log_contact(bob.current, second, channel="wechat")  # closes that follow-up: on time
    other = await make_customer(carol.current)
    await log_contact(carol.current, other)


async def case_work(closed: Period, alice: Any, carol: Any) -> None:
    """Two cases opened on the 15th (one resolved in time and rated 4, one overdue on the 20th),
    one opened the month before and resolved late on the 3rd (rated 2); partner B's case."""
    rated = await make_case(alice)
    overdue = await make_case(alice)
    older = await make_case(alice)
    await make_case(carol)
    await SupportCase.update(
        {
            SupportCase.status: "closed",
            SupportCase.resolved_at: local(day(closed, 16)),
            SupportCase.resolved_within_sla: True,
            SupportCase.closed_at: local(day(closed, 16)),
            SupportCase.csat_score: 4,
        }
    ).where(SupportCase.id == rated)
    await SupportCase.update(
        {SupportCase.status: "open", SupportCase.res_due_at: local(day(closed, 20))}
    ).where(SupportCase.id == overdue)
    await SupportCase.update(
        {
            SupportCase.created_at: local(closed.start - dt.timedelta(days=5)),
            SupportCase.status: "closed",
            SupportCase.resolved_at: local(day(closed, 3)),
            SupportCase.resolved_within_sla: False,
            SupportCase.closed_at: local(day(closed, 3)),
            SupportCase.csat_score: 2,
        }
    ).where(SupportCase.id == older)


async def communication_work(alice: Any, vera: Any) -> None:
    """Two campaigns on the 15th: alice opens one and downloads its file twice; two feedback
    requests: alice answers one with a 9."""
    opened = await make_campaign(vera.current)
    await make_campaign(vera.current, title="秋季新品")
    file_id = (
        await CampaignFile.select(CampaignFile.id).where(CampaignFile.campaign == opened).first()
    )["id"]
    await record_activity(alice.current, opened, ActivityKind.VIEW)
    for _ in range(2):
        await record_activity(alice.current, opened, ActivityKind.DOWNLOAD, file_id)
    answered = await make_request(vera.current)
    await make_request(vera.current)
    await answer(alice.current, answered, nps=9)


@pytest.fixture
async def closed_month(
    time_travel, partner_a: int, partner_b: int, alice, bob, carol, vera
) -> Period:  # type: ignore[no-untyped-def]
    """Last month: partner A's activity in every domain, and rows that must not count (other
    months, other statuses, partner B)."""
    closed = Period.containing(clock.today()).previous
    back_to = clock.now()
    time_travel.move_to(local(day(closed, 15)))
    await customer_work(closed, alice, bob, carol)
    await case_work(closed, alice, carol)
    await communication_work(alice, vera)
    time_travel.move_to(back_to)
    await make_sale(partner_a, 1_000_00, day(closed, 3))
    await make_sale(partner_a, 2_000_00, day(closed, 11), "approved")
    await make_sale(partner_a, 500_00, day(closed, 4), "rejected")
    await make_sale(partner_a, 900_00, closed.start - dt.timedelta(days=1))
    await make_sale(partner_b, 700_00, day(closed, 5))
    await refresh(closed.code, closed.previous.code)
    return closed


def drill_links(page: str) -> dict[str, str]:
    return {
        key: href.replace("&amp;", "&")
        for href, key in re.findall(r'<a href="([^"]+)" data-metric="([^"]+)"', page)
    }


async def rows_behind(client: Any, link: str) -> tuple[int, int | None, list[int]]:
    """(rows, counted rows, ratings) on the page a figure links to."""
    response = await client.get(link)
    assert response.status_code == 200, link
    page = response.text
    if "/figures/" not in link:  # an orders list of the orders domain
        return len(set(re.findall(r"SO-T-\d{6}", page))), None, []
    shown = int(re.search(r'data-rows="(\d+)"', page)[1])  # type: ignore[index]
    assert page.count("<tr data-row") == shown  # one page: every row is listed
    counted = page.count("<td>✓</td>") if "✓" in page or "perf-figure-rows" in page else None
    return shown, counted, [int(n) for n in re.findall(r'data-score="(\d+)"', page)]


@pytest.mark.parametrize("persona", ["alice", "bob", "vera"])
async def test_every_figure_is_the_number_of_rows_behind_its_link(
    as_user, partner_a, alice, bob, vera, closed_month, persona
):
    user = {"alice": alice, "bob": bob, "vera": vera}[persona]
    client = await as_user(user)
    if persona == "vera":
        scorecard = f"/console/performance/partners/{partner_a}?period={closed_month.code}"
    else:
        scorecard = f"/performance/?period={closed_month.code}"
    links = drill_links((await client.get(scorecard)).text)
    card = await views.scorecard(partner_a, closed_month)
    figures = {key: card["kpi"][key]["value"] for key in CHECKED}
    assert figures["order_count"] == 2 and figures["customers_new"] == 2
    assert (figures["customers_active"], figures["interactions"]) == (2, 3)
    assert figures["followup_on_time"] == 0.5
    assert (figures["cases_opened"], figures["case_csat"]) == (2, 3.0)
    assert figures["sla_met_rate"] == pytest.approx(1 / 3)
    assert (figures["campaign_open_rate"], figures["files_downloaded"]) == (0.5, 2)
    assert (figures["feedback_response_rate"], figures["nps"]) == (0.5, 100)

    for key, kind in CHECKED.items():
        value = card["kpi"][key]["value"]
        rows, counted, ratings = await rows_behind(client, links[key])
        if kind == "count":
            assert rows == value, key
        elif kind == "interactions":
            assert rows == card["kpi"]["interactions"]["value"], key
        elif kind == "nps":
            promoters = sum(1 for r in ratings if r >= 9) - sum(1 for r in ratings if r <= 6)
            assert len(ratings) == rows and value == round(100 * promoters / rows), key
        elif kind == "average":
            assert len(ratings) == rows and value == pytest.approx(sum(ratings) / rows), key
        else:
            assert counted is not None and value == pytest.approx(counted / rows), key


async def test_revenue_drills_down_to_the_orders_it_sums_for_a_buyer_and_a_member(
    as_user, alice, bob, closed_month
):
    for persona, opens in ((alice, "/orders/?"), (bob, "/performance/figures/revenue")):
        client = await as_user(persona)
        links = drill_links((await client.get(f"/performance/?period={closed_month.code}")).text)
        page = (await client.get(links["revenue"])).text

        assert links["revenue"].startswith(opens)
        assert "¥1,000.00" in page and "¥2,000.00" in page
        assert "¥500.00" not in page and "¥900.00" not in page and "¥700.00" not in page


async def test_a_drill_down_shows_only_the_readers_partner(
    as_user, carol, manny, partner_b, closed_month
):
    carol_page = (
        await (await as_user(carol)).get(
            f"/performance/figures/order_count?period={closed_month.code}"
        )
    ).text
    foreign = await (await as_user(manny)).get(
        f"/console/performance/partners/{partner_b}/figures/order_count?period={closed_month.code}"
    )
    unknown = await (await as_user(carol)).get("/performance/figures/nonsense")

    assert "¥700.00" in carol_page and "¥1,000.00" not in carol_page
    assert foreign.status_code == 404 and unknown.status_code == 404


async def test_staff_count_every_customer_but_see_only_the_shared_ones(
    as_user, vera, partner_a, closed_month
):
    client = await as_user(vera)
    link = f"/console/performance/partners/{partner_a}/figures/customers_new"

    page = (await client.get(f"{link}?period={closed_month.code}")).text

    assert 'data-rows="2"' in page
    assert page.count("A customer not visible to you") == 2 and "测试客户" not in page
