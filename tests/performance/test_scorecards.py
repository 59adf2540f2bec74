"""Figures from orders and rollups: what counts as revenue, rollups equal the raw aggregate,
ranks and the leaderboard the vendor sees."""

from __future__ import annotations

import datetime as dt

from portal.performance import rollups, views
from portal.performance.periods import Period
from tests.performance.factories import make_sale, make_target, refresh

OCT = Period.parse("2026-10")


async def test_revenue_counts_approved_and_later_orders_by_approval_month(partner_a):
    await make_sale(partner_a, 100_00, dt.date(2026, 10, 1), "approved")
    await make_sale(partner_a, 200_00, dt.date(2026, 10, 2), "partially_shipped")
    await make_sale(partner_a, 400_00, dt.date(2026, 10, 3), "shipped")
    await make_sale(partner_a, 800_00, dt.date(2026, 10, 31), "delivered")
    await make_sale(partner_a, 1_600_00, dt.date(2026, 10, 4), "rejected")
    await make_sale(partner_a, 3_200_00, dt.date(2026, 10, 5), "cancelled")
    await make_sale(partner_a, 6_400_00, dt.date(2026, 10, 6), "submitted")
    await make_sale(partner_a, 12_800_00, dt.date(2026, 11, 1), "delivered")  # next month

    await refresh("2026-10")
    card = await views.scorecard(partner_a, OCT)

    assert card["revenue"] == 1_500_00
    assert card["kpi"]["order_count"]["value"] == 4


async def test_the_month_follows_local_time_not_utc(partner_a):
    # 00:30 on 1 November in Shanghai is still 31 October in UTC
    await make_sale(
        partner_a,
        500_00,
        dt.date(2026, 11, 1),
        decided_at=dt.datetime(2026, 10, 31, 16, 30, tzinfo=dt.UTC),
    )
    await refresh("2026-10", "2026-11")

    october = await views.scorecard(partner_a, OCT)
    november = await views.scorecard(partner_a, OCT.shift(1))

    assert (october["revenue"], november["revenue"]) == (0, 500_00)


async def test_rollups_match_the_raw_order_aggregate(partner_a, partner_b):
    for day in (3, 9, 27):
        await make_sale(partner_a, day * 1000_00, dt.date(2026, 8, day))
        await make_sale(partner_b, day * 300_00, dt.date(2026, 9, day))
    await refresh("2026-Q3")

    raw = await rollups.order_totals(None, dt.date(2026, 7, 1), dt.date(2026, 10, 1))
    from_rollup = await rollups.rollup_totals(None, dt.date(2026, 7, 1), dt.date(2026, 10, 1))

    assert raw == from_rollup == {partner_a: (39_000_00, 3), partner_b: (11_700_00, 3)}


async def test_refreshing_twice_writes_the_same_rollups(partner_a):
    await make_sale(partner_a, 700_00, dt.date(2026, 10, 9))
    await refresh("2026-10")
    await refresh("2026-10")

    totals = await rollups.rollup_totals([partner_a], OCT.start, OCT.end)

    assert totals == {partner_a: (700_00, 1)}


async def test_growth_compares_with_previous_period_and_last_year(partner_a):
    await make_sale(partner_a, 100_000_00, dt.date(2025, 10, 10))
    await make_sale(partner_a, 200_000_00, dt.date(2026, 9, 10))
    await make_sale(partner_a, 150_000_00, dt.date(2026, 10, 10))
    await make_target(partner_a, "2026-10", 300_000_00)
    await refresh("2025-10", "2026-09", "2026-10")

    card = await views.scorecard(partner_a, OCT)

    assert card["kpi"]["growth_previous"]["value"] == -0.25
    assert card["kpi"]["growth_last_year"]["value"] == 0.5
    assert card["kpi"]["attainment"]["value"] == 0.5
    assert card["kpi"]["revenue"]["change"] == "-25%"


async def test_the_best_partner_ranks_first_overall_and_in_its_tier(partner_a, partner_b):
    await make_sale(partner_a, 900_000_00, dt.date(2026, 10, 10))
    await make_sale(partner_b, 100_000_00, dt.date(2026, 10, 10))
    await refresh("2026-10")

    board = await views.board_for(OCT)

    assert [r.partner_id for r in board.rows[:2]] == [partner_a, partner_b]
    assert board.row(partner_a).rank == 1 and board.row(partner_a).tier_position == 1
    assert board.row(partner_a).score > board.row(partner_b).score


async def test_quarter_and_year_sum_their_months(partner_a):
    for month in (7, 8, 9):
        await make_sale(partner_a, 100_00 * month, dt.date(2026, month, 15))
    await refresh("2026")

    quarter = await views.scorecard(partner_a, Period.parse("2026-Q3"))
    year = await views.scorecard(partner_a, Period.parse("2026"))

    assert quarter["revenue"] == year["revenue"] == 2_400_00
    assert len(quarter["trend"]) == 12 and quarter["trend"][-1]["revenue"] == 2_400_00
