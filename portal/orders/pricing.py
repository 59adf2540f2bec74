"""Net unit prices: pure integer/Decimal maths over the rules that apply; no database, no I/O.

Precedence, from the partner's point of view:
1. a contract price for the partner and SKU, valid on the day, is final (it is negotiated net);
2. otherwise the tier's price list in force: its explicit price for the SKU, or the list price less
   the list's discount;
3. otherwise the list price.
A volume break (>= N units, X % off) applies on top of 2 and 3, never on top of a contract price.
Discounts are basis points and multiply; the result is rounded once, half up, to a minor unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from portal.lib.i18n import format_date, format_percent
from portal.lib.i18n import gettext as _
from portal.orders.constants import BASIS_POINTS, PriceRule


@dataclass(frozen=True)
class TierList:
    """The tier's price list in force, seen for one SKU."""

    id: int
    tier_code: str
    discount_bp: int
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    item_amount: int | None = None  # an explicit price for this SKU, if the list has one


@dataclass(frozen=True)
class Contract:
    """A partner's contract price for one SKU."""

    id: int
    price_amount: int
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None


@dataclass(frozen=True)
class Break:
    """A volume break: at least min_quantity units, discount_bp off."""

    min_quantity: int
    discount_bp: int
    product_id: int | None = None  # None: every product


@dataclass(frozen=True)
class Quote:
    """A net unit price and the rule that produced it (what an order line snapshots)."""

    unit_amount: int
    list_amount: int
    rule: PriceRule
    tier_code: str = ""
    discount_bp: int = 0  # the tier list's discount, when it applied
    valid_until: dt.date | None = None  # the contract's or the price list's end date
    break_min_quantity: int | None = None
    break_discount_bp: int = 0
    deal_number: str = ""  # DEAL: the deal's number; otherwise the deal this goes beyond

    def line_amount(self, quantity: int) -> int:
        return self.unit_amount * quantity


def in_force(valid_from: dt.date | None, valid_until: dt.date | None, on: dt.date) -> bool:
    """Whether a validity window (open ends allowed, both ends inclusive) contains `on`."""
    return (valid_from is None or valid_from <= on) and (valid_until is None or on <= valid_until)


def discounted(amount: int, *discounts_bp: int) -> int:
    """amount less each discount in turn, rounded once, half up, to a whole minor unit."""
    value = Decimal(int(amount))
    for bp in discounts_bp:
        if not 0 <= bp <= BASIS_POINTS:
            raise ValueError(f"discount {bp} bp is outside 0..{BASIS_POINTS}")
        value = value * (BASIS_POINTS - bp) / BASIS_POINTS
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def best_break(breaks: Iterable[Break], quantity: int) -> Break | None:
    """The biggest discount among the breaks the quantity reaches (ties: the higher threshold)."""
    reached = [b for b in breaks if b.min_quantity <= quantity and b.discount_bp > 0]
    if not reached:
        return None
    return max(reached, key=lambda b: (b.discount_bp, b.min_quantity))


def next_break(breaks: Iterable[Break], quantity: int) -> Break | None:
    """The nearest break above the quantity that would give more than the current one."""
    current = best_break(breaks, quantity)
    better = [
        b
        for b in breaks
        if b.min_quantity > quantity and b.discount_bp > (current.discount_bp if current else 0)
    ]
    return min(better, key=lambda b: b.min_quantity) if better else None


def choose_latest(rows: Sequence[dict], on: dt.date) -> dict | None:
    """Of rows with valid_from/valid_until, the one in force on `on` that started last."""
    valid = [r for r in rows if in_force(r.get("valid_from"), r.get("valid_until"), on)]
    if not valid:
        return None
    return max(valid, key=lambda r: (r.get("valid_from") or dt.date.min, r.get("id") or 0))


def net_price(
    list_amount: int,
    quantity: int,
    *,
    tier_list: TierList | None = None,
    contract: Contract | None = None,
    breaks: Iterable[Break] = (),
) -> Quote:
    """The net unit price for `quantity` units and the rule behind it (see module docstring)."""
    if contract is not None:
        return Quote(
            unit_amount=contract.price_amount,
            list_amount=list_amount,
            rule=PriceRule.CONTRACT,
            tier_code=tier_list.tier_code if tier_list else "",
            valid_until=contract.valid_until,
        )
    volume = best_break(breaks, quantity)
    volume_bp = volume.discount_bp if volume else 0
    if tier_list is not None:
        explicit = tier_list.item_amount is not None
        base = tier_list.item_amount if tier_list.item_amount is not None else list_amount
        tier_bp = 0 if explicit else tier_list.discount_bp
        return Quote(
            unit_amount=discounted(base, tier_bp, volume_bp),
            list_amount=list_amount,
            rule=PriceRule.TIER_PRICE if explicit else PriceRule.TIER_DISCOUNT,
            tier_code=tier_list.tier_code,
            discount_bp=tier_bp,
            valid_until=tier_list.valid_until,
            break_min_quantity=volume.min_quantity if volume else None,
            break_discount_bp=volume_bp,
        )
    return Quote(
        unit_amount=discounted(list_amount, volume_bp),
        list_amount=list_amount,
        rule=PriceRule.LIST,
        break_min_quantity=volume.min_quantity if volume else None,
        break_discount_bp=volume_bp,
    )


def bp_percent(bp: int) -> str:
    """1850 -> '18.5%' in the current locale."""
    digits = 0 if bp % 100 == 0 else (1 if bp % 10 == 0 else 2)
    return format_percent(Decimal(bp) / BASIS_POINTS, digits)


def reason(
    rule: PriceRule | str,
    *,
    tier_name: str = "",
    valid_until: dt.date | None = None,
    break_min_quantity: int | None = None,
    break_discount_bp: int = 0,
    deal_number: str = "",
) -> str:
    """Why the partner pays this price, in the current language ("Gold tier price list · volume
    break ≥100 (−3%)", "Deal price (DR-2026-000123)"). Works from a Quote or from an order
    line's snapshot."""
    if rule == PriceRule.DEAL:
        return _("Deal price (%(number)s)", number=deal_number)
    if rule == PriceRule.CONTRACT:
        text = (
            _("Contract price until %(date)s", date=format_date(valid_until))
            if valid_until
            else _("Contract price")
        )
    elif rule in (PriceRule.TIER_DISCOUNT, PriceRule.TIER_PRICE):
        text = _("%(tier)s tier price list", tier=tier_name)
    else:
        text = _("List price")
    if break_min_quantity and break_discount_bp:
        text += " · " + _(
            "volume break ≥%(n)s (−%(percent)s)",
            n=break_min_quantity,
            percent=bp_percent(break_discount_bp),
        )
    if deal_number:
        text += " · " + _("beyond the quantity registered on %(number)s", number=deal_number)
    return text


def quote_reason(quote: Quote, tier_name: str = "") -> str:
    """reason() for a Quote."""
    return reason(
        quote.rule,
        tier_name=tier_name,
        valid_until=quote.valid_until,
        break_min_quantity=quote.break_min_quantity,
        break_discount_bp=quote.break_discount_bp,
        deal_number=quote.deal_number,
    )
