"""Every route declares who may use it; the guard enforces it."""

from __future__ import annotations

from litestar.handlers.http_handlers import HTTPRouteHandler

from portal.auth.constants import Access
from portal.auth.guards import declared_access


def test_every_route_declares_its_access(app):
    missing = []
    valid = {a.value for a in Access}
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            access = declared_access(handler)
            if access is None or not set(access) <= valid:
                missing.append(
                    f"{route.path} {getattr(handler, 'handler_name', handler)}: {access}"
                )
    assert not missing, "routes without a valid access declaration:\n" + "\n".join(missing)


def test_the_route_table_is_not_empty(app):
    handlers = [
        h
        for r in app.routes
        for h in getattr(r, "route_handlers", [])
        if isinstance(h, HTTPRouteHandler)
    ]
    assert len(handlers) > 20


async def test_a_route_without_declaration_is_refused(client):
    from litestar import Litestar, get

    from portal.auth.guards import access_guard

    @get("/undeclared")
    async def undeclared() -> str:
        return "secret"

    app = Litestar([undeclared], guards=[access_guard])
    import httpx

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        response = await c.get("/undeclared")
    assert response.status_code == 403
    assert "secret" not in response.text
