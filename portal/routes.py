"""Every domain's controllers, in one list each for pages and for the JSON API (/api/v1)."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from portal import console as core_console
from portal import health, home
from portal.auth import controllers as auth
from portal.communications import controllers as communications
from portal.customers import controllers as customers
from portal.deals import controllers as deals
from portal.finance import controllers as finance
from portal.orders import controllers as orders
from portal.partners import controllers as partners
from portal.performance import controllers as performance
from portal.support import controllers as support


def page_routes() -> list[ControllerRouterHandler]:
    return [
        *health.PAGES,
        *home.PAGES,
        *auth.PAGES,
        *partners.PAGES,
        *core_console.PAGES,
        *orders.PAGES,
        *performance.PAGES,
        *customers.PAGES,
        *communications.PAGES,
        *support.PAGES,
        *finance.PAGES,
        *deals.PAGES,
    ]


def api_routes() -> list[ControllerRouterHandler]:
    return [
        *auth.API,
        *partners.API,
        *orders.API,
        *performance.API,
        *customers.API,
        *communications.API,
        *support.API,
        *finance.API,
        *deals.API,
    ]
