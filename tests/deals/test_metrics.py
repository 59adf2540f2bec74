"""Scorecard metrics of deals: registered, approved, won, win rate and pipeline value, each
opening the deals behind it, within the tenant wall."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from pypdf import PdfReader

from portal.deals import services
from portal.deals.tables import Deal
from portal.lib import clock
from portal.performance import reports, views
from portal.performance.periods import Period
from tests.deals.factories import make_deal
from tests.performance.factories import local


def _on(period: Period, n: int) -> dt.datetime:
    return local(period.start + dt.timedelta(days=n - 1))


@pytest.fixture
async def closed(time_travel, alice, carol, vera) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Last month, partner A: six deals registered on the 10th, five approved; on the 20th
    three won and one lost, one left open (proposal, ¥50,000), one still waiting. Partner B: a
    deal won. The month before: a deal of A won (not counted)."""
    period = Period.containing(clock.today()).previous
    back_to = clock.now()
    time_travel.move_to(_on(period.previous, 10))
    earlier = await make_deal(alice.current, status="approved", vendor=vera.current)
    await services.win_deal(alice.current, earlier, [])
    time_travel.move_to(_on(period, 10))
    approved = [
        await make_deal(alice.current, status="approved", vendor=vera.current) for _ in range(5)
    ]
    waiting = await make_deal(alice.current, status="submitted")
    foreign = await make_deal(carol.current, status="approved", vendor=vera.current)
    time_travel.move_to(_on(period, 20))
    for deal_id in approved[:3]:
        await services.win_deal(alice.current, deal_id, [])
    await services.lose_deal(alice.current, approved[3], "价格太高")
    await services.win_deal(carol.current, foreign, [])
    open_deal = approved[4]
    await services.set_stage(alice.current, open_deal, "proposal")
    await Deal.update({Deal.estimated_amount: 50_000_00}).where(Deal.id == open_deal)
    time_travel.move_to(back_to)
    return {"period": period, "won": approved[:3], "lost": approved[3], "open": open_deal,
            "waiting": waiting, "earlier": earlier, "foreign": foreign}  # fmt: skip


def _query(period: Period) -> str:
    return f"?period={period.code}&kind={period.kind.value}"


async def test_three_won_and_one_lost_is_a_75_percent_win_rate(partner_a, closed):
    card = await views.scorecard(partner_a, closed["period"])

    kpi = card["kpi"]
    assert kpi["deals_registered"]["value"] == 6
    assert kpi["deals_approved"]["value"] == 5
    assert kpi["deals_won"]["value"] == 3
    assert kpi["deal_win_rate"]["value"] == pytest.approx(0.75)
    assert kpi["deal_win_rate"]["display"] == "75%"
    assert kpi["pipeline_value"]["value"] == 50_000_00
    assert kpi["pipeline_value"]["display"].endswith("¥50,000.00")


async def test_partner_b_counts_only_its_own_deal(partner_b, closed):
    card = await views.scorecard(partner_b, closed["period"])

    assert card["kpi"]["deals_won"]["value"] == 1
    assert card["kpi"]["deal_win_rate"]["value"] == 1.0
    assert card["kpi"]["deals_registered"]["value"] == 1
    assert card["kpi"]["pipeline_value"]["value"] == 0


async def test_the_win_rate_opens_the_four_closed_deals_with_the_won_ones_ticked(
    as_user, vera, partner_a, closed
):
    client = await as_user(vera)
    page = (
        await client.get(
            f"/console/performance/partners/{partner_a}/figures/deal_win_rate"
            + _query(closed["period"])
        )
    ).text

    assert int(re.search(r'data-rows="(\d+)"', page)[1]) == 4  # type: ignore[index]
    assert page.count("<td>✓</td>") == 3
    for deal_id in [*closed["won"], closed["lost"]]:
        assert f'href="/console/deals/{deal_id}"' in page
    assert f"/console/deals/{closed['earlier']}" not in page
    assert f"/console/deals/{closed['foreign']}" not in page


@pytest.mark.parametrize(
    ("metric", "rows"),
    [("deals_registered", 6), ("deals_approved", 5), ("deals_won", 3), ("pipeline_value", 1)],
)
async def test_each_deal_figure_opens_the_partners_own_deals(as_user, alice, closed, metric, rows):
    page = (
        await (await as_user(alice)).get(
            f"/performance/figures/{metric}" + _query(closed["period"])
        )
    ).text

    assert int(re.search(r'data-rows="(\d+)"', page)[1]) == rows  # type: ignore[index]
    assert f"/deals/{closed['foreign']}" not in page
    if metric == "pipeline_value":
        assert f'href="/deals/{closed["open"]}"' in page and "¥50,000.00" in page


async def test_the_deal_drill_down_stops_at_the_tenant_wall(
    as_user, carol, manny, partner_a, partner_b, closed
):
    query = _query(closed["period"])
    carol_page = (await (await as_user(carol)).get(f"/performance/figures/deals_won{query}")).text
    manny_client = await as_user(manny)
    own = await manny_client.get(
        f"/console/performance/partners/{partner_a}/figures/deals_won{query}"
    )
    foreign = await manny_client.get(
        f"/console/performance/partners/{partner_b}/figures/deals_won{query}"
    )

    assert 'data-rows="1"' in carol_page and f"/deals/{closed['foreign']}" in carol_page
    assert not any(f"/deals/{d}" in carol_page for d in closed["won"])
    assert own.status_code == 200 and 'data-rows="3"' in own.text
    assert foreign.status_code == 404


async def test_the_monthly_report_has_the_pipeline_by_stage_and_the_win_rate(partner_a, closed):
    english = await reports.report_html(partner_a, closed["period"], "en")
    chinese = await reports.report_html(partner_a, closed["period"], "zh_CN")
    pdf = PdfReader(io.BytesIO(await reports.render_report(partner_a, closed["period"], "zh_CN")))
    text = "".join(page.extract_text() for page in pdf.pages)

    assert "Pipeline and deals" in english and "Win rate 75%: 3 won of 4 closed." in english
    assert "¥50,000.00" in english and "<svg" in english.split("Pipeline and deals")[1]
    assert "商机管道" in chinese and "赢单率 75%" in chinese
    assert "商机管道" in text and "赢单率" in text
