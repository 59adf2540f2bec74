"""Scorecards and the leaderboard on the 2nd of a month (issue 12, point 9): they open on the
last closed month; the running month, still selectable, counts to date and is compared with the
same days of the previous month; the tier advice speaks in the past of a closed month."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.lib import clock
from portal.lib.i18n import format_money as money
from portal.lib.i18n import use_locale
from portal.performance.periods import Period, PeriodKind, add_months, window
from tests.performance.factories import make_sale, refresh


@pytest.fixture
async def second_of_month(time_travel, partner_a, partner_b):  # type: ignore[no-untyped-def]
    """09:00 in Shanghai on the 2nd of next month; partner A sold 4,000 on the 1st of the
    closed month, 96,000 later that month and 6,000 on the 1st of the running month."""
    day = add_months(clock.today(), 1).replace(day=2)
    time_travel.move_to(dt.datetime.combine(day, dt.time(9), clock.zone()))
    running = Period.containing(clock.today())
    closed = running.previous
    await make_sale(partner_a, 4_000_00, closed.start)
    await make_sale(partner_a, 96_000_00, closed.start + dt.timedelta(days=19))
    await make_sale(partner_a, 6_000_00, running.start)
    await make_sale(partner_b, 50_000_00, closed.start + dt.timedelta(days=5))
    await refresh(closed.code, running.code)
    return closed, running


def _en(text_of):  # type: ignore[no-untyped-def]
    with use_locale("en"):
        return text_of()


async def test_alice_scorecard_opens_on_the_closed_month_with_past_tense_advice(
    as_user, alice, second_of_month
):
    closed, _running = second_of_month

    page = (await (await as_user(alice)).get("/performance/")).text

    assert _en(lambda: f"Your scorecard for {closed.label()}.") in page
    assert "¥100,000.00" in page
    assert (
        _en(
            lambda: (
                f"In {closed.label()}: needed {money(900_000_00)} more revenue to reach Platinum."
            )
        )
        in page
    )
    assert "this month reaches" not in page and "still running" not in page


async def test_the_running_month_counts_to_date_against_the_same_days_before(
    as_user, alice, second_of_month
):
    closed, running = second_of_month
    days = _en(lambda: window(running, clock.today()).label())
    before = _en(lambda: window(running, clock.today(), closed).label())

    page = (await (await as_user(alice)).get(f"/performance/?period={running.code}")).text

    assert "¥6,000.00" in page
    assert f"+50% vs {before}" in page  # 6,000 on the 1st against 4,000 on the 1st–2nd before
    assert f"figures for {days}, compared with the same days" in page and before in page
    assert _en(lambda: f"{money(994_000_00)} more revenue this month reaches Platinum.") in page
    assert _en(lambda: f"{running.label()} (to date)") in page  # still in the picker
    assert "-94" not in page and "−94" not in page


async def test_the_leaderboard_and_vendor_scorecard_open_on_the_closed_month(
    as_user, vera, partner_a, second_of_month
):
    closed, running = second_of_month
    client = await as_user(vera)

    board = (await client.get("/console/performance/")).text
    live = (await client.get(f"/console/performance/?period={running.code}")).text
    card = (await client.get(f"/console/performance/partners/{partner_a}")).text

    assert _en(lambda: f"Leaderboard for {closed.label()}") in board and "¥100,000.00" in board
    assert '<td class="num nowrap">50%</td>' in live and "-94" not in live  # growth, to date
    assert "still running" in live
    assert (
        _en(lambda: f"Scorecard for {closed.label()}") in card
        and _en(lambda: f"needed {money(900_000_00)}") in card
    )


async def test_the_chinese_scorecard_says_what_a_closed_month_lacked(
    as_user, alice, second_of_month
):
    closed, running = second_of_month
    client = await as_user(alice)
    zh = {"Accept-Language": "zh-CN"}

    past = (await client.get("/performance/", headers=zh)).text
    live = (await client.get(f"/performance/?period={running.code}", headers=zh)).text

    with use_locale("zh_CN"):
        assert f"{closed.label()}距离铂金门槛还差 {money(900_000_00)} 营业额。" in past
        assert f"本月再实现 {money(994_000_00)} 营业额即可达到铂金。" in live
    assert "本月再实现" not in past


async def test_the_api_defaults_to_the_closed_month_and_keeps_explicit_periods(
    as_user, alice, second_of_month
):
    closed, running = second_of_month
    client = await as_user(alice)

    default = (await client.get("/api/v1/performance/scorecard")).json()
    live = (await client.get(f"/api/v1/performance/scorecard?period={running.code}")).json()
    schema = (await client.get("/schema/openapi.json")).json()

    assert (default["period"], default["revenue_amount"]) == (closed.code, 100_000_00)
    assert (live["period"], live["revenue_amount"]) == (running.code, 6_000_00)
    growth = next(k for k in live["kpis"] if k["key"] == "growth_previous")
    assert growth["value"] == pytest.approx(0.5)
    described = schema["paths"]["/api/v1/performance/scorecard"]["get"]["description"]
    assert "last closed month" in described


def test_a_running_period_is_compared_with_the_same_days():
    # pure date maths: the dates are examples, not "today"
    december, quarter = Period.parse("2026-12"), Period.parse("2026-Q4")
    second = dt.date(2026, 12, 2)

    assert (window(december, second).start, window(december, second).end) == (
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 3),
    )
    november = window(december, second, december.previous)
    assert (november.start, november.end, november.partial) == (
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 3),
        True,
    )
    march_31 = window(Period.parse("2027-03"), dt.date(2027, 3, 31), Period.parse("2027-02"))
    assert march_31.end == dt.date(2027, 3, 1) and not march_31.partial  # all of February
    q3 = window(quarter, second, quarter.previous)
    assert (q3.start, q3.end) == (dt.date(2026, 7, 1), dt.date(2026, 9, 3))
    closed = window(Period.parse("2026-10"), second, Period.parse("2026-09"))
    assert (closed.start, closed.end) == (dt.date(2026, 9, 1), dt.date(2026, 10, 1))
    assert Period.containing(second, PeriodKind.YEAR).is_running(second)
