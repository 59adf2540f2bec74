"""Price lists per tier, contract prices, volume breaks: the loader that gathers, in a few
queries, every rule a partner's prices depend on (portal.orders.pricing does the maths; the
vendor's verbs on these rules are portal.orders.price_rules)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from portal.lib import clock
from portal.lib.i18n import current_locale
from portal.lib.i18n import gettext as _
from portal.orders import pricing, queries
from portal.tenancy import NotFound


def parse_percent(text: str | None) -> int:
    """'18' or '2.5' (percent) -> basis points; raises FormError-ready ValueError text."""
    cleaned = (text or "").strip().replace("%", "").replace("％", "")
    try:
        value = Decimal(cleaned or "0")
    except InvalidOperation:
        raise ValueError(_("Enter a percentage such as 18 or 2.5.")) from None
    if not value.is_finite() or value < 0 or value > 100:
        raise ValueError(_("Enter a percentage between 0 and 100."))
    bp = value * 100
    if bp != bp.to_integral_value():
        raise ValueError(_("Use at most two decimal places."))
    return int(bp)


def bp_to_text(bp: int | None) -> str:
    """1850 -> '18.5' for form fields."""
    if bp is None:
        return ""
    return f"{(Decimal(bp) / 100).normalize():f}"


@dataclass
class PartnerPricing:
    """Every price rule for one partner (or none for vendor staff), loaded once per request."""

    partner_id: int | None = None
    tier_code: str = ""
    tier_name_zh: str = ""
    tier_name_en: str = ""
    price_list: dict[str, Any] | None = None
    items: dict[int, int] = field(default_factory=dict)
    contracts: dict[int, pricing.Contract] = field(default_factory=dict)
    breaks: list[pricing.Break] = field(default_factory=list)

    @property
    def tier_name(self) -> str:
        zh = current_locale.get().startswith("zh")
        return (self.tier_name_zh if zh else self.tier_name_en) or self.tier_code

    def breaks_for(self, product_id: int) -> list[pricing.Break]:
        return [b for b in self.breaks if b.product_id in (None, product_id)]

    def tier_list_for(self, product_id: int) -> pricing.TierList | None:
        if self.price_list is None:
            return None
        return pricing.TierList(
            id=self.price_list["id"],
            tier_code=self.tier_code,
            discount_bp=self.price_list["discount_bp"],
            valid_from=self.price_list["valid_from"],
            valid_until=self.price_list["valid_until"],
            item_amount=self.items.get(product_id),
        )

    def quote(self, product_id: int, list_amount: int, quantity: int = 1) -> pricing.Quote:
        """The partner's net unit price for `quantity` units (list price for vendor staff)."""
        if self.partner_id is None:
            return pricing.Quote(
                unit_amount=list_amount, list_amount=list_amount, rule=pricing.PriceRule.LIST
            )
        return pricing.net_price(
            list_amount,
            quantity,
            tier_list=self.tier_list_for(product_id),
            contract=self.contracts.get(product_id),
            breaks=self.breaks_for(product_id),
        )

    def reason(self, quote: pricing.Quote) -> str:
        return pricing.quote_reason(quote, self.tier_name)


async def load_pricing(
    partner_id: int | None, product_ids: list[int] | None = None, on: dt.date | None = None
) -> PartnerPricing:
    """The rules in force on `on` (today) for `partner_id` and the products (None: all).

    Two statements whatever the page size (the prices page runs this on every view): the
    partner's tier with its active price lists, then the explicit prices, contract prices and
    volume breaks of the products in one UNION ALL."""
    if partner_id is None:
        return PartnerPricing()
    on = on or clock.today()
    heads = await queries.pricing_heads(partner_id)
    if not heads:
        raise NotFound
    result = PartnerPricing(
        partner_id=partner_id,
        tier_code=heads[0]["code"],
        tier_name_zh=heads[0]["name_zh"],
        tier_name_en=heads[0]["name_en"],
    )
    lists = [
        {
            **h,
            "valid_from": queries.as_date(h["valid_from"]),
            "valid_until": queries.as_date(h["valid_until"]),
        }
        for h in heads
        if h["id"] is not None
    ]
    result.price_list = pricing.choose_latest(lists, on)
    if product_ids is not None and not product_ids:
        return result
    contracts: dict[int, list[dict[str, Any]]] = {}
    price_list_id = result.price_list["id"] if result.price_list is not None else None
    for row in await queries.pricing_rules(partner_id, product_ids, price_list_id):
        valid_from, valid_until = (
            queries.as_date(row["valid_from"]),
            queries.as_date(row["valid_until"]),
        )
        if row["kind"] == "item":
            result.items[row["product"]] = row["amount"]
        elif row["kind"] == "contract":
            contracts.setdefault(row["product"], []).append(
                {**row, "valid_from": valid_from, "valid_until": valid_until}
            )
        elif pricing.in_force(valid_from, valid_until, on):
            result.breaks.append(
                pricing.Break(row["min_quantity"], row["discount_bp"], row["product"])
            )
    for product_id, rows in contracts.items():
        chosen = pricing.choose_latest(rows, on)
        if chosen is not None:
            result.contracts[product_id] = pricing.Contract(
                id=chosen["id"],
                price_amount=chosen["amount"],
                valid_from=chosen["valid_from"],
                valid_until=chosen["valid_until"],
            )
    return result
