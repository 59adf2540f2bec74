"""Every route declares who may use it; the guard enforces it."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from litestar.exceptions import HTTPException
from litestar.handlers.http_handlers import HTTPRouteHandler

from portal.auth.constants import Access
from portal.auth.guards import declared_access
from tests.matrix import Row


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


def _matrix_rows() -> list:
    """Every row of every persona matrix (the lists of Rows in tests/**/test_permissions.py)."""
    rows = []
    tests_dir = Path(__file__).parent
    for path in sorted(tests_dir.rglob("test_permissions.py")):
        name = ".".join(path.relative_to(tests_dir.parent).with_suffix("").parts)
        module = importlib.import_module(name)
        for value in vars(module).values():
            if isinstance(value, list) and value and all(isinstance(r, Row) for r in value):
                rows.extend(value)
    return rows


def _app_routes(app) -> dict:
    """(handler, method) -> "METHOD /path" for every route of the app; OPTIONS is Litestar's
    automatic answer to preflight requests, not a route of ours."""
    routes = {}
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            for method in getattr(handler, "http_methods", ()):
                if method != "OPTIONS":
                    routes[(handler, method)] = f"{method} {route.path}"
    return routes


def test_every_route_is_in_a_persona_matrix(app):
    routes = _app_routes(app)
    covered, unknown = set(), []
    for r in _matrix_rows():
        sample = re.sub(r"\{[^}]+\}", "1", r.path.split("?", 1)[0]).rstrip("/") or "/"
        try:
            handler = app.asgi_router.handle_routing(sample, r.method)[1]
        except HTTPException:  # no such path, or not with this method
            unknown.append(r.id)
            continue
        covered.add((handler, r.method))
    missing = sorted(v for k, v in routes.items() if k not in covered)
    assert not unknown, "matrix rows naming no route:\n" + "\n".join(unknown)
    assert not missing, f"{len(missing)} routes in no persona matrix:\n" + "\n".join(missing)
