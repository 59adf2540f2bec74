"""Every domain's controllers, in one list each for pages and for the JSON API (/api/v1)."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler


def page_routes() -> list[ControllerRouterHandler]:
    from portal.auth import controllers as auth
    from portal.core import controllers as core
    from portal.orders import controllers as orders
    from portal.partners import controllers as partners

    return [*auth.PAGES, *partners.PAGES, *core.PAGES, *orders.PAGES]


def api_routes() -> list[ControllerRouterHandler]:
    from portal.auth import controllers as auth
    from portal.orders import controllers as orders
    from portal.partners import controllers as partners

    return [*auth.API, *partners.API, *orders.API]
