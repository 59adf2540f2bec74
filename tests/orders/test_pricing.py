"""The pure pricing maths: precedence, rounding once, volume breaks, validity, reasons."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.lib.i18n import use_locale
from portal.orders.constants import PriceRule
from portal.orders.pricing import (
    Break,
    Contract,
    TierList,
    best_break,
    choose_latest,
    discounted,
    in_force,
    net_price,
    next_break,
    quote_reason,
)

GOLD = TierList(id=1, tier_code="gold", discount_bp=1800)


def test_without_a_price_list_the_partner_pays_the_list_price():
    quote = net_price(199_00, 1)
    assert quote.unit_amount == 199_00
    assert quote.rule == PriceRule.LIST


def test_the_tier_discount_comes_off_the_list_price():
    quote = net_price(1_000_00, 1, tier_list=GOLD)
    assert quote.unit_amount == 820_00
    assert (quote.rule, quote.tier_code, quote.discount_bp) == (
        PriceRule.TIER_DISCOUNT,
        "gold",
        1800,
    )


def test_an_explicit_price_in_the_tier_list_replaces_the_discount():
    tier = TierList(id=1, tier_code="gold", discount_bp=1800, item_amount=750_00)
    quote = net_price(1_000_00, 1, tier_list=tier)
    assert (quote.unit_amount, quote.rule) == (750_00, PriceRule.TIER_PRICE)


def test_a_contract_price_overrides_the_tier_and_ignores_volume_breaks():
    contract = Contract(id=9, price_amount=700_00, valid_until=dt.date(2026, 12, 31))
    quote = net_price(1_000_00, 500, tier_list=GOLD, contract=contract, breaks=[Break(100, 300)])
    assert (quote.unit_amount, quote.rule) == (700_00, PriceRule.CONTRACT)
    assert quote.valid_until == dt.date(2026, 12, 31)
    assert quote.break_min_quantity is None


def test_a_volume_break_applies_on_top_of_the_tier_price_and_rounds_once():
    # 333.33 less 18 % = 273.3306, less 3 % = 265.130682 -> 265.13 (rounded once, not twice)
    quote = net_price(333_33, 100, tier_list=GOLD, breaks=[Break(100, 300)])
    assert quote.unit_amount == 265_13
    assert (quote.break_min_quantity, quote.break_discount_bp) == (100, 300)
    assert quote.line_amount(100) == 26_513_00


def test_below_the_threshold_no_break_applies():
    assert net_price(100_00, 99, breaks=[Break(100, 300)]).unit_amount == 100_00


def test_the_biggest_reached_break_wins():
    breaks = [Break(10, 100), Break(100, 300), Break(50, 200)]
    assert best_break(breaks, 60) == Break(50, 200)
    assert best_break(breaks, 5) is None
    assert next_break(breaks, 60) == Break(100, 300)


@pytest.mark.parametrize(
    ("amount", "discounts", "expected"),
    [(1, (5000,), 1), (3, (5000,), 2), (999, (3333,), 666), (10**15, (1,), 999_900_000_000_000)],
)
def test_discounts_round_half_up_to_a_whole_minor_unit(amount, discounts, expected):
    assert discounted(amount, *discounts) == expected


def test_a_discount_outside_0_to_100_percent_is_refused():
    with pytest.raises(ValueError):
        discounted(100, 10_001)


def test_validity_windows_are_inclusive_and_may_be_open():
    day = dt.date(2026, 6, 30)
    assert in_force(None, None, day)
    assert in_force(day, day, day)
    assert not in_force(dt.date(2026, 7, 1), None, day)
    assert not in_force(None, dt.date(2026, 6, 29), day)


def test_the_latest_started_rule_in_force_is_chosen():
    rows = [
        {"id": 1, "valid_from": None, "valid_until": None},
        {"id": 2, "valid_from": dt.date(2026, 1, 1), "valid_until": None},
        {"id": 3, "valid_from": dt.date(2027, 1, 1), "valid_until": None},
    ]
    assert choose_latest(rows, dt.date(2026, 6, 1))["id"] == 2
    assert choose_latest([], dt.date(2026, 6, 1)) is None


def test_the_reason_says_which_rule_produced_the_price():
    with use_locale("en"):
        tier = quote_reason(
            net_price(100_00, 100, tier_list=GOLD, breaks=[Break(100, 300)]), "Gold"
        )
        contract = quote_reason(
            net_price(100_00, 1, contract=Contract(1, 90_00, valid_until=dt.date(2026, 12, 31)))
        )
        plain = quote_reason(net_price(100_00, 1))
    assert tier == "Gold tier price list · volume break ≥100 (−3%)"
    assert contract.startswith("Contract price until") and "2026" in contract
    assert plain == "List price"
