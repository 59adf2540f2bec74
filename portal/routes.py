"""Every domain's controllers, in one list each for pages and for the JSON API (/api/v1)."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler


def page_routes() -> list[ControllerRouterHandler]:
    from portal import health
    from portal.auth import controllers as auth
    from portal.communications import controllers as communications
    from portal.core import controllers as core
    from portal.customers import controllers as customers
    from portal.orders import controllers as orders
    from portal.partners import controllers as partners
    from portal.performance import controllers as performance
    from portal.support import controllers as support

    return [
        *health.PAGES,
        *auth.PAGES,
        *partners.PAGES,
        *core.PAGES,
        *orders.PAGES,
        *performance.PAGES,
        *customers.PAGES,
        *communications.PAGES,
        *support.PAGES,
    ]


def api_routes() -> list[ControllerRouterHandler]:
    from portal.auth import controllers as auth
    from portal.communications import controllers as communications
    from portal.customers import controllers as customers
    from portal.orders import controllers as orders
    from portal.partners import controllers as partners
    from portal.performance import controllers as performance
    from portal.support import controllers as support

    return [
        *auth.API,
        *partners.API,
        *orders.API,
        *performance.API,
        *customers.API,
        *communications.API,
        *support.API,
    ]
