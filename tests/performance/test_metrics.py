"""The KPI maths and periods: pure functions, no database."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.performance import metrics
from portal.performance.metrics import BY_KEY, TierStep
from portal.performance.periods import Period, PeriodError


def test_periods_parse_and_format_month_quarter_and_year():
    assert str(Period.parse("2026-10")) == "2026-10"
    assert str(Period.parse("2026-q3")) == "2026-Q3"
    assert str(Period.parse("2026")) == "2026"
    assert Period.parse("2026-Q3").start == dt.date(2026, 7, 1)
    assert Period.parse("2026-Q4").end == dt.date(2027, 1, 1)


@pytest.mark.parametrize("text", ["", "2026-13", "2026-Q5", "26-10", "abc", "1999"])
def test_a_malformed_period_is_refused(text):
    with pytest.raises(PeriodError):
        Period.parse(text)


def test_previous_and_last_year_periods_cross_year_boundaries():
    assert str(Period.parse("2026-01").previous) == "2025-12"
    assert str(Period.parse("2026-Q1").previous) == "2025-Q4"
    assert str(Period.parse("2026").previous) == "2025"
    assert str(Period.parse("2026-Q3").last_year) == "2025-Q3"
    assert [str(p) for p in Period.parse("2026-02").trend(3)] == ["2025-12", "2026-01", "2026-02"]


def test_growth_and_attainment_are_none_without_a_base():
    assert metrics.growth(120, 100) == pytest.approx(0.2)
    assert metrics.growth(120, 0) is None
    assert metrics.attainment(90, 100) == pytest.approx(0.9)
    assert metrics.attainment(90, None) is None


def test_average_order_value_rounds_half_up_in_minor_units():
    assert metrics.average_amount(10, 4) == 3  # 2.5 -> 3
    assert metrics.average_amount(0, 0) is None


def test_revenue_is_scored_by_rank_and_attainment_on_a_fixed_scale():
    revenue = metrics.normalise(BY_KEY["revenue"], {1: 300, 2: 100, 3: 200, 4: None})
    attainment = metrics.normalise(BY_KEY["attainment"], {1: 1.4, 2: 0.5, 3: None})
    assert revenue == {1: 1.0, 2: 0.0, 3: 0.5, 4: 0.0}
    assert attainment == {1: 1.0, 2: 0.5, 3: 0.0}


def test_composite_score_uses_only_weighted_metrics_that_exist():
    figures = {
        1: {"revenue": 500, "attainment": 1.0},
        2: {"revenue": 100, "attainment": 0.5},
    }
    weights = {"revenue": 50, "attainment": 50, "nps": 100}  # nps has no source here
    scores = metrics.composite_scores(figures, weights, [BY_KEY["revenue"], BY_KEY["attainment"]])
    assert scores == {1: 100, 2: 25}


def test_ties_share_a_rank():
    assert metrics.ranks({1: 80, 2: 90, 3: 80, 4: 10}) == {2: 1, 1: 2, 3: 2, 4: 4}


def test_partners_see_their_rank_only_as_a_band():
    assert metrics.rank_band(1, 40) == "top 10 %"
    assert metrics.rank_band(10, 40) == "top 25 %"
    assert metrics.rank_band(20, 40) == "top 50 %"
    assert metrics.rank_band(39, 40) == "bottom 50 %"


LADDER = [
    TierStep("platinum", "Platinum", 1, 3_000_000_00),
    TierStep("gold", "Gold", 2, 1_200_000_00),
    TierStep("silver", "Silver", 3, 400_000_00),
    TierStep("registered", "Registered", 4, 0),
]


def test_tier_advice_names_the_money_gap_to_the_next_tier():
    advice = metrics.tier_advice(LADDER, "silver", 1_080_000_00, 900_000_00)
    lines = metrics.advice_sentences(advice, "¥120,000.00", "this quarter", "quarters")
    assert advice.gap == 120_000_00
    assert lines == ["¥120,000.00 more revenue this quarter reaches Gold."]


def test_tier_advice_warns_below_threshold_two_periods_in_a_row():
    advice = metrics.tier_advice(LADDER, "silver", 300_000_00, 350_000_00)
    lines = metrics.advice_sentences(advice, "¥900,000.00", "this quarter", "quarters")
    assert "Below the Silver threshold two quarters in a row." in lines


def test_tier_advice_recommends_an_upgrade_when_revenue_meets_a_higher_threshold():
    advice = metrics.tier_advice(LADDER, "silver", 1_500_000_00, 0)
    lines = metrics.advice_sentences(advice, "", "this quarter", "quarters")
    assert lines[0] == "Revenue meets the Gold threshold: recommend an upgrade."


def test_thresholds_scale_from_quarter_to_month_and_year():
    assert metrics.period_threshold(1_200_000_00, 1) == 400_000_00
    assert metrics.period_threshold(1_200_000_00, 12) == 4_800_000_00
