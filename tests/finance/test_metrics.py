"""Scorecard metrics of finance: days sales outstanding, overdue amount and rebate earned, each
opening the receivables or accruals behind it, within the tenant wall."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from portal.finance import rebates
from portal.finance.figures import days_outstanding
from portal.finance.tables import RebateAccrual, Receivable
from portal.lib import clock
from portal.performance import views
from portal.performance.periods import Period
from tests.finance.factories import pay, shipped_order
from tests.performance.factories import local


def _on(period: Period, n: int) -> dt.datetime:
    return local(period.start + dt.timedelta(days=n - 1))


@pytest.fixture
async def closed(time_travel, alice, carol, vera) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Last month, partner A: two equal shipments billed on the 5th, the first paid on the 6th,
    the second due on the 15th and paid only this month; a rebate programme of the quarter
    accrued on the 26th. Partner B: a shipment billed on the 5th, due the 10th, unpaid."""
    period = Period.containing(clock.today()).previous
    back_to = clock.now()
    time_travel.move_to(_on(period, 5))
    paid, late = await shipped_order(alice, vera), await shipped_order(alice, vera)
    foreign = await shipped_order(carol, vera)
    time_travel.move_to(_on(period, 6))
    await pay(vera, alice.partner_id, paid["total"], on=clock.today())
    await Receivable.update({Receivable.due_on: period.start + dt.timedelta(days=14)}).where(
        Receivable.id == late["receivable_id"]
    )
    await Receivable.update({Receivable.due_on: period.start + dt.timedelta(days=9)}).where(
        Receivable.id == foreign["receivable_id"]
    )
    time_travel.move_to(_on(period, 26))
    quarter = f"{period.start.year}-Q{(period.start.month - 1) // 3 + 1}"
    programme = await rebates.create_programme(
        vera.current,
        rebates.ProgrammeInput(name="四季度返利", period=quarter, bands="1:2", partner_codes=""),
    )
    await rebates.recompute_accruals()
    time_travel.move_to(back_to)
    await pay(vera, alice.partner_id, late["total"], on=clock.today())  # after the period
    return {"period": period, "paid": paid, "late": late, "foreign": foreign,
            "programme": programme}  # fmt: skip


def _query(period: Period) -> str:
    return f"?period={period.code}&kind={period.kind.value}"


def test_days_sales_outstanding_rounds_half_up_and_needs_sales():
    assert days_outstanding(1_000_00, 2_000_00, 31) == 16  # 15.5 days
    assert days_outstanding(0, 2_000_00, 31) == 0
    assert days_outstanding(1_000_00, 0, 31) is None


async def test_half_the_month_billed_still_owed_at_its_end_is_half_the_month_outstanding(
    partner_a, closed
):
    period = closed["period"]
    card = await views.scorecard(partner_a, period)

    kpi = card["kpi"]
    days = (period.end - period.start).days
    assert kpi["days_sales_outstanding"]["value"] == days_outstanding(1, 2, days)
    assert kpi["overdue_amount"]["value"] == closed["late"]["total"]
    earned = await RebateAccrual.select().where(RebateAccrual.partner == partner_a).first()
    assert earned["earned_amount"] == (closed["paid"]["total"] + closed["late"]["total"]) * 2 // 100
    assert kpi["rebate_earned"]["value"] == earned["earned_amount"]


async def test_the_running_month_owes_nothing_once_the_late_shipment_is_paid(partner_a, closed):
    card = await views.scorecard(partner_a, Period.containing(clock.today()))

    assert card["kpi"]["overdue_amount"]["value"] == 0
    assert card["kpi"]["days_sales_outstanding"]["value"] is None  # nothing billed this month


async def test_the_overdue_figure_opens_the_receivable_owed_at_the_periods_end(
    as_user, alice, vera, partner_a, closed
):
    query = _query(closed["period"])
    staff = (
        await (await as_user(vera)).get(
            f"/console/performance/partners/{partner_a}/figures/overdue_amount{query}"
        )
    ).text
    mine = (await (await as_user(alice)).get(f"/performance/figures/overdue_amount{query}")).text

    for page in (staff, mine):
        assert 'data-rows="1"' in page
        assert closed["late"]["number"] in page and closed["paid"]["number"] not in page
        assert closed["foreign"]["number"] not in page
    assert f'href="/console/finance/partners/{partner_a}"' in staff
    assert 'href="/money"' in mine


async def test_dso_lists_both_shipments_billed_and_rebate_lists_its_accrual(
    as_user, vera, partner_a, closed
):
    client = await as_user(vera)
    base = f"/console/performance/partners/{partner_a}/figures"
    query = _query(closed["period"])
    dso = (await client.get(f"{base}/days_sales_outstanding{query}")).text
    rebate = (await client.get(f"{base}/rebate_earned{query}")).text

    assert 'data-rows="2"' in dso and dso.count("<td>✓</td>") == 2
    assert 'data-rows="1"' in rebate and "四季度返利" in rebate
    assert f'href="/console/finance/rebates/{closed["programme"]}"' in rebate


async def test_the_finance_drill_down_stops_at_the_tenant_wall(
    as_user, carol, manny, partner_b, closed
):
    query = _query(closed["period"])
    carol_page = (
        await (await as_user(carol)).get(f"/performance/figures/overdue_amount{query}")
    ).text
    foreign = await (await as_user(manny)).get(
        f"/console/performance/partners/{partner_b}/figures/overdue_amount{query}"
    )

    assert closed["foreign"]["number"] in carol_page
    assert closed["late"]["number"] not in carol_page
    assert foreign.status_code == 404
