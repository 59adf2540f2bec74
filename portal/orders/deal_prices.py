"""Orders placed against a deal registration: the deal's special prices for the quantities
registered on it, the normal price beyond them.

Orders sit below deals, so the deal's terms come through `hooks.deal_terms` (filled by
portal.deals.ordering in portal.worker.wire()). What earlier live orders against the same deal
already took at the deal price is counted here, from the orders' own lines: the registered
quantity is a budget for the deal, not for each order.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from piccolo.query.functions.aggregate import Sum

from portal.lib import hooks
from portal.orders import pricing
from portal.orders.constants import OrderStatus, PriceRule
from portal.orders.tables import Order, OrderLine

# Orders whose deal-priced units no longer count against the deal's registered quantities.
DEAD = (OrderStatus.REJECTED, OrderStatus.CANCELLED)


@dataclass
class DealTerms:
    """A protected deal's special prices: product id -> (unit amount, units at that price: as
    registered from hooks.deal_terms, what is left of them from load_deal_terms)."""

    id: int
    number: str
    customer_id: int | None = None
    customer_name: str = ""
    prices: dict[int, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Part:
    """Units of one requested line at one price (a requested line is one or two parts)."""

    quantity: int
    quote: pricing.Quote


async def used_quantities(deal_id: int) -> dict[int, int]:
    """product id -> units already ordered at the deal's price by live orders against it."""
    rows = await (
        OrderLine.select(OrderLine.product, Sum(OrderLine.quantity, alias="n"))
        .where(
            (OrderLine.order.deal_id == deal_id)
            & (OrderLine.price_rule == PriceRule.DEAL)
            & OrderLine.order.status.not_in(list(DEAD))
        )
        .group_by(OrderLine.product)
    )
    return {int(r["product"]): int(r["n"] or 0) for r in rows}


async def load_deal_terms(partner_id: int, deal_id: int) -> DealTerms:
    """The deal's prices with what is left of each registered quantity; FormError (on
    'deal_id') from the deals domain for a deal the partner cannot order against."""
    terms: DealTerms = await hooks.deal_terms(partner_id, deal_id)
    used = await used_quantities(deal_id)
    return replace(
        terms,
        prices={
            product_id: (amount, max(quantity - used.get(product_id, 0), 0))
            for product_id, (amount, quantity) in terms.prices.items()
        },
    )


def split(
    terms: DealTerms | None, product_id: int, normal: pricing.Quote, quantity: int
) -> list[Part]:
    """The parts of a requested line: the units left on the deal at its special price, the
    rest at the normal price (its explanation names the deal it goes beyond)."""
    special = terms.prices.get(product_id) if terms else None
    if terms is None or special is None or special[1] <= 0:
        return [Part(quantity, normal)]
    amount, left = special
    deal_quote = pricing.Quote(
        unit_amount=amount,
        list_amount=normal.list_amount,
        rule=PriceRule.DEAL,
        tier_code=normal.tier_code,
        deal_number=terms.number,
    )
    if quantity <= left:
        return [Part(quantity, deal_quote)]
    return [
        Part(left, deal_quote),
        Part(quantity - left, replace(normal, deal_number=terms.number)),
    ]


def parts_reason(parts: list[Part], reason: Any) -> str:
    """One explanation for a line of several parts (the cart): '40 × Deal price (DR-…) · 10 ×
    Gold tier price list …'; `reason` turns a quote into its words."""
    if len(parts) == 1:
        return str(reason(parts[0].quote))
    return " + ".join(f"{p.quantity} × {reason(p.quote)}" for p in parts)


async def orders_against_deal(deal_id: int) -> list[dict[str, Any]]:
    """The orders placed against a deal (any status), oldest first: id, number, status, total,
    currency, submitted_at. Callers reach the deal through its own tenant door first."""
    return list(
        await Order.select(
            Order.id,
            Order.number,
            Order.status,
            Order.total_amount,
            Order.currency,
            Order.submitted_at,
        )
        .where(Order.deal_id == deal_id)
        .order_by(Order.id)
    )
