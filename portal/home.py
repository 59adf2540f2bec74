"""The home page: each domain contributes cards that show what needs the user's attention."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from portal.auth.schemas import CurrentUser


@dataclass(frozen=True)
class Card:
    """One tile on the home page. `items` are (label, value, link or "") rows."""

    title: str
    items: list[tuple[str, str, str]] = field(default_factory=list)
    link: str = ""
    link_label: str = ""
    tone: str = ""  # "", "attention" or "ok"
    empty: str = ""


CardSource = Callable[[CurrentUser], Awaitable[list[Card]]]


def sources() -> list[CardSource]:
    from portal.communications.services import home_cards as communication_cards
    from portal.customers.services import home_cards as customer_cards
    from portal.orders.services import home_cards as order_cards
    from portal.partners.services import home_cards as partner_cards
    from portal.performance.services import home_cards as performance_cards
    from portal.support.services import home_cards as support_cards

    return [
        partner_cards,
        order_cards,
        customer_cards,
        performance_cards,
        support_cards,
        communication_cards,
    ]


async def cards_for(user: CurrentUser) -> list[Card]:
    out: list[Card] = []
    for source in sources():
        out.extend(await source(user))
    return out
