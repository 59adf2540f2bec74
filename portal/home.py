"""The home page: each domain contributes cards that show what needs the user's attention."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from litestar import Request, get
from litestar.response import Template

from portal.auth.constants import Access
from portal.auth.schemas import CurrentUser
from portal.communications.cards import home_cards as communication_cards
from portal.customers.services import home_cards as customer_cards
from portal.deals.leads import home_cards as lead_cards
from portal.deals.services import home_cards as deal_cards
from portal.finance.services import home_cards as finance_cards
from portal.lib.cards import Card
from portal.orders.services import home_cards as order_cards
from portal.partners.services import home_cards as partner_cards
from portal.performance.services import home_cards as performance_cards
from portal.support.services import home_cards as support_cards
from portal.web import current_user, page

CardSource = Callable[[CurrentUser], Awaitable[list[Card]]]


def sources() -> list[CardSource]:
    return [
        partner_cards,
        order_cards,
        customer_cards,
        performance_cards,
        support_cards,
        deal_cards,
        lead_cards,
        communication_cards,
        finance_cards,
    ]


async def cards_for(user: CurrentUser) -> list[Card]:
    out: list[Card] = []
    for source in sources():
        out.extend(await source(user))
    return out


@get("/", name="home", opt={"access": Access.USER})
async def home(request: Request) -> Template:
    """The home page: the signed-in user's cards, in the order of `sources()`."""
    return page(request, "home.html", cards=await cards_for(current_user(request)))


PAGES = [home]
